package io.kook.mirror;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.Registration;
import io.kook.inventory.Snapshot;

/**
 * Folds deltas into a new immutable {@link Snapshot}, sharing every unchanged record with the previous one.
 * Costs a map copy plus the changes; the sorted name lists are rebuilt only when names came or went.
 */
final class SnapshotMerger {

    private SnapshotMerger() {
    }

    static Snapshot merge(Snapshot previous, List<Delta> deltas) {
        boolean full = deltas.stream().anyMatch(Delta::full);
        int start = 0;
        for (int i = 0; i < deltas.size(); i++) {
            if (deltas.get(i).full()) {
                start = i;
            }
        }
        Map<String, Host> hosts = full ? new HashMap<>() : new HashMap<>(previous.hostMap());
        Map<String, Group> groups = full ? new HashMap<>() : new HashMap<>(previous.storedGroupMap());
        List<String> hostNames = previous.hostNames();
        List<String> groupNames = previous.storedGroupNames();
        boolean hostNamesChanged = full;
        boolean groupNamesChanged = full;
        long revision = previous.revision();
        int topologyVersion = previous.topologyVersion();
        int importVersion = previous.importVersion();
        Map<String, List<Registration>> services = full ? Map.of() : previous.services();
        for (Delta delta : deltas.subList(start, deltas.size())) {
            for (Map.Entry<String, Host> e : delta.hosts().entrySet()) {
                Host old = e.getValue() == null ? hosts.remove(e.getKey()) : hosts.put(e.getKey(), e.getValue());
                hostNamesChanged |= (old == null) != (e.getValue() == null);
            }
            for (Map.Entry<String, Group> e : delta.groups().entrySet()) {
                Group old = e.getValue() == null ? groups.remove(e.getKey()) : groups.put(e.getKey(), e.getValue());
                groupNamesChanged |= (old == null) != (e.getValue() == null);
            }
            revision = Math.max(revision, delta.revision());
            topologyVersion = delta.topologyVersion();
            importVersion = delta.importVersion();
            if (delta.services() != null) {
                services = delta.services();
            }
        }
        if (hostNamesChanged) {
            hostNames = sorted(hosts.keySet());
        }
        if (groupNamesChanged) {
            groupNames = sorted(groups.keySet());
        }
        return new Snapshot(revision, topologyVersion, importVersion, hosts, groups, hostNames, groupNames, services);
    }

    private static List<String> sorted(Collection<String> names) {
        List<String> list = new ArrayList<>(names);
        list.sort(null);
        return list;
    }
}
