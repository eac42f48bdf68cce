package io.kook.group;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.kook.KookProperties;
import io.kook.inventory.Group;
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

/**
 * The write rules for groups: reserved groups, unknown references, and the cycle check. Writes that add
 * nesting edges take the topology lock, so concurrent nestings are checked one after the other.
 */
@Service
class GroupService {

    /** A committed write and whether it created the group. */
    record Written(long revision, boolean created) {
    }

    private final InventoryWriter writer;
    private final ZkLayout layout;
    private final long maxVarsBytes;

    GroupService(InventoryWriter writer, ZkLayout layout, KookProperties properties) {
        this.writer = writer;
        this.layout = layout;
        this.maxVarsBytes = properties.limits().maxVarsSize().toBytes();
    }

    long create(String name, ObjectNode vars, List<String> hosts, List<String> children) {
        Names.requireGroup("name", name);
        requireNotUngrouped(name);
        ObjectNode checked = Vars.within(vars, maxVarsBytes);
        return writer.commit("group.create", lockFor(name, children), snapshot -> {
            if (snapshot.storedGroup(name) != null || Names.ALL.equals(name)) {
                throw new KookException.AlreadyExists("group " + name + " already exists");
            }
            Change change = new Change(snapshot, layout).createGroup(name, checked);
            return edges(change, name, List.of(), List.of(), hosts, children);
        });
    }

    Written put(String name, ObjectNode vars, List<String> hosts, List<String> children, String ifMatch,
                String ifNoneMatch) {
        Names.requireGroup("name", name);
        requireNotUngrouped(name);
        ObjectNode checked = Vars.within(vars, maxVarsBytes);
        if (Names.ALL.equals(name)) {
            requireNoEdgesOnAll(hosts, children);
        }
        boolean[] created = new boolean[1];
        long revision = writer.commit("group.put", lockFor(name, children), snapshot -> {
            Group existing = snapshot.storedGroup(name);
            String etag = Names.ALL.equals(name) ? snapshot.group(name).etag()
                    : existing == null ? null : existing.etag();
            Preconditions.check(ifMatch, ifNoneMatch, etag);
            Change change = new Change(snapshot, layout);
            if (Names.ALL.equals(name)) {
                return change.setGroup(name, checked);
            }
            created[0] = existing == null;
            if (existing == null) {
                return edges(change.createGroup(name, checked), name, List.of(), List.of(),
                        hosts == null ? List.of() : hosts, children == null ? List.of() : children);
            }
            return edges(change.setGroup(name, checked), name, existing.hosts(), existing.children(), hosts, children);
        });
        return new Written(revision, created[0]);
    }

    long patch(String name, Vars.Patch varsPatch, List<String> hosts, List<String> children, String ifMatch,
               String ifNoneMatch) {
        requireNotUngrouped(name);
        if (Names.ALL.equals(name)) {
            requireNoEdgesOnAll(hosts, children);
        }
        return writer.commit("group.patch", lockFor(name, children), snapshot -> {
            Group existing = requireGroup(snapshot, name);
            Preconditions.check(ifMatch, ifNoneMatch, existing.etag());
            ObjectNode vars = Vars.within(varsPatch.applyTo(existing.vars()), maxVarsBytes);
            Change change = new Change(snapshot, layout).setGroup(name, vars);
            return Names.ALL.equals(name) ? change
                    : edges(change, name, existing.hosts(), existing.children(), hosts, children);
        });
    }

    long delete(String name, String ifMatch, String ifNoneMatch) {
        if (Names.isReserved(name)) {
            throw KookException.invalid("name", "'" + name + "' is implicit and cannot be deleted");
        }
        return writer.commit("group.delete", InventoryWriter.groupLock(name), snapshot -> {
            Group existing = requireGroup(snapshot, name);
            Preconditions.check(ifMatch, ifNoneMatch, existing.etag());
            return new Change(snapshot, layout).deleteGroup(name);
        });
    }

    long addMember(String group, String host) {
        requireOrdinary(group, "members");
        return writer.commit("group.member.add", InventoryWriter.groupLock(group), snapshot -> {
            Group g = requireGroup(snapshot, group);
            requireHost(snapshot, host);
            Change change = new Change(snapshot, layout);
            return g.hosts().contains(host) ? change : change.addMember(group, host);
        });
    }

    long removeMember(String group, String host) {
        requireOrdinary(group, "members");
        return writer.commit("group.member.remove", InventoryWriter.groupLock(group), snapshot -> {
            Group g = requireGroup(snapshot, group);
            requireHost(snapshot, host);
            Change change = new Change(snapshot, layout);
            return g.hosts().contains(host) ? change.removeMember(group, host) : change;
        });
    }

    long addChild(String group, String child) {
        requireOrdinary(group, "children");
        requireOrdinary(child, "children");
        return writer.commit("group.child.add", InventoryWriter.TOPOLOGY_LOCK, snapshot -> {
            Group g = requireGroup(snapshot, group);
            requireGroup(snapshot, child);
            Change change = new Change(snapshot, layout);
            if (g.children().contains(child)) {
                return change;
            }
            requireNoCycle(snapshot, group, child);
            return change.addChild(group, child);
        });
    }

    long removeChild(String group, String child) {
        requireOrdinary(group, "children");
        requireOrdinary(child, "children");
        return writer.commit("group.child.remove", InventoryWriter.groupLock(group), snapshot -> {
            Group g = requireGroup(snapshot, group);
            requireGroup(snapshot, child);
            Change change = new Change(snapshot, layout);
            return g.children().contains(child) ? change.removeChild(group, child) : change;
        });
    }

    static Group requireGroup(Snapshot snapshot, String name) {
        Group group = snapshot.group(name);
        if (group == null) {
            throw new KookException.NotFound("group " + name + " does not exist");
        }
        return group;
    }

    private static void requireHost(Snapshot snapshot, String host) {
        if (snapshot.host(host) == null) {
            throw new KookException.NotFound("host " + host + " does not exist");
        }
    }

    private static String lockFor(String group, List<String> children) {
        return children == null || children.isEmpty() ? InventoryWriter.groupLock(group) : InventoryWriter.TOPOLOGY_LOCK;
    }

    /** Replaces the group's member and child lists where the target lists are given. */
    private static Change edges(Change change, String group, List<String> currentHosts, List<String> currentChildren,
                                List<String> hosts, List<String> children) {
        Snapshot snapshot = change.snapshot();
        List<KookException.FieldError> unknown = new ArrayList<>();
        if (hosts != null) {
            for (int i = 0; i < hosts.size(); i++) {
                if (snapshot.host(hosts.get(i)) == null) {
                    unknown.add(new KookException.FieldError("hosts[" + i + "]", "host " + hosts.get(i) + " does not exist"));
                }
            }
        }
        if (children != null) {
            for (int i = 0; i < children.size(); i++) {
                String child = children.get(i);
                if (snapshot.storedGroup(child) == null && !child.equals(group)) {
                    unknown.add(new KookException.FieldError("children[" + i + "]", "group " + child + " does not exist"));
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new KookException.UnknownReference("the body names hosts or groups that do not exist", unknown);
        }
        if (hosts != null) {
            diff(currentHosts, hosts, h -> change.addMember(group, h), h -> change.removeMember(group, h));
        }
        if (children != null) {
            Set<String> current = new HashSet<>(currentChildren);
            for (String child : children) {
                if (!current.contains(child)) {
                    requireNoCycle(snapshot, group, child);
                }
            }
            diff(currentChildren, children, c -> change.addChild(group, c), c -> change.removeChild(group, c));
        }
        return change;
    }

    private static void diff(List<String> current, List<String> target, java.util.function.Consumer<String> add,
                             java.util.function.Consumer<String> remove) {
        Set<String> wanted = new HashSet<>(target);
        current.stream().filter(n -> !wanted.contains(n)).forEach(remove);
        Set<String> have = new HashSet<>(current);
        target.stream().filter(n -> !have.contains(n)).forEach(add);
    }

    /** Adding {@code parent -> child} closes a cycle when the parent is the child or one of its descendants. */
    private static void requireNoCycle(Snapshot snapshot, String parent, String child) {
        if (snapshot.reaches(child, parent)) {
            throw new KookException.Cycle(parent.equals(child) ? "a group cannot be its own child"
                    : "making " + child + " a child of " + parent + " would close a cycle: " + parent
                    + " is already a descendant of " + child);
        }
    }

    private static void requireNotUngrouped(String name) {
        if (Names.UNGROUPED.equals(name)) {
            throw KookException.invalid("name", "'ungrouped' is computed (hosts in no group) and read-only");
        }
    }

    private static void requireOrdinary(String group, String what) {
        if (Names.ALL.equals(group)) {
            throw KookException.invalid("group", "'all' implicitly contains every host and group; it takes no " + what);
        }
        requireNotUngrouped(group);
    }

    private static void requireNoEdgesOnAll(List<String> hosts, List<String> children) {
        if ((hosts != null && !hosts.isEmpty()) || (children != null && !children.isEmpty())) {
            requireOrdinary(Names.ALL, "members or children");
        }
    }
}
