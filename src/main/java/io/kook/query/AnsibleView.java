package io.kook.query;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.kook.inventory.Group;
import io.kook.inventory.Names;
import io.kook.inventory.Snapshot;

/**
 * The inventory in the order Ansible holds it after reading {@code GET /ansible/inventory} through the inventory
 * script: its groups dict (created in document order: {@code all}, {@code ungrouped}, the top-level groups, the
 * {@code service_*} groups, then the others as they are first named), its hosts dict (first mention), and each
 * group's children in document order ({@code all}: {@code ungrouped} first, as Ansible creates it so). Subscripts
 * and {@code ~regex} matches depend on these orders. As Ansible's {@code reconcile_inventory} does, a host that is
 * in a {@code service_*} group is no longer in {@code ungrouped}.
 */
final class AnsibleView {

    private final Snapshot snapshot;
    private final Map<String, List<String>> dynamic;
    private final List<String> groups;
    private final List<String> hosts;
    private final Set<String> hostSet;
    private final String localhost;
    private final List<String> ungrouped;
    private final Map<String, List<String>> groupHosts = new ConcurrentHashMap<>();

    private AnsibleView(Snapshot snapshot, Map<String, List<String>> dynamic) {
        this.snapshot = snapshot;
        this.dynamic = dynamic;
        LinkedHashSet<String> g = new LinkedHashSet<>();
        g.add(Names.ALL);
        g.add(Names.UNGROUPED);
        g.addAll(snapshot.topLevelGroups());
        g.addAll(dynamic.keySet());
        LinkedHashSet<String> h = new LinkedHashSet<>(snapshot.ungrouped());
        for (String name : snapshot.ordinaryGroupNames()) {
            Group group = snapshot.storedGroup(name);
            g.add(name);
            g.addAll(group.children());
            h.addAll(group.hosts());
        }
        dynamic.values().forEach(h::addAll);
        this.groups = List.copyOf(g);
        this.hosts = List.copyOf(h);
        this.hostSet = Set.copyOf(h);
        // reconcile_inventory takes a host out of ungrouped once it is in another group: a registered host is
        Set<String> registered = new java.util.HashSet<>();
        dynamic.values().forEach(registered::addAll);
        this.ungrouped = registered.isEmpty() ? snapshot.ungrouped()
                : snapshot.ungrouped().stream().filter(n -> !registered.contains(n)).toList();
        this.localhost = h.stream().filter(AnsiblePattern.LOCALHOST::contains).findFirst().orElse(null);
    }

    private record Key(boolean includeUnknownHosts) {
    }

    static AnsibleView of(Snapshot snapshot, boolean includeUnknownHosts) {
        return snapshot.memo(new Key(includeUnknownHosts), s -> new AnsibleView(s,
                io.kook.ansible.InventoryRenderer.dynamicGroups(s, includeUnknownHosts)));
    }

    /** Group names in Ansible's dict order, {@code all} and {@code ungrouped} first. */
    List<String> groups() {
        return groups;
    }

    /** Host names in Ansible's dict order (including registered hosts Kook does not store, when configured). */
    List<String> hosts() {
        return hosts;
    }

    /**
     * The host Ansible takes for {@code localhost}, {@code 127.0.0.1} and {@code ::1} when the inventory lacks
     * the name itself: the first stored host with one of those names, or {@code null} (Ansible then invents one).
     */
    String localhost() {
        return localhost;
    }

    boolean isHost(String name) {
        return hostSet.contains(name);
    }

    /**
     * {@code Group.get_hosts()}: own hosts, then those of the descendants level by level, each host once. Within
     * a level below the children Ansible walks a Python set of groups, whose order changes from run to run; Kook
     * takes them in the order they were reached, which is one of Ansible's possible orders and always the same.
     */
    List<String> hostsOf(String group) {
        return groupHosts.computeIfAbsent(group, this::computeHostsOf);
    }

    private List<String> computeHostsOf(String group) {
        List<String> ordered = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        ordered.add(group);
        seen.add(group);
        List<String> level = List.of(group);
        while (!level.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (String g : level) {
                for (String child : children(g)) {
                    if (seen.add(child)) {
                        ordered.add(child);
                        next.add(child);
                    }
                }
            }
            level = next;
        }
        LinkedHashSet<String> result = new LinkedHashSet<>();
        for (String g : ordered) {
            result.addAll(directHosts(g));
        }
        return List.copyOf(result);
    }

    private List<String> children(String group) {
        if (Names.ALL.equals(group)) {
            List<String> children = new ArrayList<>();
            children.add(Names.UNGROUPED);
            children.addAll(snapshot.topLevelGroups());
            children.addAll(dynamic.keySet());
            return children;
        }
        Group stored = Names.UNGROUPED.equals(group) ? null : snapshot.storedGroup(group);
        return stored == null ? List.of() : stored.children();
    }

    private List<String> directHosts(String group) {
        if (Names.ALL.equals(group)) {
            return List.of();
        }
        if (Names.UNGROUPED.equals(group)) {
            return ungrouped;
        }
        Group stored = snapshot.storedGroup(group);
        if (stored != null) {
            return stored.hosts();
        }
        return dynamic.getOrDefault(group, List.of());
    }
}
