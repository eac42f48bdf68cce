package io.kook.mirror;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.Registration;
import io.kook.inventory.ShardedMap;
import io.kook.inventory.Snapshot;

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
        List<String> hostNames = names(base.hostNames(), hostChanges, name -> base.host(name) != null);
        List<String> groupNames = names(base.storedGroupNames(), groupChanges, name -> base.storedGroup(name) != null);
        return new Snapshot(revision, topologyVersion, importVersion, hosts, groups, hostNames, groupNames, services);
    }

    /**
     * The sorted names after {@code changes}: the previous list when no name came or went, else one merge of the
     * previous list (minus removed names) with the sorted new names, instead of sorting everything again.
     */
    private static <V> List<String> names(List<String> previous, Map<String, V> changes, Predicate<String> existed) {
        List<String> added = new ArrayList<>();
        Set<String> removed = new HashSet<>();
        changes.forEach((name, value) -> {
            boolean before = existed.test(name);
            if (!before && value != null) {
                added.add(name);
            } else if (before && value == null) {
                removed.add(name);
            }
        });
        if (added.isEmpty() && removed.isEmpty()) {
            return previous;
        }
        added.sort(null);
        List<String> merged = new ArrayList<>(previous.size() + added.size());
        int a = 0;
        for (String name : previous) {
            if (removed.contains(name)) {
                continue;
            }
            while (a < added.size() && added.get(a).compareTo(name) < 0) {
                merged.add(added.get(a++));
            }
            merged.add(name);
        }
        while (a < added.size()) {
            merged.add(added.get(a++));
        }
        return merged;
    }
}
