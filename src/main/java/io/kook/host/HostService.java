package io.kook.host;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.kook.KookProperties;
import io.kook.inventory.Host;
import io.kook.inventory.KookException;
import io.kook.inventory.Names;
import io.kook.inventory.Preconditions;
import io.kook.inventory.Snapshot;
import io.kook.inventory.Vars;
import io.kook.store.Change;
import io.kook.store.InventoryWriter;
import io.kook.store.ZkLayout;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ObjectNode;

/** The write rules for hosts: each write is planned against a snapshot and committed by {@link InventoryWriter}. */
@Service
class HostService {

    /** A committed write and whether it created the host. */
    record Written(long revision, boolean created) {
    }

    private final InventoryWriter writer;
    private final ZkLayout layout;
    private final long maxVarsBytes;

    HostService(InventoryWriter writer, ZkLayout layout, KookProperties properties) {
        this.writer = writer;
        this.layout = layout;
        this.maxVarsBytes = properties.limits().maxVarsSize().toBytes();
    }

    long create(String name, ObjectNode vars, List<String> groups) {
        Names.requireHost("name", name);
        ObjectNode checked = checkVars(vars);
        return writer.commit("host.create", InventoryWriter.hostLock(name), snapshot -> {
            if (snapshot.host(name) != null) {
                throw new KookException.AlreadyExists("host " + name + " already exists");
            }
            return withGroups(new Change(snapshot, layout).createHost(name, checked), name, List.of(), groups);
        });
    }

    Written put(String name, ObjectNode vars, List<String> groups, String ifMatch, String ifNoneMatch) {
        Names.requireHost("name", name);
        ObjectNode checked = checkVars(vars);
        boolean[] created = new boolean[1];
        long revision = writer.commit("host.put", InventoryWriter.hostLock(name), snapshot -> {
            Host existing = snapshot.host(name);
            Preconditions.check(ifMatch, ifNoneMatch, existing == null ? null : existing.etag());
            created[0] = existing == null;
            Change change = new Change(snapshot, layout);
            if (existing == null) {
                return withGroups(change.createHost(name, checked), name, List.of(), groups == null ? List.of() : groups);
            }
            return withGroups(change.setHost(name, checked), name, existing.groups(), groups);
        });
        return new Written(revision, created[0]);
    }

    /** RFC 7396 merge patch of the host object: {@code vars} merges, {@code groups} replaces. */
    long patch(String name, Vars.Patch varsPatch, List<String> groups, String ifMatch, String ifNoneMatch) {
        return writer.commit("host.patch", InventoryWriter.hostLock(name), snapshot -> {
            Host existing = requireHost(snapshot, name);
            Preconditions.check(ifMatch, ifNoneMatch, existing.etag());
            ObjectNode vars = checkVars(varsPatch.applyTo(existing.vars()));
            return withGroups(new Change(snapshot, layout).setHost(name, vars), name, existing.groups(), groups);
        });
    }

    long delete(String name, String ifMatch, String ifNoneMatch) {
        return writer.commit("host.delete", InventoryWriter.hostLock(name), snapshot -> {
            Host existing = requireHost(snapshot, name);
            Preconditions.check(ifMatch, ifNoneMatch, existing.etag());
            return new Change(snapshot, layout).deleteHost(name);
        });
    }

    static Host requireHost(Snapshot snapshot, String name) {
        Host host = snapshot.host(name);
        if (host == null) {
            throw new KookException.NotFound("host " + name + " does not exist");
        }
        return host;
    }

    private Change withGroups(Change change, String host, List<String> current, List<String> target) {
        if (target == null) {
            return change;
        }
        List<KookException.FieldError> unknown = new ArrayList<>();
        for (int i = 0; i < target.size(); i++) {
            if (change.snapshot().storedGroup(target.get(i)) == null) {
                unknown.add(new KookException.FieldError("groups[" + i + "]", "group " + target.get(i) + " does not exist"));
            }
        }
        if (!unknown.isEmpty()) {
            throw new KookException.UnknownReference("groups names groups that do not exist", unknown);
        }
        Set<String> wanted = new HashSet<>(target);
        for (String g : current) {
            if (!wanted.contains(g)) {
                change.removeMember(g, host);
            }
        }
        Set<String> have = new HashSet<>(current);
        for (String g : target) {
            if (!have.contains(g)) {
                change.addMember(g, host);
            }
        }
        return change;
    }

    private ObjectNode checkVars(ObjectNode vars) {
        return Vars.within(vars, maxVarsBytes);
    }
}
