package io.kook.mirror;

import java.util.List;
import java.util.Map;

import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.Registration;

/**
 * What changed between two consistent points of the mirror: new records of changed entities ({@code null}
 * for removed ones) up to {@code revision}, and all registrations when any changed ({@code null} when none did).
 * A {@code full} delta replaces the snapshot instead of patching it. {@code generation} names the mirror's load of the tree the delta was cut from.
 */
record Delta(long revision, int topologyVersion, int importVersion, Map<String, Host> hosts, Map<String, Group> groups,
             Map<String, List<Registration>> services, boolean full, long generation) {

    Delta(long revision, int topologyVersion, int importVersion, Map<String, Host> hosts, Map<String, Group> groups,
          Map<String, List<Registration>> services, boolean full) {
        this(revision, topologyVersion, importVersion, hosts, groups, services, full, 0);
    }
}
