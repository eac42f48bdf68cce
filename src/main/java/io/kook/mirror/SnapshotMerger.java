package io.kook.mirror;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.Registration;
import io.kook.inventory.ShardedMap;
import io.kook.inventory.Snapshot;
import io.kook.inventory.SortedNames;

/**
 * Folds deltas into a new immutable {@link Snapshot}, sharing every unchanged record with the previous one:
 * hosts live in a {@link ShardedMap}, so only the shards a change touches are copied, and the sorted name lists
 * are merged, not re-sorted, when names come or go.
 */
final class SnapshotMerger {

    private SnapshotMerger() {
    }

    static Snapshot merge(Snapshot previous, List<Delta> deltas) {
        int start = 0;
        for (int i = 0; i < deltas.size(); i++) {
            if (deltas.get(i).full()) {
                start = i;
            }
        }
        boolean full = deltas.get(start).full();
        Snapshot base = full ? Snapshot.EMPTY : previous;
        Map<String, Host> hostChanges = new HashMap<>();
        Map<String, Group> groupChanges = new HashMap<>();
        long revision = previous.revision();
        int topologyVersion = previous.topologyVersion();
        int importVersion = previous.importVersion();
        Map<String, List<Registration>> services = base.services();
        for (Delta delta : deltas.subList(start, deltas.size())) {
            hostChanges.putAll(delta.hosts());
            groupChanges.putAll(delta.groups());
            revision = Math.max(revision, delta.revision());
            topologyVersion = delta.topologyVersion();
            importVersion = delta.importVersion();
            if (delta.services() != null) {
                services = delta.services();
            }
        }
        ShardedMap<Host> hosts = base.hostShards().with(hostChanges);
        Map<String, Group> groups = new HashMap<>(base.storedGroupMap());
        groupChanges.forEach((name, group) -> {
            if (group == null) {
                groups.remove(name);
            } else {
                groups.put(name, group);
            }
        });
        List<String> hostNames = SortedNames.after(base.hostNames(), hostChanges, name -> base.host(name) != null);
        List<String> groupNames = SortedNames.after(base.storedGroupNames(), groupChanges, name -> base.storedGroup(name) != null);
        return new Snapshot(revision, topologyVersion, importVersion, hosts, groups, hostNames, groupNames, services,
                previous == Snapshot.EMPTY ? null : previous);   // EMPTY is every mirror's: a lineage of its own
    }

}
