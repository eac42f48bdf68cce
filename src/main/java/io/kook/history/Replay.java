package io.kook.history;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.kook.history.ChangeRecord.EdgeChange;
import io.kook.history.ChangeRecord.EntityChange;
import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.Names;
import io.kook.inventory.Snapshot;
import io.kook.inventory.SortedNames;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The inventory as of an earlier revision, rebuilt from the current snapshot by undoing later changes newest first:
 * history stores no state per revision, only each write's before-state. Only the entities the records name (and the
 * ends of their edges) are copied, so going back a few writes on a large inventory costs a few writes' worth.
 *
 * <p>Records describe Kook's own writes; an edit made outside Kook leaves none, so an undo may name an entity or
 * edge that is not there. Such an undo does what still makes sense (removing an absent edge or entity does
 * nothing, an edge to an entity that ends up absent is dropped) and never throws: the result is always a
 * consistent snapshot, every edge listed on both of its ends. A deleted entity recorded without vars is one Kook
 * could not read: it comes back unreadable, as it was.
 */
public final class Replay {

    private Replay() {
    }

    /**
     * @param current        the state after revision R
     * @param newestFirst    exactly the records with revision in (N, R], by revision descending
     * @param stampRevision  the revision the result is stamped with (N)
     * @return the state as of N, without registrations (live state, not history)
     */
    public static Snapshot at(Snapshot current, List<ChangeRecord> newestFirst, long stampRevision) {
        Undo undo = new Undo(current);
        for (ChangeRecord record : newestFirst) {
            undo.apply(record);
        }
        return undo.result(stampRevision);
    }

    /** A host or stored group being undone: its fields and its edges, copied from the current snapshot on first use. */
    private static final class Node {
        boolean present;
        ObjectNode vars;
        int version;
        long czxid;
        boolean unreadable;
        /** A host's groups, or a group's member hosts. */
        final Set<String> members = new HashSet<>();
        final Set<String> children = new HashSet<>();
        final Set<String> parents = new HashSet<>();
    }

    private static final class Undo {
        private final Snapshot current;
        private final Map<String, Node> hosts = new HashMap<>();
        private final Map<String, Node> groups = new HashMap<>();

        Undo(Snapshot current) {
            this.current = current;
        }

        void apply(ChangeRecord record) {
            // entities first, so that an edge put back finds its ends already back
            for (EntityChange change : record.entities()) {
                entity(change);
            }
            for (EdgeChange edge : record.edges()) {
                edge(edge);
            }
        }

        private void entity(EntityChange change) {
            boolean host = change.entity() == ChangeRecord.EntityType.HOST;
            if (!host && Names.UNGROUPED.equals(change.name())) {
                return;
            }
            Node node = host ? host(change.name()) : group(change.name());
            switch (change.kind()) {
                case CREATED -> {
                    if (node.present) {
                        node.present = false;
                        detach(change.name(), host);
                    }
                }
                case DELETED -> {
                    node.present = true;
                    // a deleted entity whose data Kook could not read has no vars to give back
                    node.unreadable = change.varsBefore() == null;
                    node.vars = node.unreadable ? JsonNodeFactory.instance.objectNode() : change.varsBefore();
                    node.version = change.versionBefore();
                    node.czxid = change.czxidBefore();
                }
                case UPDATED -> {
                    if (node.present) {
                        node.version = change.versionBefore();
                        node.czxid = change.czxidBefore();
                        if (change.varsBefore() != null) {
                            node.vars = change.varsBefore();
                            node.unreadable = false;
                        }
                    }
                }
            }
        }

        private void edge(EdgeChange edge) {
            if (Names.isReserved(edge.group()) || edge.child() && Names.isReserved(edge.member())
                    || edge.child() && edge.group().equals(edge.member())) {
                return; // no list ever names all or ungrouped, and no group holds itself
            }
            boolean add = !edge.added();
            Node group = group(edge.group());
            Node member = edge.child() ? group(edge.member()) : host(edge.member());
            Set<String> down = edge.child() ? group.children : group.members;
            Set<String> up = edge.child() ? member.parents : member.members;
            if (add) {
                down.add(edge.member());
                up.add(edge.group());
            } else {
                down.remove(edge.member());
                up.remove(edge.group());
            }
        }

        /** Removes every edge of an entity that is no longer there, on both ends. */
        private void detach(String name, boolean host) {
            Node node = host ? hosts.get(name) : groups.get(name);
            if (host) {
                node.members.forEach(g -> group(g).members.remove(name));
            } else {
                node.members.forEach(h -> host(h).members.remove(name));
                node.children.forEach(c -> group(c).parents.remove(name));
                node.parents.forEach(p -> group(p).children.remove(name));
                node.children.clear();
                node.parents.clear();
            }
            node.members.clear();
        }

        private Node host(String name) {
            Node node = hosts.get(name);
            if (node == null) {
                node = new Node();
                Host host = current.host(name);
                if (host != null) {
                    node.present = true;
                    node.vars = host.vars();
                    node.version = host.version();
                    node.czxid = host.czxid();
                    node.unreadable = host.unreadable();
                    node.members.addAll(host.groups());
                }
                hosts.put(name, node);
            }
            return node;
        }

        private Node group(String name) {
            Node node = groups.get(name);
            if (node == null) {
                node = new Node();
                Group group = current.storedGroup(name);
                if (group != null) {
                    node.present = true;
                    node.vars = group.vars();
                    node.version = group.version();
                    node.czxid = group.czxid();
                    node.unreadable = group.unreadable();
                    node.members.addAll(group.hosts());
                    node.children.addAll(group.children());
                    node.parents.addAll(group.parents());
                }
                groups.put(name, node);
            }
            return node;
        }

        Snapshot result(long revision) {
            // an edge re-added to an entity that ended up absent (an edit outside Kook) must not dangle
            List.copyOf(hosts.entrySet()).forEach(e -> {
                if (!e.getValue().present) {
                    detach(e.getKey(), true);
                }
            });
            List.copyOf(groups.entrySet()).forEach(e -> {
                if (!e.getValue().present) {
                    detach(e.getKey(), false);
                }
            });
            Map<String, Host> hostChanges = new HashMap<>();
            hosts.forEach((name, n) -> hostChanges.put(name, n.present
                    ? new Host(name, n.vars, sorted(n.members), n.version, n.czxid, n.unreadable) : null));
            Map<String, Group> groupMap = new HashMap<>(current.storedGroupMap());
            Map<String, Group> groupChanges = new HashMap<>();
            groups.forEach((name, n) -> {
                Group group = n.present ? new Group(name, n.vars, sorted(n.members), sorted(n.children),
                        sorted(n.parents), n.version, n.czxid, n.unreadable) : null;
                groupChanges.put(name, group);
                if (group == null) {
                    groupMap.remove(name);
                } else {
                    groupMap.put(name, group);
                }
            });
            return new Snapshot(revision, 0, 0, current.hostShards().with(hostChanges), groupMap,
                    SortedNames.after(current.hostNames(), hostChanges, n -> current.host(n) != null),
                    SortedNames.after(current.storedGroupNames(), groupChanges, n -> current.storedGroup(n) != null),
                    Map.of());
        }

        private static List<String> sorted(Set<String> names) {
            return List.copyOf(new TreeSet<>(names));
        }
    }
}
