package io.kook.inventory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A host's vars as Ansible resolves them: {@code all}, then its groups by depth, {@code ansible_group_priority}
 * and name, then the host's own vars. Values are replaced, never merged (Ansible's default hash behaviour).
 *
 * @param vars    the resolved vars, keys sorted
 * @param sources where each value came from: {@code host}, {@code group:<name>}
 */
public record EffectiveVars(ObjectNode vars, Map<String, String> sources) {

    /** Consumed by Ansible to order groups; not a var of the host. */
    public static final String PRIORITY = "ansible_group_priority";

    public static EffectiveVars of(Snapshot snapshot, Host host) {
        return resolve(snapshot, snapshot.groupsOf(host.name()), host.vars());
    }

    /**
     * What a group contributes to its members: {@code all}, its ancestors and itself in Ansible's order, as a host
     * with no vars of its own that belongs only to this group would see them.
     */
    public static EffectiveVars ofGroup(Snapshot snapshot, Group group) {
        java.util.Set<String> lineage = new java.util.HashSet<>(snapshot.withAncestors(List.of(group.name())));
        lineage.remove(Names.ALL); // resolve starts from all
        return resolve(snapshot, lineage, JsonNodeFactory.instance.objectNode());
    }

    private static EffectiveVars resolve(Snapshot snapshot, java.util.Collection<String> groupNames, ObjectNode own) {
        List<Group> order = new ArrayList<>();
        order.add(snapshot.group(Names.ALL));
        List<Group> groups = new ArrayList<>();
        for (String name : groupNames) {
            groups.add(snapshot.group(name));
        }
        groups.sort(Comparator.comparingInt((Group g) -> snapshot.depth(g.name()))
                .thenComparingInt(EffectiveVars::priority)
                .thenComparing(Group::name));
        order.addAll(groups);

        Map<String, JsonNode> values = new TreeMap<>();
        Map<String, String> sources = new TreeMap<>();
        for (Group g : order) {
            for (Map.Entry<String, JsonNode> e : g.vars().properties()) {
                if (!PRIORITY.equals(e.getKey())) {
                    values.put(e.getKey(), e.getValue());
                    sources.put(e.getKey(), "group:" + g.name());
                }
            }
        }
        for (Map.Entry<String, JsonNode> e : own.properties()) {
            values.put(e.getKey(), e.getValue());
            sources.put(e.getKey(), "host");
        }
        ObjectNode vars = JsonNodeFactory.instance.objectNode();
        values.forEach(vars::set);
        return new EffectiveVars(vars, new LinkedHashMap<>(sources));
    }

    /** The group's {@code ansible_group_priority} as Ansible reads it ({@code int(value)}), default 1. */
    static int priority(Group group) {
        JsonNode p = group.vars().get(PRIORITY);
        if (p == null || p.isNull()) {
            return 1;
        }
        try {
            if (p.isIntegralNumber()) {
                return p.bigIntegerValue().min(BigInteger.valueOf(Integer.MAX_VALUE))
                        .max(BigInteger.valueOf(Integer.MIN_VALUE)).intValue();
            }
            if (p.isNumber()) {
                return (int) p.doubleValue();
            }
            return Integer.parseInt(p.asString().trim());
        } catch (RuntimeException e) {
            return 1;
        }
    }
}
