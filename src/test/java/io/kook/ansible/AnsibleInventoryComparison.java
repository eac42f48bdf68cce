package io.kook.ansible;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.fail;

/**
 * Compares two inventories in any of the JSON shapes Ansible deals in: what {@code ansible-inventory --list}
 * prints (group vars already resolved into {@code _meta.hostvars}), what {@code --list --export} prints, and what
 * an inventory script such as Kook's prints (group vars on groups, own vars in {@code _meta.hostvars}). Both sides
 * are reduced to one normal form, so the shapes compare with each other:
 * <ul>
 * <li>the set of groups (a group named only in some {@code children} list is an empty group, a missing key is
 * {@code {"hosts": []}}) and the set of hosts;</li>
 * <li>per group, its direct hosts and children as sets (Ansible's order of groups and hosts is not the
 * inventory's);</li>
 * <li>{@code all}'s children are the groups with no other parent, plus {@code ungrouped}; {@code ungrouped} holds
 * the hosts in no other group;</li>
 * <li>per host, its effective vars resolved as Ansible does: {@code all}, then groups by depth, same depth by
 * {@code ansible_group_priority} (default 1) then name, host vars last; dicts replaced, never merged;
 * {@code ansible_group_priority} itself is no var (Ansible drops it).</li>
 * </ul>
 * Values compare strictly by JSON type: {@code 1}, {@code 1.0}, {@code true} and {@code "1"} are four values.
 */
public final class AnsibleInventoryComparison {

    private static final int MAX_REPORTED = 30;
    private static final String ALL = "all";
    private static final String UNGROUPED = "ungrouped";
    private static final String PRIORITY = "ansible_group_priority";

    private AnsibleInventoryComparison() {
    }

    /** Fails with every difference (up to 30), labelled A = {@code expectedLabel}, B = {@code actualLabel}. */
    public static void assertSame(String expectedLabel, JsonNode expected, String actualLabel, JsonNode actual) {
        List<String> diffs = differences(expected, actual);
        if (!diffs.isEmpty()) {
            StringBuilder sb = new StringBuilder(diffs.size() + " difference(s) between A = " + expectedLabel
                    + " and B = " + actualLabel + ":\n");
            diffs.stream().limit(MAX_REPORTED).forEach(d -> sb.append("  ").append(d).append('\n'));
            if (diffs.size() > MAX_REPORTED) {
                sb.append("  ... and ").append(diffs.size() - MAX_REPORTED).append(" more\n");
            }
            fail(sb.toString());
        }
    }

    /** Readable differences between inventories {@code a} and {@code b}; empty when they are the same. */
    public static List<String> differences(JsonNode a, JsonNode b) {
        Normal na = normalize(a);
        Normal nb = normalize(b);
        List<String> diffs = new ArrayList<>();
        onlyIn("groups", na.groups.keySet(), nb.groups.keySet(), diffs);
        onlyIn("hosts", na.hostvars.keySet(), nb.hostvars.keySet(), diffs);
        for (String g : new TreeSet<>(na.groups.keySet())) {
            Members y = nb.groups.get(g);
            if (y == null) {
                continue;
            }
            Members x = na.groups.get(g);
            setDiff("group " + g + ".hosts", x.hosts, y.hosts, diffs);
            setDiff("group " + g + ".children", x.children, y.children, diffs);
        }
        for (String h : new TreeSet<>(na.hostvars.keySet())) {
            if (nb.hostvars.containsKey(h)) {
                deepDiff(na.hostvars.get(h), nb.hostvars.get(h), "hostvars[" + h + "]", diffs);
            }
        }
        return diffs;
    }

    /** Whether two JSON values are the same value of the same JSON type (numbers by value, not by node class). */
    public static boolean sameValue(JsonNode a, JsonNode b) {
        List<String> diffs = new ArrayList<>();
        deepDiff(a, b, "", diffs);
        return diffs.isEmpty();
    }

    private record Members(Set<String> hosts, Set<String> children) {
    }

    private record Normal(Map<String, Members> groups, Map<String, ObjectNode> hostvars) {
    }

    private static final class RawGroup {
        final Set<String> hosts = new HashSet<>();
        final Set<String> children = new HashSet<>();
        ObjectNode vars = JsonNodeFactory.instance.objectNode();
    }

    private static Normal normalize(JsonNode inventory) {
        if (inventory == null || !inventory.isObject()) {
            throw new AssertionError("an inventory is a JSON object, not " + inventory);
        }
        Map<String, RawGroup> groups = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : inventory.properties()) {
            if (e.getKey().equals("_meta")) {
                continue;
            }
            RawGroup g = groups.computeIfAbsent(e.getKey(), k -> new RawGroup());
            JsonNode body = e.getValue();
            if (body.isArray()) {
                body.forEach(h -> g.hosts.add(h.asString()));
                continue;
            }
            if (body.isNull()) {
                continue;
            }
            if (!body.isObject()) {
                throw new AssertionError("group " + e.getKey() + " is neither an object nor a list: " + body);
            }
            names(body.get("hosts")).forEach(g.hosts::add);
            for (String child : names(body.get("children"))) {
                g.children.add(child);
                groups.computeIfAbsent(child, k -> new RawGroup());
            }
            if (body.get("vars") instanceof ObjectNode vars) {
                g.vars = vars;
            }
        }
        groups.computeIfAbsent(ALL, k -> new RawGroup());
        groups.computeIfAbsent(UNGROUPED, k -> new RawGroup());
        JsonNode meta = inventory.path("_meta").path("hostvars");
        Map<String, ObjectNode> own = new HashMap<>();
        if (meta.isObject()) {
            meta.properties().forEach(e -> own.put(e.getKey(),
                    e.getValue() instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode()));
        }

        Set<String> hosts = new HashSet<>(own.keySet());
        groups.values().forEach(g -> hosts.addAll(g.hosts));
        Map<String, Set<String>> parents = new HashMap<>();
        groups.keySet().forEach(n -> parents.put(n, new HashSet<>()));
        groups.forEach((n, g) -> g.children.forEach(c -> parents.get(c).add(n)));
        Map<String, Set<String>> direct = new HashMap<>();
        hosts.forEach(h -> direct.put(h, new HashSet<>()));
        groups.forEach((n, g) -> g.hosts.forEach(h -> direct.get(h).add(n)));
        Set<String> ungrouped = new TreeSet<>();
        for (String h : hosts) {
            Set<String> real = new HashSet<>(direct.get(h));
            real.remove(ALL);
            real.remove(UNGROUPED);
            if (real.isEmpty()) {
                ungrouped.add(h);
            }
        }
        Map<String, Integer> depth = new HashMap<>();
        groups.keySet().forEach(n -> depthOf(n, parents, depth, new HashSet<>()));

        Map<String, ObjectNode> resolved = new HashMap<>();
        for (String h : hosts) {
            Set<String> member = new HashSet<>();
            Set<String> start = new HashSet<>(direct.get(h));
            if (ungrouped.contains(h)) {
                start.add(UNGROUPED);
            }
            start.forEach(n -> ancestors(n, parents, member));
            member.add(ALL);
            List<String> order = new ArrayList<>(member);
            order.sort(Comparator.<String>comparingInt(depth::get)
                    .thenComparingInt(n -> priority(groups.get(n).vars)).thenComparing(Comparator.naturalOrder()));
            ObjectNode effective = JsonNodeFactory.instance.objectNode();
            for (String n : order) {
                groups.get(n).vars.properties().forEach(e -> {
                    if (!e.getKey().equals(PRIORITY)) {
                        effective.set(e.getKey(), e.getValue());
                    }
                });
            }
            ObjectNode hostOwn = own.get(h);
            if (hostOwn != null) {
                hostOwn.properties().forEach(e -> effective.set(e.getKey(), e.getValue()));
            }
            resolved.put(h, effective);
        }

        Map<String, Members> out = new TreeMap<>();
        groups.forEach((n, g) -> {
            if (!n.equals(ALL) && !n.equals(UNGROUPED)) {
                out.put(n, new Members(new TreeSet<>(g.hosts), new TreeSet<>(g.children)));
            }
        });
        Set<String> top = new TreeSet<>();
        for (String n : groups.keySet()) {
            Set<String> p = new HashSet<>(parents.get(n));
            p.remove(ALL);
            if (!n.equals(ALL) && p.isEmpty()) {
                top.add(n);
            }
        }
        top.add(UNGROUPED);
        out.put(ALL, new Members(new TreeSet<>(), top));
        out.put(UNGROUPED, new Members(ungrouped, new TreeSet<>(groups.get(UNGROUPED).children)));
        return new Normal(out, resolved);
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        if (list == null || list.isNull()) {
            return names;
        }
        if (list.isArray()) {
            list.forEach(n -> names.add(n.asString()));
        } else if (list.isObject()) {
            list.propertyNames().forEach(names::add);
        } else {
            throw new AssertionError("expected a list of names, got " + list);
        }
        return names;
    }

    private static int depthOf(String n, Map<String, Set<String>> parents, Map<String, Integer> depth,
                               Set<String> stack) {
        Integer known = depth.get(n);
        if (known != null) {
            return known;
        }
        if (n.equals(ALL)) {
            depth.put(n, 0);
            return 0;
        }
        if (!stack.add(n)) {
            throw new AssertionError("group cycle through " + n);
        }
        int d = 1;
        for (String p : parents.get(n)) {
            if (!p.equals(ALL)) {
                d = Math.max(d, 1 + depthOf(p, parents, depth, stack));
            }
        }
        stack.remove(n);
        depth.put(n, d);
        return d;
    }

    private static void ancestors(String n, Map<String, Set<String>> parents, Set<String> seen) {
        if (seen.add(n)) {
            parents.get(n).forEach(p -> ancestors(p, parents, seen));
        }
    }

    /** Ansible's {@code int(value)} of {@code ansible_group_priority}, 1 when absent or not a number. */
    private static int priority(ObjectNode vars) {
        JsonNode p = vars.get(PRIORITY);
        if (p == null) {
            return 1;
        }
        if (p.isNumber()) {
            return p.intValue();
        }
        try {
            return Integer.parseInt(p.asString().trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static void onlyIn(String what, Set<String> a, Set<String> b, List<String> diffs) {
        Set<String> onlyA = new TreeSet<>(a);
        onlyA.removeAll(b);
        Set<String> onlyB = new TreeSet<>(b);
        onlyB.removeAll(a);
        if (!onlyA.isEmpty()) {
            diffs.add(what + " only in A: " + shortList(onlyA));
        }
        if (!onlyB.isEmpty()) {
            diffs.add(what + " only in B: " + shortList(onlyB));
        }
    }

    private static void setDiff(String what, Set<String> a, Set<String> b, List<String> diffs) {
        if (a.equals(b)) {
            return;
        }
        Set<String> onlyA = new TreeSet<>(a);
        onlyA.removeAll(b);
        Set<String> onlyB = new TreeSet<>(b);
        onlyB.removeAll(a);
        List<String> parts = new ArrayList<>();
        if (!onlyA.isEmpty()) {
            parts.add("only in A: " + shortList(onlyA));
        }
        if (!onlyB.isEmpty()) {
            parts.add("only in B: " + shortList(onlyB));
        }
        diffs.add(what + ": " + String.join("; ", parts));
    }

    private static String shortList(Set<String> names) {
        List<String> list = new ArrayList<>(names);
        return String.join(", ", list.subList(0, Math.min(8, list.size())))
                + (list.size() > 8 ? ", ... (+" + (list.size() - 8) + ")" : "");
    }

    private static String typeName(JsonNode v) {
        if (v == null) {
            return "absent";
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        if (v.isIntegralNumber()) {
            return "int";
        }
        if (v.isNumber()) {
            return "float";
        }
        if (v.isString()) {
            return "string";
        }
        if (v.isArray()) {
            return "list";
        }
        if (v.isObject()) {
            return "object";
        }
        return v.getNodeType().toString();
    }

    private static String shortValue(JsonNode v) {
        String s = String.valueOf(v);
        return s.length() <= 70 ? s : s.substring(0, 67) + "...";
    }

    private static void deepDiff(JsonNode a, JsonNode b, String path, List<String> out) {
        String ta = typeName(a);
        String tb = typeName(b);
        if (!ta.equals(tb)) {
            out.add(path + ": " + shortValue(a) + " (" + ta + ") != " + shortValue(b) + " (" + tb + ")");
            return;
        }
        switch (ta) {
            case "object" -> {
                Set<String> keys = new TreeSet<>();
                a.propertyNames().forEach(keys::add);
                b.propertyNames().forEach(keys::add);
                for (String k : keys) {
                    String p = path + "." + k;
                    if (!b.has(k)) {
                        out.add(p + ": only in A = " + shortValue(a.get(k)));
                    } else if (!a.has(k)) {
                        out.add(p + ": only in B = " + shortValue(b.get(k)));
                    } else {
                        deepDiff(a.get(k), b.get(k), p, out);
                    }
                }
            }
            case "list" -> {
                if (a.size() != b.size()) {
                    out.add(path + ": list of " + a.size() + " != list of " + b.size() + ": " + shortValue(a)
                            + " vs " + shortValue(b));
                    return;
                }
                Iterator<JsonNode> x = a.iterator();
                Iterator<JsonNode> y = b.iterator();
                for (int i = 0; x.hasNext(); i++) {
                    deepDiff(x.next(), y.next(), path + "[" + i + "]", out);
                }
            }
            case "int" -> {
                BigInteger ia = a.bigIntegerValue();
                BigInteger ib = b.bigIntegerValue();
                if (!ia.equals(ib)) {
                    out.add(path + ": " + ia + " != " + ib);
                }
            }
            case "float" -> {
                if (Double.compare(a.doubleValue(), b.doubleValue()) != 0) {
                    out.add(path + ": " + a.doubleValue() + " != " + b.doubleValue());
                }
            }
            case "string" -> {
                if (!a.stringValue().equals(b.stringValue())) {
                    out.add(path + ": " + shortValue(a) + " != " + shortValue(b));
                }
            }
            case "bool" -> {
                if (a.booleanValue() != b.booleanValue()) {
                    out.add(path + ": " + a + " != " + b);
                }
            }
            default -> {
                // null == null
            }
        }
    }
}
