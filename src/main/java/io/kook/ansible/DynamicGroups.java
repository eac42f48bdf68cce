package io.kook.ansible;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.kook.inventory.Registration;
import io.kook.inventory.Snapshot;
import tools.jackson.databind.node.ObjectNode;

/**
 * Live registrations as Ansible sees them: a group {@code service_<name>} per service holding the registered
 * hosts, and a host var {@code service_<name>_port} (the lowest port when a host registered several). Hosts the
 * inventory does not know are left out unless configured, so a typo in an agent never invents a host. Every
 * registration in the snapshot is live (lapsed ones are reaped, which is a change with a revision), so the
 * rendering depends on the snapshot alone and its ETag holds. A var the host stores itself wins over the dynamic
 * one of the same name, in {@code --list} and {@code --host} alike: stored data is never overridden on the way
 * out, as a stored group {@code service_<name>} is never replaced by the dynamic one.
 *
 * @param groups   group name to sorted host names
 * @param hostVars host name to its dynamic vars
 */
record DynamicGroups(Map<String, List<String>> groups, Map<String, Map<String, Integer>> hostVars) {

    /** The host's own vars with the dynamic ones it does not set itself (a copy only when there are any). */
    static ObjectNode withDynamicVars(ObjectNode own, Map<String, Integer> dynamic) {
        if (dynamic == null || dynamic.isEmpty()) {
            return own;
        }
        ObjectNode vars = own.deepCopy();
        dynamic.forEach((name, port) -> {
            if (!vars.has(name)) {
                vars.put(name, port);
            }
        });
        return vars;
    }

    static DynamicGroups of(Snapshot snapshot, boolean includeUnknownHosts) {
        Map<String, TreeSet<String>> groups = new TreeMap<>();
        Map<String, Map<String, Integer>> hostVars = new TreeMap<>();
        snapshot.services().forEach((service, instances) -> {
            String group = "service_" + service;
            if (snapshot.storedGroup(group) != null) {
                return;
            }
            for (Registration r : instances) {
                if (!includeUnknownHosts && snapshot.host(r.host()) == null) {
                    continue;
                }
                groups.computeIfAbsent(group, k -> new TreeSet<>()).add(r.host());
                hostVars.computeIfAbsent(r.host(), k -> new TreeMap<>()).merge(group + "_port", r.port(), Math::min);
            }
        });
        Map<String, List<String>> sorted = new TreeMap<>();
        groups.forEach((g, hosts) -> sorted.put(g, List.copyOf(hosts)));
        return new DynamicGroups(sorted, hostVars);
    }
}
