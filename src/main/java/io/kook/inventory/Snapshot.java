package io.kook.inventory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An immutable view of the whole inventory at one revision. Readers hold on to one snapshot for a whole
 * request, so they never see half of a write. Derived views (the implicit groups, depths, rendered
 * documents) are computed on first use and kept with the snapshot.
 */
public final class Snapshot {

    public static final Snapshot EMPTY = new Snapshot(0, 0, 0, Map.of(), Map.of(), List.of(), List.of());

    private final long revision;
    private final int topologyVersion;
    private final int importVersion;
    private final ShardedMap<Host> hosts;
    private final Map<String, Group> groups;
    private final List<String> hostNames;
    private final List<String> groupNames;
    private final Map<String, List<Registration>> services;
    private final Map<Object, Object> memo = new ConcurrentHashMap<>();
    private final Map<Object, Object> lineage;

    /**
     * @param hosts      every host by name
     * @param groups     every stored group by name ({@code all} included once it exists, never {@code ungrouped})
     * @param hostNames  the keys of {@code hosts}, sorted
     * @param groupNames the keys of {@code groups}, sorted
     */
    public Snapshot(long revision, int topologyVersion, int importVersion, Map<String, Host> hosts, Map<String, Group> groups,
                    List<String> hostNames, List<String> groupNames) {
        this(revision, topologyVersion, importVersion, ShardedMap.of(hosts), groups, hostNames, groupNames, Map.of());
    }

    /** As above, with the live registrations by service (each list sorted by instance). */
    public Snapshot(long revision, int topologyVersion, int importVersion, ShardedMap<Host> hosts,
                    Map<String, Group> groups, List<String> hostNames, List<String> groupNames,
                    Map<String, List<Registration>> services) {
        this(revision, topologyVersion, importVersion, hosts, groups, hostNames, groupNames, services, null);
    }

    /**
     * As above, succeeding {@code previous}: the two share their {@link #lineage lineage} (a new one when
     * {@code previous} is null).
     */
    public Snapshot(long revision, int topologyVersion, int importVersion, ShardedMap<Host> hosts,
                    Map<String, Group> groups, List<String> hostNames, List<String> groupNames,
                    Map<String, List<Registration>> services, Snapshot previous) {
        this.lineage = previous == null ? new ConcurrentHashMap<>() : previous.lineage;
        this.revision = revision;
        this.topologyVersion = topologyVersion;
        this.importVersion = importVersion;
        this.hosts = hosts;
        this.groups = Collections.unmodifiableMap(groups);
        this.hostNames = Collections.unmodifiableList(hostNames);
        this.groupNames = Collections.unmodifiableList(groupNames);
        this.services = services;
    }

    /** Registrations by service name (sorted), including any whose TTL has run out but are not yet reaped. */
    public Map<String, List<Registration>> services() {
        return services;
    }

    /** The ZooKeeper zxid of the last change to hosts, groups or edges this snapshot contains. */
    public long revision() {
        return revision;
    }

    /** Version of the node every child-edge write checks, so concurrent nestings cannot close a cycle. */
    public int topologyVersion() {
        return topologyVersion;
    }

    /** Version of the import guard every write checks, so no write slips into a running batched import. */
    public int importVersion() {
        return importVersion;
    }

    public Host host(String name) {
        return hosts.get(name);
    }

    /** The stored group, or the computed view of {@code all} and {@code ungrouped}; {@code null} if unknown. */
    public Group group(String name) {
        if (Names.ALL.equals(name)) {
            return all();
        }
        if (Names.UNGROUPED.equals(name)) {
            return memo("ungrouped-group", s -> new Group(Names.UNGROUPED, JsonNodeFactory.instance.objectNode(),
                    ungrouped(), List.of(), List.of(), 0));
        }
        return groups.get(name);
    }

    /** A group as stored in ZooKeeper: any ordinary group and {@code all}'s own vars; never {@code ungrouped}. */
    public Group storedGroup(String name) {
        return groups.get(name);
    }

    public int hostCount() {
        return hosts.size();
    }

    public int groupCount() {
        return groups.size();
    }

    /** Host names, sorted. */
    public List<String> hostNames() {
        return hostNames;
    }

    /** Every group name including {@code all} and {@code ungrouped}, sorted. */
    public List<String> groupNames() {
        return memo("group-names", s -> {
            TreeSet<String> names = new TreeSet<>(groupNames);
            names.add(Names.ALL);
            names.add(Names.UNGROUPED);
            return List.copyOf(names);
        });
    }

    /** Stored group names other than {@code all}, sorted. */
    public List<String> ordinaryGroupNames() {
        return memo("ordinary-group-names",
                s -> groupNames.stream().filter(n -> !Names.isReserved(n)).toList());
    }

    /** Hosts in no group, sorted. */
    public List<String> ungrouped() {
        return memo("ungrouped", s -> hostNames.stream().filter(n -> hosts.get(n).groups().isEmpty()).toList());
    }

    /** Groups with no parent other than the implicit {@code all}, sorted. */
    public List<String> topLevelGroups() {
        return memo("top-level", s -> ordinaryGroupNames().stream()
                .filter(n -> groups.get(n).parents().isEmpty()).toList());
    }

    private Group all() {
        return memo("all-group", s -> {
            Group stored = groups.get(Names.ALL);
            ObjectNode vars = stored == null ? JsonNodeFactory.instance.objectNode() : stored.vars();
            return stored == null ? new Group(Names.ALL, vars, List.of(), topLevelGroups(), List.of(), 0)
                    : new Group(Names.ALL, vars, List.of(), topLevelGroups(), List.of(), stored.version(),
                    stored.czxid(), stored.unreadable());
        });
    }

    /**
     * Ansible's depth of a group: the longest path from {@code all} ({@code all} is 0, a top-level group 1).
     */
    public int depth(String group) {
        if (Names.ALL.equals(group)) {
            return 0;
        }
        Map<String, Integer> depths = memo("depths", Snapshot::computeDepths);
        return depths.getOrDefault(group, 1);
    }

    private static Map<String, Integer> computeDepths(Snapshot s) {
        Map<String, Integer> depths = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(s.topLevelGroups());
        Map<String, Integer> remainingParents = new HashMap<>();
        for (String g : s.ordinaryGroupNames()) {
            remainingParents.put(g, s.groups.get(g).parents().size());
        }
        for (String g : queue) {
            depths.put(g, 1);
        }
        // Kahn's order: a group's depth is final once all its parents have theirs.
        while (!queue.isEmpty()) {
            String g = queue.poll();
            int d = depths.get(g);
            for (String child : s.groups.get(g).children()) {
                depths.merge(child, d + 1, Math::max);
                if (remainingParents.merge(child, -1, Integer::sum) == 0) {
                    queue.add(child);
                }
            }
        }
        return depths;
    }

    /** Whether {@code to} is {@code from} or a descendant of it. */
    public boolean reaches(String from, String to) {
        if (from.equals(to)) {
            return true;
        }
        Set<String> seen = new HashSet<>();
        Deque<String> stack = new ArrayDeque<>();
        stack.push(from);
        while (!stack.isEmpty()) {
            Group g = groups.get(stack.pop());
            if (g == null) {
                continue;
            }
            for (String child : g.children()) {
                if (child.equals(to)) {
                    return true;
                }
                if (seen.add(child)) {
                    stack.push(child);
                }
            }
        }
        return false;
    }

    /** Members of {@code group} and of all its descendants, sorted. */
    public List<String> transitiveHosts(String group) {
        if (Names.ALL.equals(group)) {
            return hostNames;
        }
        Group root = group(group);
        if (root == null) {
            return List.of();
        }
        TreeSet<String> result = new TreeSet<>(root.hosts());
        Set<String> seen = new HashSet<>();
        Deque<String> stack = new ArrayDeque<>(root.children());
        while (!stack.isEmpty()) {
            String name = stack.pop();
            if (!seen.add(name)) {
                continue;
            }
            Group g = groups.get(name);
            if (g != null) {
                result.addAll(g.hosts());
                stack.addAll(g.children());
            }
        }
        return new ArrayList<>(result);
    }

    /** Every group {@code host} belongs to, directly or through nesting, without {@code all}. */
    public Set<String> groupsOf(String host) {
        Host h = hosts.get(host);
        return h == null ? Set.of() : withAncestors(h.groups());
    }

    /** The groups {@code start} names and every group they are nested in, directly or not. */
    public Set<String> withAncestors(Collection<String> start) {
        Set<String> result = new HashSet<>();
        Deque<String> stack = new ArrayDeque<>(start);
        while (!stack.isEmpty()) {
            String name = stack.pop();
            if (result.add(name)) {
                Group g = groups.get(name);
                if (g != null) {
                    stack.addAll(g.parents());
                }
            }
        }
        return result;
    }

    /**
     * A value derived from this snapshot, computed once. Keys are compared with {@code equals}; use
     * records or constants so unrelated callers never collide.
     */
    @SuppressWarnings("unchecked")
    public <T> T memo(Object key, Function<Snapshot, T> compute) {
        Object value = memo.get(key);
        if (value == null) {
            value = compute.apply(this);
            Object raced = memo.putIfAbsent(key, value);
            if (raced != null) {
                value = raced;
            }
        }
        return (T) value;
    }

    /**
     * A value shared by this snapshot and the ones built from it, created once: for caches that outlive a
     * revision, whose entries must check themselves against the snapshot that reads them.
     */
    @SuppressWarnings("unchecked")
    public <T> T lineage(Object key, java.util.function.Supplier<T> create) {
        return (T) lineage.computeIfAbsent(key, k -> create.get());
    }

    /** Every host by name, for building the next snapshot without copying the unchanged ones. */
    public ShardedMap<Host> hostShards() {
        return hosts;
    }

    /** Every stored group by name, {@code all} included (read-only), for building the next snapshot. */
    public Map<String, Group> storedGroupMap() {
        return groups;
    }

    /** The keys of {@link #storedGroupMap()}, sorted. */
    public List<String> storedGroupNames() {
        return groupNames;
    }
}
