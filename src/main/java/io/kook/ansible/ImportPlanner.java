package io.kook.ansible;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.KookException;
import io.kook.inventory.Names;
import io.kook.inventory.Snapshot;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plans an import against a snapshot. {@code replace} makes the inventory exactly the imported one (what is
 * not in the file goes). {@code merge} only adds: hosts and groups of the file are created or get the file's
 * vars set over theirs (other vars stay), and the file's memberships and nestings are added to the existing
 * ones. Either way a resulting cycle refuses the whole import.
 */
public final class ImportPlanner {

    private ImportPlanner() {
    }

    /** The inventory an import aims for: vars per entity, members and children per group. */
    private static final class Target {
        final Map<String, ObjectNode> hosts = new TreeMap<>();
        final Map<String, ObjectNode> groups = new TreeMap<>();
        final Map<String, Set<String>> members = new HashMap<>();
        final Map<String, Set<String>> children = new HashMap<>();
        ObjectNode allVars;
    }

    public static ImportPlan plan(Snapshot s, ParsedInventory inventory, boolean replace) {
        Target t = target(s, inventory, replace);
        requireAcyclic(t);

        Map<String, ObjectNode> createHosts = new LinkedHashMap<>();
        Map<String, ObjectNode> setHosts = new LinkedHashMap<>();
        Set<String> deleteHosts = new LinkedHashSet<>();
        Map<String, ObjectNode> createGroups = new LinkedHashMap<>();
        Map<String, ObjectNode> setGroups = new LinkedHashMap<>();
        Set<String> deleteGroups = new LinkedHashSet<>();
        List<ImportPlan.Edge> addMembers = new ArrayList<>();
        List<ImportPlan.Edge> removeMembers = new ArrayList<>();
        List<ImportPlan.Edge> addChildren = new ArrayList<>();
        List<ImportPlan.Edge> removeChildren = new ArrayList<>();
        Set<String> hostsTouched = new HashSet<>();
        Set<String> groupsTouched = new HashSet<>();

        for (String name : s.hostNames()) {
            if (!t.hosts.containsKey(name)) {
                deleteHosts.add(name);
            }
        }
        for (String name : s.ordinaryGroupNames()) {
            if (!t.groups.containsKey(name)) {
                deleteGroups.add(name);
            }
        }
        t.hosts.forEach((name, vars) -> {
            Host existing = s.host(name);
            if (existing == null) {
                createHosts.put(name, vars);
            } else if (!existing.vars().equals(vars)) {
                setHosts.put(name, vars);
                hostsTouched.add(name);
            }
        });
        t.groups.forEach((name, vars) -> {
            Group existing = s.storedGroup(name);
            if (existing == null) {
                createGroups.put(name, vars);
            } else if (!existing.vars().equals(vars)) {
                setGroups.put(name, vars);
                groupsTouched.add(name);
            }
        });
        Group all = s.storedGroup(Names.ALL);
        if (t.allVars != null && (all == null || !all.vars().equals(t.allVars))) {
            setGroups.put(Names.ALL, t.allVars);
        }
        for (String group : t.groups.keySet()) {
            Group existing = s.storedGroup(group);
            Set<String> currentMembers = existing == null ? Set.of() : new HashSet<>(existing.hosts());
            Set<String> currentChildren = existing == null ? Set.of() : new HashSet<>(existing.children());
            Set<String> wantedMembers = t.members.getOrDefault(group, Set.of());
            Set<String> wantedChildren = t.children.getOrDefault(group, Set.of());
            for (String h : wantedMembers) {
                if (!currentMembers.contains(h)) {
                    addMembers.add(new ImportPlan.Edge(group, h));
                    hostsTouched.add(h);
                    groupsTouched.add(group);
                }
            }
            for (String h : currentMembers) {
                if (!wantedMembers.contains(h) && !deleteHosts.contains(h)) {
                    removeMembers.add(new ImportPlan.Edge(group, h));
                    hostsTouched.add(h);
                    groupsTouched.add(group);
                }
            }
            for (String c : wantedChildren) {
                if (!currentChildren.contains(c)) {
                    addChildren.add(new ImportPlan.Edge(group, c));
                    groupsTouched.add(group);
                    groupsTouched.add(c);
                }
            }
            for (String c : currentChildren) {
                if (!wantedChildren.contains(c) && !deleteGroups.contains(c)) {
                    removeChildren.add(new ImportPlan.Edge(group, c));
                    groupsTouched.add(group);
                    groupsTouched.add(c);
                }
            }
        }
        hostsTouched.removeAll(createHosts.keySet());
        hostsTouched.removeAll(deleteHosts);
        groupsTouched.removeAll(createGroups.keySet());
        groupsTouched.removeAll(deleteGroups);
        groupsTouched.remove(Names.ALL);
        int allUpdated = setGroups.containsKey(Names.ALL) ? 1 : 0;
        ImportPlan.Report report = new ImportPlan.Report(createHosts.size(), hostsTouched.size(), deleteHosts.size(),
                createGroups.size(), groupsTouched.size() + allUpdated, deleteGroups.size(), inventory.warnings());
        return new ImportPlan(createHosts, setHosts, deleteHosts, createGroups, setGroups, deleteGroups, addMembers,
                removeMembers, addChildren, removeChildren, report);
    }

    private static Target target(Snapshot s, ParsedInventory inventory, boolean replace) {
        Target t = new Target();
        if (!replace) {
            for (String name : s.hostNames()) {
                t.hosts.put(name, s.host(name).vars());
            }
            for (String name : s.ordinaryGroupNames()) {
                Group g = s.storedGroup(name);
                t.groups.put(name, g.vars());
                t.members.put(name, new HashSet<>(g.hosts()));
                t.children.put(name, new HashSet<>(g.children()));
            }
        }
        inventory.hosts().forEach((name, vars) -> t.hosts.put(name, replace ? vars : overlay(t.hosts.get(name), vars)));
        inventory.groups().forEach((name, group) -> {
            if (Names.ALL.equals(name)) {
                Group all = s.storedGroup(Names.ALL);
                t.allVars = replace || all == null ? group.vars() : overlay(all.vars(), group.vars());
                return;
            }
            t.groups.put(name, replace ? group.vars() : overlay(t.groups.get(name), group.vars()));
            t.members.computeIfAbsent(name, k -> new HashSet<>()).addAll(group.hosts());
            t.children.computeIfAbsent(name, k -> new HashSet<>()).addAll(group.children());
            for (String h : group.hosts()) {
                t.hosts.putIfAbsent(h, JsonNodeFactory.instance.objectNode());
            }
        });
        if (replace && t.allVars == null) {
            t.allVars = JsonNodeFactory.instance.objectNode();
        }
        for (Set<String> children : t.children.values()) {
            for (String c : children) {
                t.groups.putIfAbsent(c, JsonNodeFactory.instance.objectNode());
            }
        }
        return t;
    }

    private static ObjectNode overlay(ObjectNode base, ObjectNode top) {
        if (base == null) {
            return top;
        }
        ObjectNode merged = base.deepCopy();
        merged.setAll(top);
        return merged;
    }

    private static void requireAcyclic(Target t) {
        Map<String, Integer> state = new HashMap<>();
        for (String start : new TreeSet<>(t.children.keySet())) {
            if (state.containsKey(start)) {
                continue;
            }
            Deque<Object[]> stack = new ArrayDeque<>();
            stack.push(new Object[]{start, new ArrayDeque<>(t.children.getOrDefault(start, Set.of()))});
            state.put(start, 1);
            while (!stack.isEmpty()) {
                Object[] top = stack.peek();
                @SuppressWarnings("unchecked")
                Deque<String> pending = (Deque<String>) top[1];
                if (pending.isEmpty()) {
                    state.put((String) top[0], 2);
                    stack.pop();
                    continue;
                }
                String next = pending.pop();
                Integer seen = state.get(next);
                if (seen != null && seen == 1) {
                    throw new KookException.Cycle("the imported inventory nests group " + next
                            + " inside itself (through " + top[0] + ")");
                }
                if (seen == null) {
                    state.put(next, 1);
                    stack.push(new Object[]{next, new ArrayDeque<>(t.children.getOrDefault(next, Set.of()))});
                }
            }
        }
    }
}
