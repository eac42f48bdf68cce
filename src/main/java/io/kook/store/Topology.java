package io.kook.store;

import java.util.Collection;
import java.util.List;

import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.Snapshot;

/**
 * Which entities exist and who belongs where, before or after a planned change: what a rule about memberships
 * (a token's group scope) judges. {@code all} is implicit: it is never listed as a parent or a host's group.
 */
public interface Topology {

    boolean hasGroup(String group);

    /** The direct parents of {@code group}; empty for a top-level or unknown group. */
    Collection<String> parents(String group);

    boolean hasHost(String host);

    /** The groups {@code host} directly belongs to; empty for a host in no group or an unknown host. */
    Collection<String> groupsOf(String host);

    /** The stored state of {@code snapshot}. */
    static Topology of(Snapshot snapshot) {
        return new Topology() {
            @Override
            public boolean hasGroup(String group) {
                return snapshot.storedGroup(group) != null;
            }

            @Override
            public Collection<String> parents(String group) {
                Group g = snapshot.storedGroup(group);
                return g == null ? List.of() : g.parents();
            }

            @Override
            public boolean hasHost(String host) {
                return snapshot.host(host) != null;
            }

            @Override
            public Collection<String> groupsOf(String host) {
                Host h = snapshot.host(host);
                return h == null ? List.of() : h.groups();
            }
        };
    }
}
