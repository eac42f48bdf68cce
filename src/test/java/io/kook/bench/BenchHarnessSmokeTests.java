package io.kook.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Keeps the benchmark harness ({@code src/bench}) from rotting: compiles its tools from their sources (they
 * live outside the test sources; the {@code bench} profile adds them for real runs), runs the generator at a
 * tiny size and checks its shape, imports it into a Kook replica, and checks the cache-less baseline reader
 * builds byte for byte the {@code --list} document Kook serves. No timing, no assertions on speed.
 */
class BenchHarnessSmokeTests {

    private static final Path TOOLS = Path.of("src/bench/java/io/kook/bench");

    @TempDir
    static Path dir;

    private static ClassLoader tools;

    @BeforeAll
    static void compileHarness() throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK (not a JRE) runs the tests").isNotNull();
        List<String> sources;
        try (Stream<Path> files = Files.list(TOOLS)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().toList();
        }
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path"), "-proc:none", "--release", "17"));
        args.addAll(sources);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, errors, errors, args.toArray(String[]::new));
        assertThat(status).as("compiling src/bench tools:%n%s", errors.toString(StandardCharsets.UTF_8)).isZero();
        tools = new URLClassLoader(new URL[]{classes.toUri().toURL()}, BenchHarnessSmokeTests.class.getClassLoader());
    }

    @Test
    void generatorMakesThreeLevelsAndTwoToFourLeafGroupsPerHostAndIsSeeded() throws Exception {
        Path first = dir.resolve("gen1");
        Path second = dir.resolve("gen2");
        run("InventoryGenerator", "--hosts", "50", "--groups", "25", "--seed", "7", "--pairs", "20", "--out", first.toString());
        run("InventoryGenerator", "--hosts", "50", "--groups", "25", "--seed", "7", "--pairs", "20", "--out", second.toString());
        for (String file : List.of("inventory.yml", "hosts.txt", "pairs.txt")) {
            assertThat(Files.readAllBytes(first.resolve(file))).as(file).isEqualTo(Files.readAllBytes(second.resolve(file)));
        }
        run("InventoryGenerator", "--hosts", "50", "--groups", "25", "--seed", "8", "--pairs", "20", "--out", dir.resolve("gen3").toString());
        assertThat(Files.readString(dir.resolve("gen3/inventory.yml"))).isNotEqualTo(Files.readString(first.resolve("inventory.yml")));
        assertThat(Files.readAllLines(first.resolve("hosts.txt"))).hasSize(50).doesNotHaveDuplicates();
        assertThat(Files.readAllLines(first.resolve("pairs.txt"))).hasSize(20).doesNotHaveDuplicates();
    }

    @Test
    void kookReadsTheGeneratedInventoryAndTheCachelessReaderBuildsTheSameDocument() throws Exception {
        Path gen = dir.resolve("import");
        run("InventoryGenerator", "--hosts", "50", "--groups", "25", "--seed", "11", "--pairs", "10", "--out", gen.toString());
        String connect = SharedZooKeeper.connectString();
        String root = SharedZooKeeper.uniqueRoot("bench-smoke");
        try (Replica kook = Replica.start(connect, root)) {
            Http http = kook.http();
            Http.Response imported = http.send("POST", "/ansible/inventory?mode=replace", "application/yaml",
                    Files.readString(gen.resolve("inventory.yml")));
            assertThat(imported.status()).as(imported.body()).isEqualTo(200);

            Http.Response list = http.get("/ansible/inventory");
            assertThat(list.status()).isEqualTo(200);
            JsonNode inventory = list.json();
            checkShape(inventory, Files.readAllLines(gen.resolve("hosts.txt")));

            Path out = dir.resolve("cacheless.json");
            String line = run("CachelessInventory", "--connect", connect, "--root", root, "--iterations", "2",
                    "--warmup", "0", "--out", out.toString());
            assertThat(line).startsWith("cacheless builds=2");
            assertThat(Files.readString(out)).isEqualTo(list.body());

            // a write afterwards is seen by the next cache-less build too
            String[] pair = Files.readAllLines(gen.resolve("pairs.txt")).get(0).split(" ");
            assertThat(http.put("/groups/" + pair[0] + "/hosts/" + pair[1], null).status()).isEqualTo(204);
            run("CachelessInventory", "--connect", connect, "--root", root, "--iterations", "1", "--warmup", "0",
                    "--out", out.toString());
            assertThat(Files.readString(out)).isEqualTo(http.get("/ansible/inventory").body());
        }
    }

    /** Every host in 2 to 4 leaf groups, every leaf 3 levels below {@code all}, every group with vars. */
    private static void checkShape(JsonNode inventory, List<String> hosts) {
        Map<String, Set<String>> parents = new HashMap<>();
        Map<String, Integer> leafCount = new HashMap<>();
        Set<String> groups = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = inventory.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.equals("_meta") || name.equals("all") || name.equals("ungrouped")) {
                continue;
            }
            groups.add(name);
            JsonNode group = e.getValue();
            assertThat(group.path("vars").size()).as("vars of %s", name).isEqualTo(5);
            if (group.has("children")) {
                assertThat(group.path("hosts").size()).as("only leaves have hosts: %s", name).isZero();
                for (JsonNode child : group.get("children")) {
                    parents.computeIfAbsent(child.asString(), k -> new HashSet<>()).add(name);
                }
            } else {
                for (JsonNode host : group.get("hosts")) {
                    leafCount.merge(host.asString(), 1, Integer::sum);
                }
            }
        }
        assertThat(inventory.path("ungrouped").path("hosts").size()).isZero();
        assertThat(inventory.path("_meta").path("hostvars").size()).isEqualTo(hosts.size());
        for (String host : hosts) {
            assertThat(leafCount.getOrDefault(host, 0)).as("leaf groups of %s", host).isBetween(2, 4);
            JsonNode vars = inventory.path("_meta").path("hostvars").path(host);
            assertThat(vars.size()).as("vars of %s", host).isBetween(9, 12);
            assertThat(vars.path("os").isObject()).as("nested dict in vars of %s", host).isTrue();
        }
        int maxDepth = 0;
        for (String g : groups) {
            int depth = depth(g, parents);
            maxDepth = Math.max(maxDepth, depth);
            boolean leaf = !inventory.path(g).has("children");
            if (leaf) {
                assertThat(depth).as("depth of leaf %s", g).isEqualTo(3);
            }
        }
        assertThat(maxDepth).isEqualTo(3);
        List<String> top = new ArrayList<>();
        inventory.path("all").path("children").forEach(c -> top.add(c.asString()));
        assertThat(top).contains("ungrouped").allMatch(g -> g.equals("ungrouped") || depth(g, parents) == 1);
    }

    private static int depth(String group, Map<String, Set<String>> parents) {
        int depth = 1;
        for (String p : parents.getOrDefault(group, Set.of())) {
            depth = Math.max(depth, depth(p, parents) + 1);
        }
        return depth;
    }

    /** Runs a harness tool's {@code main} and returns what it printed. */
    private static String run(String tool, String... args) throws Exception {
        Method main = tools.loadClass("io.kook.bench." + tool).getMethod("main", String[].class);
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.invoke(null, (Object) args);
        } finally {
            System.setOut(stdout);
        }
        String printed = captured.toString(StandardCharsets.UTF_8).trim();
        stdout.println(printed);
        return printed;
    }
}
