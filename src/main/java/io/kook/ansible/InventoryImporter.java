package io.kook.ansible;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.kook.KookProperties;
import io.kook.inventory.KookException;
import io.kook.inventory.Vars;
import tools.jackson.databind.node.ObjectNode;

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
    private final long maxVarsBytes;

    InventoryImporter(InventoryWriter writer, Mirror mirror, ZkLayout layout, KookProperties properties) {
        this.writer = writer;
        this.mirror = mirror;
        this.layout = layout;
        this.maxVarsBytes = properties.limits().maxVarsSize().toBytes();
    }

    Imported importInventory(byte[] body, String format, boolean replace, boolean dryRun) {
        ParsedInventory inventory = InventoryParsers.parse(body, format);
        if (dryRun) {
            Snapshot snapshot = mirror.snapshot();
            ImportPlan plan = ImportPlanner.plan(snapshot, inventory, replace);
            checkVars(plan);
            return new Imported(plan.report(), snapshot.revision());
        }
        AtomicReference<ImportPlan> planned = new AtomicReference<>();
        long revision = writer.commitLarge(replace ? "ansible.import.replace" : "ansible.import.merge", snapshot -> {
            ImportPlan plan = ImportPlanner.plan(snapshot, inventory, replace);
            checkVars(plan);
            planned.set(plan);
            return apply(plan, new Change(snapshot, layout));
        });
        return new Imported(planned.get().report(), revision);
    }

    /**
     * The vars every write will store, held to the rules of the entity endpoints, so that an import cannot store
     * what a PUT would refuse (and after which every PATCH of the entity would be 413). Checked on the merged
     * result, which is what is written.
     */
    private void checkVars(ImportPlan plan) {
        check("host", plan.createHosts());
        check("host", plan.setHosts());
        check("group", plan.createGroups());
        check("group", plan.setGroups());
    }

    private void check(String entity, Map<String, ObjectNode> writes) {
        writes.forEach((name, vars) -> {
            try {
                Vars.within(vars, maxVarsBytes);
            } catch (KookException.TooLarge e) {
                throw new KookException.TooLarge(entity + " '" + name + "': " + e.getMessage());
            } catch (KookException.Invalid e) {
                throw KookException.invalid(entity + " '" + name + "'", e.getMessage());
            }
        });
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
