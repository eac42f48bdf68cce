package io.kook.ansible;

import java.util.concurrent.atomic.AtomicReference;

import io.kook.ansible.parse.InventoryParsers;
import io.kook.inventory.Snapshot;
import io.kook.mirror.Mirror;
import io.kook.store.Change;
import io.kook.store.InventoryWriter;
import io.kook.store.ZkLayout;
import org.springframework.stereotype.Service;

/** Parses an inventory file, plans its import against the current inventory and commits it (or only reports). */
@Service
class InventoryImporter {

    /** The outcome of an import: its report and the revision that holds it. */
    record Imported(ImportPlan.Report report, long revision) {
    }

    private final InventoryWriter writer;
    private final Mirror mirror;
    private final ZkLayout layout;

    InventoryImporter(InventoryWriter writer, Mirror mirror, ZkLayout layout) {
        this.writer = writer;
        this.mirror = mirror;
        this.layout = layout;
    }

    Imported importInventory(byte[] body, String format, boolean replace, boolean dryRun) {
        ParsedInventory inventory = InventoryParsers.parse(body, format);
        if (dryRun) {
            Snapshot snapshot = mirror.snapshot();
            return new Imported(ImportPlanner.plan(snapshot, inventory, replace).report(), snapshot.revision());
        }
        AtomicReference<ImportPlan> planned = new AtomicReference<>();
        long revision = writer.commitLarge(replace ? "ansible.import.replace" : "ansible.import.merge", snapshot -> {
            ImportPlan plan = ImportPlanner.plan(snapshot, inventory, replace);
            planned.set(plan);
            return apply(plan, new Change(snapshot, layout));
        });
        return new Imported(planned.get().report(), revision);
    }

    private static Change apply(ImportPlan plan, Change change) {
        plan.createGroups().forEach(change::createGroup);
        plan.createHosts().forEach(change::createHost);
        plan.setGroups().forEach(change::setGroup);
        plan.setHosts().forEach(change::setHost);
        plan.removeMembers().forEach(e -> change.removeMember(e.group(), e.member()));
        plan.removeChildren().forEach(e -> change.removeChild(e.group(), e.member()));
        plan.addMembers().forEach(e -> change.addMember(e.group(), e.member()));
        plan.addChildren().forEach(e -> change.addChild(e.group(), e.member()));
        plan.deleteGroups().forEach(change::deleteGroup);
        plan.deleteHosts().forEach(change::deleteHost);
        return change;
    }
}
