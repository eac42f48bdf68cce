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
import io.kook.store.Topology;
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

    long create(String name, ObjectNode vars, Lists lists) {
        Names.requireGroup("name", name);
        requireNotUngrouped(name);
        ObjectNode checked = Vars.within(vars, maxVarsBytes);
        return writer.commit("group.create", lockFor(name, lists), snapshot -> {
            if (snapshot.storedGroup(name) != null || Names.ALL.equals(name)) {
                throw new KookException.AlreadyExists("group " + name + " already exists");
            }
            Change change = new Change(snapshot, layout).createGroup(name, checked);
            return edges(change, name, Lists.NONE, lists);
        });
    }

    Written put(String name, ObjectNode vars, Lists lists, String ifMatch, String ifNoneMatch) {
        Names.requireGroup("name", name);
        requireNotUngrouped(name);
        ObjectNode checked = Vars.within(vars, maxVarsBytes);
        if (Names.ALL.equals(name)) {
            requireNoEdgesOnAll(lists);
        }
        boolean[] created = new boolean[1];
        long revision = writer.commit("group.put", lockFor(name, lists), snapshot -> {
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
                return edges(change.createGroup(name, checked), name, Lists.NONE, lists.orNone());
            }
            return edges(change.setGroup(name, checked), name, Lists.of(existing), lists);
        });
        return new Written(revision, created[0]);
    }

    long patch(String name, Vars.Patch varsPatch, Lists lists, String ifMatch, String ifNoneMatch) {
        requireNotUngrouped(name);
        if (Names.ALL.equals(name)) {
            requireNoEdgesOnAll(lists);
        }
        return writer.commit("group.patch", lockFor(name, lists), snapshot -> {
            Group existing = requireGroup(snapshot, name);
            Preconditions.check(ifMatch, ifNoneMatch, existing.etag());
            ObjectNode vars = Vars.within(varsPatch.applyTo(existing.vars()), maxVarsBytes);
            Change change = new Change(snapshot, layout).setGroup(name, vars);
            return Names.ALL.equals(name) ? change : edges(change, name, Lists.of(existing), lists);
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

    private static String lockFor(String group, Lists lists) {
        return lists.nests() ? InventoryWriter.TOPOLOGY_LOCK : InventoryWriter.groupLock(group);
    }

    /** Replaces the group's member, child and parent lists where the target lists are given. */
    private static Change edges(Change change, String group, Lists current, Lists target) {
        Snapshot snapshot = change.snapshot();
        List<KookException.FieldError> unknown = new ArrayList<>();
        unknownHosts(snapshot, target.hosts(), unknown);
        unknownGroups(snapshot, group, "children", target.children(), unknown);
        unknownGroups(snapshot, group, "parents", target.parents(), unknown);
        if (!unknown.isEmpty()) {
            throw new KookException.UnknownReference("the body names hosts or groups that do not exist", unknown);
        }
        if (target.hosts() != null) {
            diff(current.hosts(), target.hosts(), h -> change.addMember(group, h), h -> change.removeMember(group, h));
        }
        if (target.children() != null) {
            Set<String> have = new HashSet<>(current.children());
            target.children().stream().filter(c -> !have.contains(c)).forEach(c -> requireNoCycle(snapshot, group, c));
            diff(current.children(), target.children(), c -> change.addChild(group, c), c -> change.removeChild(group, c));
        }
        if (target.parents() != null) {
            Set<String> have = new HashSet<>(current.parents());
            target.parents().stream().filter(p -> !have.contains(p)).forEach(p -> requireNoCycle(snapshot, p, group));
            diff(current.parents(), target.parents(), p -> change.addChild(p, group), p -> change.removeChild(p, group));
            if (target.children() != null) {
                requireNoCycleThrough(change, group);
            }
        }
        return change;
    }

    private static void unknownHosts(Snapshot snapshot, List<String> hosts, List<KookException.FieldError> unknown) {
        for (int i = 0; hosts != null && i < hosts.size(); i++) {
            if (snapshot.host(hosts.get(i)) == null) {
                unknown.add(new KookException.FieldError("hosts[" + i + "]", "host " + hosts.get(i) + " does not exist"));
            }
        }
    }

    private static void unknownGroups(Snapshot snapshot, String group, String field, List<String> names,
                                      List<KookException.FieldError> unknown) {
        for (int i = 0; names != null && i < names.size(); i++) {
            String name = names.get(i);
            if (snapshot.storedGroup(name) == null && !name.equals(group)) {
                unknown.add(new KookException.FieldError(field + "[" + i + "]", "group " + name + " does not exist"));
            }
        }
    }

    /**
     * New parents and new children of one group can close a cycle together that neither closes alone ({@code x} as
     * both a parent and a child): every new cycle passes through {@code group}, so walk up from it after the change.
     */
    private static void requireNoCycleThrough(Change change, String group) {
        Topology after = change.after();
        Set<String> seen = new HashSet<>();
        java.util.Deque<String> pending = new java.util.ArrayDeque<>(after.parents(group));
        while (!pending.isEmpty()) {
            String next = pending.pop();
            if (next.equals(group)) {
                throw new KookException.Cycle("the body's parents and children of " + group + " would close a cycle"
                        + " through it");
            }
            if (seen.add(next)) {
                pending.addAll(after.parents(next));
            }
        }
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

    private static void requireNoEdgesOnAll(Lists lists) {
        if (!lists.orNone().equals(Lists.NONE)) {
            requireOrdinary(Names.ALL, "members, children or parents");
        }
    }

    /**
     * The edge lists a body gives a group; {@code null} leaves that list as it is. {@code parents} lets a group be
     * created inside another in one write (the only way a token limited to groups can create one).
     */
    record Lists(List<String> hosts, List<String> children, List<String> parents) {

        static final Lists NONE = new Lists(List.of(), List.of(), List.of());

        static Lists of(Group group) {
            return new Lists(group.hosts(), group.children(), group.parents());
        }

        /** These lists with every absent one empty, as a created group has them. */
        Lists orNone() {
            return new Lists(hosts == null ? List.of() : hosts, children == null ? List.of() : children,
                    parents == null ? List.of() : parents);
        }

        /** Whether the lists change nesting, which is written under the topology lock. */
        boolean nests() {
            return (children != null && !children.isEmpty()) || (parents != null && !parents.isEmpty());
        }
    }
}
