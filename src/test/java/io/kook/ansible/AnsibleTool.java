package io.kook.ansible;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real {@code ansible-inventory}, so that what Ansible makes of an inventory is computed when the tests
 * run, never read from a stored answer. Answers for files are kept per file content for the whole test run and
 * computed two at a time ({@link #prefetch}), because each run costs a Python start. Without the tool a test is
 * skipped on a developer machine and fails under {@code CI=true}, where {@code .ci/run} installs it.
 */
public final class AnsibleTool {

    /** Inventories copied from the team's shared fixtures, with their sources and licenses (see SOURCES.md there). */
    public static final Path SHARED = Path.of("src/test/resources/ansible/shared");
    /** Kook's own small inventories, each pinning one Ansible behaviour. */
    public static final Path OWN = Path.of("src/test/resources/ansible/inventories");
    static final Path SCRIPT = Path.of("src/main/resources/static/ansible/kook-inventory.py");

    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(100_000).build()).build()).build();
    private static final Map<String, CompletableFuture<String>> ANSWERS = new ConcurrentHashMap<>();
    private static final ExecutorService RUNNERS = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "ansible-inventory");
        t.setDaemon(true);
        return t;
    });

    private AnsibleTool() {
    }

    public static void requireAnsible() {
        boolean present = onPath("ansible-inventory");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(present).as("ansible-inventory must be installed under CI (.ci/run installs ansible-core)").isTrue();
        }
        Assumptions.assumeTrue(present, "ansible-inventory is not installed");
    }

    /** The INI and YAML inventories of {@link #SHARED} and {@link #OWN}, sorted by folder, then name. */
    public static List<Path> inventories() throws IOException {
        List<Path> all = new ArrayList<>(list(SHARED));
        all.addAll(list(OWN));
        return all;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".ini") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    /** Starts {@code --list} for every file now, two processes at a time; {@link #listFile} then waits for it. */
    public static void prefetch(Collection<Path> inventories) {
        if (onPath("ansible-inventory")) {
            inventories.forEach(p -> answer(p, "--list"));
        }
    }

    /** As {@link #prefetch}, with {@code --list --export} too. */
    public static void prefetchWithExport(Collection<Path> inventories) {
        if (onPath("ansible-inventory")) {
            inventories.forEach(p -> {
                answer(p, "--list");
                answer(p, "--list", "--export");
            });
        }
    }

    /** {@code ansible-inventory -i <file> --list}: what Ansible itself makes of an inventory file. */
    public static JsonNode listFile(Path inventory) {
        return JSON.readTree(join(answer(inventory, "--list")));
    }

    /** {@code ansible-inventory -i <file> --list --export}, as printed. */
    public static String exportFileText(Path inventory) {
        return join(answer(inventory, "--list", "--export"));
    }

    /** {@code ansible-inventory -i <file> --list --export}. */
    public static JsonNode exportFile(Path inventory) {
        return JSON.readTree(exportFileText(inventory));
    }

    /** {@code ansible-inventory -i <script> --list} against Kook at {@code port}. */
    static JsonNode list(int port) throws IOException, InterruptedException {
        return JSON.readTree(run(SCRIPT, "script", Map.of("KOOK_URL", "http://127.0.0.1:" + port), "--list"));
    }

    /** As {@link #list(int)}, for the inventory as it was right after {@code revision} ({@code KOOK_AT_REVISION}). */
    static JsonNode listAt(int port, long revision) throws IOException, InterruptedException {
        return JSON.readTree(run(SCRIPT, "script", Map.of("KOOK_URL", "http://127.0.0.1:" + port,
                "KOOK_AT_REVISION", Long.toString(revision)), "--list"));
    }

    /** Parses what Kook or Ansible printed, allowing the long numbers Ansible may print. */
    public static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    private static CompletableFuture<String> answer(Path inventory, String... args) {
        String key = String.join(" ", args) + " " + inventory.toAbsolutePath() + " " + sha256(inventory);
        return ANSWERS.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(() -> {
            try {
                return run(inventory, "ini,yaml", Map.of(), args);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, RUNNERS));
    }

    private static String join(CompletableFuture<String> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw e;
        }
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code ansible-inventory -i <inventory> <args>} with only {@code plugins} enabled and every unparsed
     * source an error; returns what it printed, after asserting it succeeded.
     */
    private static String run(Path inventory, String plugins, Map<String, String> extraEnv, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ansible-inventory", "-i", inventory.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("ansible-inventory", ".json");
        Path err = Files.createTempFile("ansible-inventory", ".err");
        Path tmp = Files.createTempDirectory("ansible-tmp");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> env = pb.environment();
            env.put("KOOK_TOKEN", io.kook.support.Http.ADMIN_SECRET);
            env.putAll(extraEnv);
            env.put("ANSIBLE_INVENTORY_UNPARSED_FAILED", "true");
            env.put("ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED", "true");
            env.put("ANSIBLE_INVENTORY_ENABLED", plugins);
            env.put("ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS", "ignore");
            env.put("ANSIBLE_LOCALHOST_WARNING", "false");
            env.put("ANSIBLE_DEPRECATION_WARNINGS", "false");
            env.put("ANSIBLE_NOCOLOR", "1");
            env.put("ANSIBLE_LOCAL_TEMP", tmp.toString());
            env.put("HOME", System.getProperty("java.io.tmpdir"));
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("ansible-inventory -i " + inventory + " did not finish in 120 s");
            }
            assertThat(p.exitValue()).as("ansible-inventory -i " + inventory + " " + String.join(" ", args) + ":\n"
                    + Files.readString(err, StandardCharsets.UTF_8)).isZero();
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            try (Stream<Path> left = Files.walk(tmp)) {
                left.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
