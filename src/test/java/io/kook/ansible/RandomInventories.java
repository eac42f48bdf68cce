package io.kook.ansible;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.Names;
import io.kook.inventory.Snapshot;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random inventories full of what breaks naive writers: names Ansible could take for other types, var names and
 * values with quotes, {@code #}, {@code ;}, {@code =}, spaces, line breaks of every kind, backslashes and
 * non-ASCII text, numbers of every size, nested lists and dicts, empty groups, groups with only children, hosts
 * in several groups and in none. An inventory is built as the JSON an inventory script prints (group vars on
 * groups, own vars in {@code _meta.hostvars}), which Kook imports as it is.
 */
public final class RandomInventories {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    static final List<String> HOSTS = List.of("web1", "db-2.example.com", "10.0.0.1", "::1", "2001:db8::1", "a:b",
            "yes", "no", "null", "true", "1", "1.5", "0x1F", "0755", "1e5", "_", "@at", "a@b", "x.", "-a", "1_000",
            "2024-01-01", "a-b.c_d", "UPPER", "web-01", "-");
    static final List<String> GROUPS = List.of("web", "db", "yes", "0755", "a-b.c_d", "g_1", "vars", "children",
            "hosts", "x.y", "_under", "9lives", "UPPER", "true", "none", "ungrouped_not");
    public static final List<String> KEYS = List.of("a", "port", "ansible_host", "with space", "x#y", "semi;colon",
            "q'uote", "d\"q", "back\\slash", "ünïcode", "k.v", "-dash", "1", "a:b", "]", "x[0]", "emoji😀", "$dollar",
            "{{ x }}", "two  spaces", "end;", "mid#", "\"", "'", "Ωmega", "");
    public static final List<String> STRINGS = List.of("", " ", "123", "-7", "1.5", "1e5", "0x10", "0755", "True", "true",
            "yes", "no", "null", "None", "~", "'quoted'", "\"dq\"", "a # b", "#start", ";start", "a ; b", "a=b", "=",
            "  lead", "trail  ", "line1\nline2", "cr\r\nlf", "tab\there", "back\\slash", "\\", "\\\\n", "\\'", "\\\"",
            "ü€😀", "\u2028", "\u0085", "\u000b\u000c\u001c", "\u0000", "\u007f", "{{ jinja }}", "[1, 2]",
            "{'a': 1}", "[section]", "[g:vars]", "-", "'", "\"", "\u00a0nbsp", "\ufeff", "\u200b", "end\\",
            "a'b\"c", "key=value other=2", "$HOME", "`cmd`", "...", "set()", "b'x'", "1j", "inf", "nan");
    private static final String ALPHABET = "aZ0 '\"\\#;=[]{}:,.\n\r\t\u0000\u0085\u2028\u00e9€\ufeff\u200b%$~`-_";
    private static final List<Long> INTS = List.of(0L, 1L, -1L, 42L, 2147483647L, 2147483648L, -2147483649L,
            Long.MAX_VALUE, Long.MIN_VALUE);
    /** Floats Java 17 prints with the digits that denote them exactly, as Kook's import requires. */
    private static final List<Double> FLOATS = List.of(0.0, 1.5, 0.1, 1e300, 1e-300, 5e-324, 1e16, 123456.789, -2.5,
            1e22, 3.0, 1.7976931348623157e308, 2.220446049250313e-16);

    private RandomInventories() {
    }

    /** A random inventory in the inventory script's {@code --list} form. */
    static ObjectNode inventory(Random r) {
        List<String> hosts = pick(r, HOSTS, r.nextInt(9));
        List<String> groups = pick(r, GROUPS, r.nextInt(7));
        Map<String, TreeSet<String>> members = new TreeMap<>();
        Map<String, TreeSet<String>> children = new TreeMap<>();
        for (String g : groups) {
            members.put(g, new TreeSet<>());
            children.put(g, new TreeSet<>());
        }
        // edges only from earlier to later groups in this shuffled order: a DAG, often with diamonds
        for (int i = 0; i < groups.size(); i++) {
            for (int j = i + 1; j < groups.size(); j++) {
                if (r.nextInt(4) == 0) {
                    children.get(groups.get(i)).add(groups.get(j));
                }
            }
        }
        TreeSet<String> grouped = new TreeSet<>();
        for (String h : hosts) {
            for (String g : groups) {
                if (r.nextInt(10) < 3) {
                    members.get(g).add(h);
                    grouped.add(h);
                }
            }
        }
        ObjectNode inventory = JSON.objectNode();
        ObjectNode hostvars = inventory.putObject("_meta").putObject("hostvars");
        for (String h : new TreeSet<>(hosts)) {
            hostvars.set(h, vars(r, r.nextInt(5)));
        }
        ObjectNode all = inventory.putObject(Names.ALL);
        ArrayNode top = all.putArray("children");
        TreeSet<String> nested = new TreeSet<>();
        children.values().forEach(nested::addAll);
        members.keySet().stream().filter(g -> !nested.contains(g)).forEach(top::add);
        top.add(Names.UNGROUPED);
        if (r.nextBoolean()) {
            all.set("vars", vars(r, 1 + r.nextInt(3)));
        }
        ArrayNode ungrouped = inventory.putObject(Names.UNGROUPED).putArray("hosts");
        new TreeSet<>(hosts).stream().filter(h -> !grouped.contains(h)).forEach(ungrouped::add);
        for (String g : members.keySet()) {
            ObjectNode group = inventory.putObject(g);
            ArrayNode list = group.putArray("hosts");
            members.get(g).forEach(list::add);
            if (r.nextBoolean()) {
                group.set("vars", vars(r, 1 + r.nextInt(3)));
            }
            if (!children.get(g).isEmpty()) {
                ArrayNode c = group.putArray("children");
                children.get(g).forEach(c::add);
            }
        }
        return inventory;
    }

    /** The snapshot Kook would hold after importing {@code inventory} (see {@link #inventory}). */
    static Snapshot snapshot(ObjectNode inventory, long revision) {
        Map<String, Host> hosts = new TreeMap<>();
        Map<String, Group> groups = new TreeMap<>();
        Map<String, List<String>> hostGroups = new TreeMap<>();
        Map<String, List<String>> parents = new TreeMap<>();
        inventory.get("_meta").get("hostvars").propertyNames().forEach(h -> hostGroups.put(h, new ArrayList<>()));
        for (Map.Entry<String, JsonNode> e : inventory.properties()) {
            if (Names.isReserved(e.getKey()) || e.getKey().equals("_meta")) {
                continue;
            }
            parents.putIfAbsent(e.getKey(), new ArrayList<>());
            e.getValue().get("hosts").forEach(h -> hostGroups.get(h.asString()).add(e.getKey()));
            e.getValue().path("children").forEach(c -> parents.computeIfAbsent(c.asString(), k -> new ArrayList<>())
                    .add(e.getKey()));
        }
        for (Map.Entry<String, List<String>> e : hostGroups.entrySet()) {
            hosts.put(e.getKey(), new Host(e.getKey(), (ObjectNode) inventory.get("_meta").get("hostvars")
                    .get(e.getKey()), sorted(e.getValue()), 1, 0, false));
        }
        for (String g : parents.keySet()) {
            JsonNode body = inventory.get(g);
            groups.put(g, new Group(g, body.has("vars") ? (ObjectNode) body.get("vars") : JSON.objectNode(),
                    names(body.get("hosts")), names(body.path("children")), sorted(parents.get(g)), 1, 0, false));
        }
        if (inventory.get(Names.ALL).has("vars")) {
            groups.put(Names.ALL, new Group(Names.ALL, (ObjectNode) inventory.get(Names.ALL).get("vars"), List.of(),
                    List.of(), List.of(), 1, 0, false));
        }
        return new Snapshot(revision, 0, 0, hosts, groups, List.copyOf(hosts.keySet()), List.copyOf(groups.keySet()));
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(n -> names.add(n.asString()));
        return sorted(names);
    }

    private static List<String> sorted(List<String> names) {
        List<String> copy = new ArrayList<>(names);
        Collections.sort(copy);
        return copy;
    }

    private static List<String> pick(Random r, List<String> pool, int n) {
        List<String> copy = new ArrayList<>(pool);
        Collections.shuffle(copy, r);
        return new ArrayList<>(copy.subList(0, Math.min(n, copy.size())));
    }

    static ObjectNode vars(Random r, int n) {
        ObjectNode vars = JSON.objectNode();
        for (int i = 0; i < n; i++) {
            vars.set(KEYS.get(r.nextInt(KEYS.size())), value(r, 0));
        }
        return vars;
    }

    /** A random JSON value: scalars of every type, awkward strings, lists and dicts nested up to 3 deep. */
    public static JsonNode value(Random r, int depth) {
        int kind = r.nextInt(depth >= 3 ? 7 : 9);
        switch (kind) {
            case 0:
                return JSON.nullNode();
            case 1:
                return JSON.booleanNode(r.nextBoolean());
            case 2:
                return switch (r.nextInt(3)) {
                    case 0 -> JSON.numberNode(INTS.get(r.nextInt(INTS.size())));
                    case 1 -> JSON.numberNode(new BigInteger(70 + r.nextInt(60), r).negate());
                    default -> JSON.numberNode(r.nextInt(2000) - 1000);
                };
            case 3:
                return JSON.numberNode(r.nextBoolean() ? FLOATS.get(r.nextInt(FLOATS.size()))
                        : (r.nextInt(2001) - 1000) / 8.0);
            case 4:
            case 5:
                return JSON.stringNode(STRINGS.get(r.nextInt(STRINGS.size())));
            case 6:
                return JSON.stringNode(randomString(r));
            case 7: {
                ArrayNode list = JSON.arrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    list.add(value(r, depth + 1));
                }
                return list;
            }
            default: {
                ObjectNode dict = JSON.objectNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    dict.set(r.nextBoolean() ? STRINGS.get(r.nextInt(STRINGS.size())) : randomString(r),
                            value(r, depth + 1));
                }
                return dict;
            }
        }
    }

    private static String randomString(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(11); i > 0; i--) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        if (r.nextInt(8) == 0) {
            sb.appendCodePoint(0x1F600 + r.nextInt(40));
        }
        return sb.toString();
    }
}
