package io.kook.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * A seeded generator of realistic Ansible inventories, JDK only (so the smoke test can compile it anywhere).
 *
 * <p>Shape: {@code groups} groups in three levels (about 2% regions, 8% clusters, 90% role groups as
 * leaves). Clusters sit under one region, each leaf under one cluster and one leaf in ten also under a
 * second cluster (a DAG, still depth 3). Every host is in 2 to 4 leaf groups (the first one in its home
 * cluster) and carries 11 vars, one of them a nested dict and one a list; every group has 5 vars and
 * {@code all} has 2. Same arguments, same bytes.
 *
 * <pre>
 * java io.kook.bench.InventoryGenerator --hosts 10000 --groups 500 --seed 42 --out DIR [--pairs 100000]
 * </pre>
 * writes {@code DIR/inventory.yml} (Ansible YAML), {@code DIR/hosts.txt} (one host a line),
 * {@code DIR/pairs.txt} ({@code group host} not yet members, for write load) and prints a one-line summary.
 * With {@code --chunks N} the YAML is split into {@code inventory-001.yml} .. {@code inventory-N.yml}: every
 * file holds all groups (vars, nesting) and one N-th of the hosts, so merge imports of them in turn build the
 * same inventory without one file too big to import.
 */
public final class InventoryGenerator {

    private static final String[] ROLES = {"web", "api", "db", "cache", "queue", "worker", "lb", "mon", "batch",
            "search", "storage", "proxy", "auth", "log", "ci", "dns"};
    private static final String[] OS = {"debian", "ubuntu", "rocky", "alpine"};
    private static final String[] TEAMS = {"platform", "payments", "search", "data", "identity", "edge", "core"};

    /** A generated inventory: insertion-ordered, every collection deterministic for a seed. */
    public record Inventory(Map<String, Object> allVars,
                            Map<String, Map<String, Object>> hostVars,
                            Map<String, GroupSpec> groups,
                            List<String> topGroups) {

        /** Leaf groups of {@code host}, in no particular order. */
        public Set<String> leafGroupsOf(String host) {
            Set<String> result = new TreeSet<>();
            groups.forEach((name, g) -> {
                if (g.hosts().contains(host)) {
                    result.add(name);
                }
            });
            return result;
        }
    }

    /** One group: level 1 (top) to 3 (leaf), its vars, children and direct member hosts. */
    public record GroupSpec(String name, int level, Map<String, Object> vars, Set<String> children,
                            Set<String> parents, Set<String> hosts) {
    }

    private InventoryGenerator() {
    }

    public static Inventory generate(int hostCount, int groupCount, long seed) {
        if (groupCount < 4) {
            throw new IllegalArgumentException("need at least 4 groups");
        }
        Random rnd = new Random(seed);
        int top = Math.max(1, groupCount / 50);
        int mid = Math.max(2 * top, groupCount * 8 / 100);
        int leaves = groupCount - top - mid;
        if (leaves < 4) {
            throw new IllegalArgumentException("too few groups for 3 levels with 4 leaves: " + groupCount);
        }

        Map<String, GroupSpec> groups = new LinkedHashMap<>();
        List<String> tops = new ArrayList<>();
        List<String> mids = new ArrayList<>();
        List<String> leafNames = new ArrayList<>();
        for (int i = 0; i < top; i++) {
            String name = String.format("region%02d", i);
            tops.add(name);
            groups.put(name, group(name, 1, topVars(rnd, i)));
        }
        for (int i = 0; i < mid; i++) {
            String parent = tops.get(i % top);
            String name = parent + "_c" + (i / top);
            mids.add(name);
            groups.put(name, group(name, 2, midVars(rnd, name)));
            link(groups, parent, name);
        }
        Map<String, List<String>> leavesOfMid = new LinkedHashMap<>();
        for (int i = 0; i < leaves; i++) {
            String parent = mids.get(i % mid);
            int nth = i / mid;
            String name = parent + "_" + ROLES[nth % ROLES.length] + (nth >= ROLES.length ? nth / ROLES.length : "");
            leafNames.add(name);
            groups.put(name, group(name, 3, leafVars(rnd, ROLES[nth % ROLES.length])));
            link(groups, parent, name);
            leavesOfMid.computeIfAbsent(parent, k -> new ArrayList<>()).add(name);
            if (rnd.nextInt(10) == 0 && mid > 1) {
                String second = mids.get(rnd.nextInt(mid));
                if (!second.equals(parent)) {
                    link(groups, second, name);
                }
            }
        }

        Map<String, Map<String, Object>> hostVars = new LinkedHashMap<>();
        int width = Math.max(5, String.valueOf(hostCount).length());
        for (int i = 0; i < hostCount; i++) {
            String home = mids.get(rnd.nextInt(mid));
            String name = String.format("h%0" + width + "d.%s.example.com", i, home.replace('_', '-'));
            hostVars.put(name, hostVars(rnd, i));
            List<String> homeLeaves = leavesOfMid.getOrDefault(home, leafNames);
            Set<String> chosen = new LinkedHashSet<>();
            chosen.add(homeLeaves.get(rnd.nextInt(homeLeaves.size())));
            int k = 2 + rnd.nextInt(3);
            while (chosen.size() < k) {
                chosen.add(leafNames.get(rnd.nextInt(leafNames.size())));
            }
            for (String g : chosen) {
                groups.get(g).hosts().add(name);
            }
        }
        Map<String, Object> allVars = new LinkedHashMap<>();
        allVars.put("ansible_python_interpreter", "/usr/bin/python3");
        allVars.put("domain", "example.com");
        return new Inventory(allVars, hostVars, groups, tops);
    }

    private static GroupSpec group(String name, int level, Map<String, Object> vars) {
        return new GroupSpec(name, level, vars, new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashSet<>());
    }

    private static void link(Map<String, GroupSpec> groups, String parent, String child) {
        groups.get(parent).children().add(child);
        groups.get(child).parents().add(parent);
    }

    private static Map<String, Object> topVars(Random rnd, int i) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("region", "region" + i);
        v.put("ntp_servers", List.of("ntp1.region" + i + ".example.com", "ntp2.region" + i + ".example.com"));
        v.put("dns_resolver", "10." + i + ".0.53");
        v.put("env", rnd.nextInt(4) == 0 ? "staging" : "prod");
        v.put("backup_enabled", rnd.nextBoolean());
        return v;
    }

    private static Map<String, Object> midVars(Random rnd, String name) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("cluster", name);
        v.put("vlan", 100 + rnd.nextInt(3900));
        v.put("gateway", "10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + ".1");
        v.put("owner_team", TEAMS[rnd.nextInt(TEAMS.length)]);
        v.put("maintenance_window", "sun " + rnd.nextInt(24) + ":00");
        return v;
    }

    private static Map<String, Object> leafVars(Random rnd, String role) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("role", role);
        v.put("service_port", 1024 + rnd.nextInt(60000));
        v.put("log_level", rnd.nextBoolean() ? "info" : "warn");
        v.put("replicas", 1 + rnd.nextInt(9));
        v.put("ansible_group_priority", 1 + rnd.nextInt(5));
        return v;
    }

    private static Map<String, Object> hostVars(Random rnd, int i) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ansible_host", "10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254)));
        v.put("ansible_port", 22);
        v.put("ansible_user", "deploy");
        v.put("rack", "r" + rnd.nextInt(64));
        v.put("serial", String.format("SN%010d", rnd.nextInt(Integer.MAX_VALUE)));
        v.put("cpu_cores", 2 << rnd.nextInt(6));
        v.put("memory_gb", 4 << rnd.nextInt(7));
        v.put("monitored", rnd.nextInt(20) != 0);
        Map<String, Object> os = new LinkedHashMap<>();
        os.put("family", OS[rnd.nextInt(OS.length)]);
        os.put("version", String.valueOf(10 + rnd.nextInt(5)));
        os.put("kernel", "6.1." + rnd.nextInt(130) + "-amd64");
        v.put("os", os);
        v.put("tags", List.of(TEAMS[rnd.nextInt(TEAMS.length)], "tier" + rnd.nextInt(3)));
        v.put("weight", Math.round(rnd.nextDouble() * 1000) / 10.0);
        return v;
    }

    /** The inventory as Ansible YAML: vars in JSON-style flow mappings (valid YAML 1.1), hosts' vars once. */
    public static void writeYaml(Inventory inv, Appendable out) throws IOException {
        writeYaml(inv, out, h -> true);
    }

    /** {@link #writeYaml(Inventory, Appendable)} with only the hosts {@code include} accepts. */
    public static void writeYaml(Inventory inv, Appendable out, java.util.function.Predicate<String> include)
            throws IOException {
        Set<String> hostsWritten = new java.util.HashSet<>();
        Set<String> groupsWritten = new java.util.HashSet<>();
        out.append("all:\n");
        out.append("  vars: ").append(json(inv.allVars())).append('\n');
        out.append("  children:\n");
        for (String top : inv.topGroups()) {
            writeGroup(inv, top, 2, out, hostsWritten, groupsWritten, include);
        }
    }

    private static void writeGroup(Inventory inv, String name, int indent, Appendable out, Set<String> hostsWritten,
                                   Set<String> groupsWritten, java.util.function.Predicate<String> include)
            throws IOException {
        String pad = "  ".repeat(indent);
        GroupSpec g = inv.groups().get(name);
        if (!groupsWritten.add(name)) {
            out.append(pad).append(name).append(":\n");   // seen under another parent: just the nesting
            return;
        }
        out.append(pad).append(name).append(":\n");
        out.append(pad).append("  vars: ").append(json(g.vars())).append('\n');
        List<String> hosts = g.hosts().stream().filter(include).toList();
        if (!hosts.isEmpty()) {
            out.append(pad).append("  hosts:\n");
            for (String h : hosts) {
                out.append(pad).append("    ").append(h).append(':');
                if (hostsWritten.add(h)) {
                    out.append(' ').append(json(inv.hostVars().get(h)));
                }
                out.append('\n');
            }
        }
        if (!g.children().isEmpty()) {
            out.append(pad).append("  children:\n");
            for (String c : g.children()) {
                writeGroup(inv, c, indent + 2, out, hostsWritten, groupsWritten, include);
            }
        }
    }

    static String json(Object value) {
        StringBuilder b = new StringBuilder();
        json(value, b);
        return b.toString();
    }

    private static void json(Object value, StringBuilder b) {
        if (value instanceof Map<?, ?> map) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    b.append(", ");
                }
                first = false;
                string(e.getKey().toString(), b);
                b.append(": ");
                json(e.getValue(), b);
            }
            b.append('}');
        } else if (value instanceof List<?> list) {
            b.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    b.append(", ");
                }
                json(list.get(i), b);
            }
            b.append(']');
        } else if (value instanceof String s) {
            string(s, b);
        } else {
            b.append(value);   // Integer, Long, Double, Boolean
        }
    }

    private static void string(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append('"');
    }

    /**
     * {@code count} (leaf group, host) pairs that are not memberships yet, each at most once, seeded: the
     * write load adds real edges, never idempotent no-ops.
     */
    public static List<String> newMemberships(Inventory inv, int count, long seed) {
        Random rnd = new Random(seed ^ 0x5DEECE66DL);
        List<String> leaves = inv.groups().values().stream().filter(g -> g.level() == 3).map(GroupSpec::name).toList();
        List<String> hosts = new ArrayList<>(inv.hostVars().keySet());
        Set<String> seen = new java.util.HashSet<>();
        List<String> pairs = new ArrayList<>(count);
        long max = (long) leaves.size() * hosts.size();
        int guard = 0;
        while (pairs.size() < count && seen.size() < max && guard++ < count * 20) {
            String g = leaves.get(rnd.nextInt(leaves.size()));
            String h = hosts.get(rnd.nextInt(hosts.size()));
            if (!inv.groups().get(g).hosts().contains(h) && seen.add(g + ' ' + h)) {
                pairs.add(g + ' ' + h);
            }
        }
        return pairs;
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = Args.parse(args);
        int hosts = Integer.parseInt(a.getOrDefault("hosts", "10000"));
        int groups = Integer.parseInt(a.getOrDefault("groups", "500"));
        long seed = Long.parseLong(a.getOrDefault("seed", "42"));
        int pairCount = Integer.parseInt(a.getOrDefault("pairs", "100000"));
        Path dir = Path.of(a.getOrDefault("out", "."));
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        int chunks = Integer.parseInt(a.getOrDefault("chunks", "0"));
        Inventory inv = generate(hosts, groups, seed);
        if (chunks > 0) {
            List<String> names = new ArrayList<>(inv.hostVars().keySet());
            for (int c = 0; c < chunks; c++) {
                Set<String> slice = new java.util.HashSet<>(
                        names.subList(names.size() * c / chunks, names.size() * (c + 1) / chunks));
                Path file = dir.resolve(String.format("inventory-%03d.yml", c + 1));
                try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    writeYaml(inv, w, slice::contains);
                }
            }
        } else {
            try (Writer w = Files.newBufferedWriter(dir.resolve("inventory.yml"), StandardCharsets.UTF_8)) {
                writeYaml(inv, w);
            }
        }
        Files.write(dir.resolve("hosts.txt"), inv.hostVars().keySet(), StandardCharsets.UTF_8);
        Files.write(dir.resolve("pairs.txt"), newMemberships(inv, pairCount, seed), StandardCharsets.UTF_8);
        long memberships = inv.groups().values().stream().mapToLong(g -> g.hosts().size()).sum();
        long yamlBytes;
        try (var files = Files.list(dir)) {
            yamlBytes = files.filter(f -> f.getFileName().toString().startsWith("inventory"))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
        System.out.printf("generated hosts=%d groups=%d memberships=%d yaml_bytes=%d seed=%d in %d ms%n", hosts,
                inv.groups().size(), memberships, yamlBytes, seed,
                (System.nanoTime() - t0) / 1_000_000);
    }
}
