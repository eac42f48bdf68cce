package io.kook.security;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.kook.inventory.KookException;
import io.kook.inventory.Snapshot;
import io.kook.store.Change;
import io.kook.store.ChangePolicy;
import io.kook.store.Topology;

/**
 * A write token limited to groups may change only what lies inside them, before and after the write, so it can
 * neither reach out of its scope nor carry anything out of it or pull anything in. A group is inside when it is one
 * of the token's groups or a descendant of one; a host when every group it directly belongs to is inside (a host in
 * no group is inside no scope). A group the write creates is inside only below a group that was inside already: a
 * scoped token cannot create one of its own scope's roots. Everything a change touches counts, also an entity whose
 * only change is an edge to or from it.
 */
public final class GroupScope implements ChangePolicy {

    @Override
    public void check(Change change) {
        Caller caller = Caller.current();
        if (caller.groups().isEmpty() || change.isEmpty()) {
            return;
        }
        Topology before = change.before();
        Topology after = change.after();
        Inside was = new Inside(before, caller.groups().stream().filter(before::hasGroup).toList());
        Inside will = new Inside(after, was.roots.stream().filter(after::hasGroup).toList());
        // hosts first: for a host moved across the boundary, the host is the news, not the group it was moved to
        for (String host : change.hostsChanged()) {
            if (before.hasHost(host) && !was.host(host)) {
                throw refused(caller, "host " + host + " is outside it (" + was.why(host) + ")");
            }
            if (after.hasHost(host) && !will.host(host)) {
                throw refused(caller, (before.hasHost(host) ? "this write would take host " + host + " out of it"
                        : "host " + host + " would be created outside it") + " (" + will.why(host) + ")");
            }
        }
        for (String group : change.groupsChanged()) {
            if (before.hasGroup(group) && !was.group(group)) {
                throw refused(caller, "group " + group + " is outside it");
            }
            if (after.hasGroup(group) && !will.group(group)) {
                throw refused(caller, before.hasGroup(group) ? "this write would take group " + group + " out of it"
                        : "group " + group + " would be created outside it (a scoped token creates groups only as"
                        + " children of groups inside its scope)");
            }
        }
        // the verdict rests on ancestors' edges the change does not write: if one moves before the commit, plan again
        was.consulted.forEach(change::guardGroup);
        will.consulted.forEach(change::guardGroup);
    }

    /** Refuses a change of {@code host}'s registrations by a scoped caller when the host is outside its scope. */
    public static void requireHostInside(Snapshot snapshot, String host) {
        Caller caller = Caller.current();
        if (caller.groups().isEmpty()) {
            return;
        }
        Topology topology = Topology.of(snapshot);
        Inside inside = new Inside(topology, caller.groups().stream().filter(topology::hasGroup).toList());
        if (!inside.host(host)) {
            throw refused(caller, "host " + host + " is outside it (" + (topology.hasHost(host) ? inside.why(host)
                    : "it is not in the inventory") + ")");
        }
    }

    private static KookException refused(Caller caller, String what) {
        return new KookException.Forbidden("token " + caller.name() + " may change only groups " + caller.groups()
                + ", their descendants and hosts all of whose groups are among them; " + what + "; nothing was changed");
    }

    /** Which groups and hosts of one topology lie inside the scope rooted at some existing groups. */
    private static final class Inside {

        final List<String> roots;
        /** Every group whose parents a verdict read. */
        final Set<String> consulted = new HashSet<>();
        private final Topology topology;

        Inside(Topology topology, List<String> roots) {
            this.topology = topology;
            this.roots = roots;
        }

        /** Whether a root is {@code group} or one of its ancestors; walks up without recursion (chains can be deep). */
        boolean group(String group) {
            Set<String> seen = new HashSet<>();
            Deque<String> pending = new ArrayDeque<>(List.of(group));
            while (!pending.isEmpty()) {
                String next = pending.pop();
                consulted.add(next);
                if (roots.contains(next)) {
                    return true;
                }
                for (String parent : topology.parents(next)) {
                    if (seen.add(parent)) {
                        pending.push(parent);
                    }
                }
            }
            return false;
        }

        boolean host(String host) {
            Collection<String> groups = topology.groupsOf(host);
            return !groups.isEmpty() && groups.stream().allMatch(this::group);
        }

        /** Why an outside host is outside. */
        String why(String host) {
            return topology.groupsOf(host).stream().filter(g -> !group(g)).sorted().findFirst()
                    .map(g -> "it is in group " + g + ", which is not inside")
                    .orElse("it is in no group");
        }
    }
}
