package io.kook.bench;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The cache-less baseline: builds the Ansible {@code --list} JSON straight from ZooKeeper for every request,
 * one synchronous {@code getChildren}/{@code getData} per node, as the original Python prototype did. No
 * mirror, no memo, no watch: what every request would cost without Kook's design.
 *
 * <p>Layout read: {@code <root>/inventory/hosts/<h>} ({@code {"vars":{..}}}),
 * {@code <root>/inventory/groups/<g>} ({@code {"vars":{..}}}), edges {@code .../groups/<g>/hosts/<h>} and
 * {@code .../groups/<g>/children/<c>}. Output follows {@code InventoryRenderer} byte for byte (same Jackson
 * serialization, same order), so the run can check both answers are identical.
 *
 * <pre>
 * java io.kook.bench.CachelessInventory --connect 127.0.0.1:2181 [--root /kook] [--iterations 20]
 *      [--seconds 60] [--out inventory.json]
 * </pre>
 * prints {@code cacheless builds=N req_per_s=.. p50_ms=.. p99_ms=.. bytes=..}.
 */
public final class CachelessInventory {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ALL = "all";
    private static final String UNGROUPED = "ungrouped";

    private CachelessInventory() {
    }

    /** One full build: every host and group node read, every edge listed, the document rendered. */
    public static byte[] build(ZooKeeper zk, String root) throws KeeperException, InterruptedException {
        String base = root + "/inventory";
        List<String> hostNames = sorted(zk.getChildren(base + "/hosts", false));
        Map<String, ObjectNode> hostVars = new TreeMap<>();
        for (String h : hostNames) {
            hostVars.put(h, vars(zk.getData(base + "/hosts/" + h, false, null)));
        }
        List<String> groupNames = sorted(zk.getChildren(base + "/groups", false));
        Map<String, ObjectNode> groupVars = new TreeMap<>();
        Map<String, List<String>> members = new TreeMap<>();
        Map<String, List<String>> children = new TreeMap<>();
        Map<String, TreeSet<String>> parents = new TreeMap<>();
        TreeSet<String> grouped = new TreeSet<>();
        for (String g : groupNames) {
            String path = base + "/groups/" + g;
            groupVars.put(g, vars(zk.getData(path, false, null)));
            List<String> hs = sorted(childrenOrEmpty(zk, path + "/hosts"));
            List<String> cs = sorted(childrenOrEmpty(zk, path + "/children"));
            members.put(g, hs);
            children.put(g, cs);
            grouped.addAll(hs);
            for (String c : cs) {
                parents.computeIfAbsent(c, k -> new TreeSet<>()).add(g);
            }
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024 + hostNames.size() * 256);
        try (JsonGenerator gen = JSON.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeName("_meta");
            gen.writeStartObject();
            gen.writeName("hostvars");
            gen.writeStartObject();
            for (String h : hostNames) {
                gen.writeName(h);
                gen.writePOJO(hostVars.get(h));
            }
            gen.writeEndObject();
            gen.writeEndObject();

            List<String> ordinary = groupNames.stream().filter(g -> !g.equals(ALL) && !g.equals(UNGROUPED)).toList();
            gen.writeName(ALL);
            gen.writeStartObject();
            gen.writeName("children");
            gen.writeStartArray();
            for (String g : ordinary) {
                if (!parents.containsKey(g)) {
                    gen.writeString(g);
                }
            }
            gen.writeString(UNGROUPED);
            gen.writeEndArray();
            ObjectNode allVars = groupVars.getOrDefault(ALL, JsonNodeFactory.instance.objectNode());
            if (!allVars.isEmpty()) {
                gen.writeName("vars");
                gen.writePOJO(allVars);
            }
            gen.writeEndObject();

            gen.writeName(UNGROUPED);
            gen.writeStartObject();
            gen.writeName("hosts");
            gen.writeStartArray();
            for (String h : hostNames) {
                if (!grouped.contains(h)) {
                    gen.writeString(h);
                }
            }
            gen.writeEndArray();
            gen.writeEndObject();

            for (String g : ordinary) {
                gen.writeName(g);
                gen.writeStartObject();
                names(gen, "hosts", members.get(g));
                if (!groupVars.get(g).isEmpty()) {
                    gen.writeName("vars");
                    gen.writePOJO(groupVars.get(g));
                }
                if (!children.get(g).isEmpty()) {
                    names(gen, "children", children.get(g));
                }
                gen.writeEndObject();
            }
            gen.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void names(JsonGenerator gen, String field, List<String> names) {
        gen.writeName(field);
        gen.writeStartArray();
        for (String n : names) {
            gen.writeString(n);
        }
        gen.writeEndArray();
    }

    private static List<String> childrenOrEmpty(ZooKeeper zk, String path) throws KeeperException, InterruptedException {
        try {
            return zk.getChildren(path, false);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }

    private static List<String> sorted(List<String> names) {
        List<String> list = new ArrayList<>(names);
        list.sort(null);
        return list;
    }

    private static ObjectNode vars(byte[] data) {
        if (data == null || data.length == 0) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode doc = JSON.readTree(data);
        JsonNode vars = doc.get("vars");
        return vars instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
    }

    public static ZooKeeper connect(String connectString) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 30_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
            zk.close();
            throw new IllegalStateException("no connection to " + connectString);
        }
        return zk;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args);
        String connect = a.getOrDefault("connect", "127.0.0.1:2181");
        String root = a.getOrDefault("root", "/kook");
        int iterations = Integer.parseInt(a.getOrDefault("iterations", "20"));
        long deadline = System.nanoTime() + Long.parseLong(a.getOrDefault("seconds", "60")) * 1_000_000_000L;
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "2"));
        ZooKeeper zk = connect(connect);
        try {
            byte[] doc = null;
            for (int i = 0; i < warmup; i++) {
                doc = build(zk, root);
            }
            long[] samples = new long[iterations];
            int n = 0;
            long start = System.nanoTime();
            while (n < iterations && (n == 0 || System.nanoTime() < deadline)) {
                long t0 = System.nanoTime();
                doc = build(zk, root);
                samples[n++] = System.nanoTime() - t0;
            }
            long elapsed = System.nanoTime() - start;
            long[] taken = Arrays.copyOf(samples, n);
            Arrays.sort(taken);
            if (a.containsKey("out")) {
                Files.write(Path.of(a.get("out")), doc);
            }
            System.out.printf(java.util.Locale.ROOT, "cacheless builds=%d req_per_s=%.3f p50_ms=%.1f p99_ms=%.1f bytes=%d%n", n,
                    n / (elapsed / 1e9), Args.percentileMs(taken, 50), Args.percentileMs(taken, 99), doc.length);
        } finally {
            zk.close();
        }
    }
}
