package io.kook.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.Snapshot;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Builds a Kook {@link Snapshot} in memory from a generated inventory, as the mirror would hold it. */
public final class BenchSnapshots {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BenchSnapshots() {
    }

    public static Snapshot build(InventoryGenerator.Inventory inv, long revision) {
        Map<String, List<String>> groupsOfHost = new HashMap<>();
        Map<String, Group> groups = new HashMap<>();
        inv.groups().forEach((name, g) -> {
            groups.put(name, new Group(name, vars(g.vars()), sorted(g.hosts()), sorted(g.children()),
                    sorted(g.parents()), 1));
            for (String h : g.hosts()) {
                groupsOfHost.computeIfAbsent(h, k -> new ArrayList<>()).add(name);
            }
        });
        groups.put("all", new Group("all", vars(inv.allVars()), List.of(), List.of(), List.of(), 1));
        Map<String, Host> hosts = new HashMap<>();
        inv.hostVars().forEach((name, v) ->
                hosts.put(name, new Host(name, vars(v), sorted(groupsOfHost.getOrDefault(name, List.of())), 1)));
        return new Snapshot(revision, 1, 0, hosts, groups, sorted(hosts.keySet()), sorted(groups.keySet()));
    }

    public static ObjectNode vars(Map<String, Object> vars) {
        return JSON.valueToTree(vars);
    }

    private static List<String> sorted(java.util.Collection<String> names) {
        List<String> list = new ArrayList<>(names);
        list.sort(null);
        return list;
    }
}
