package io.kook.ansible;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real {@code ansible-inventory} against Kook's inventory script, and the shared
 * {@code compare_inventory.py}. Without the tool a test is skipped on a developer machine and fails under
 * {@code CI=true}, where {@code .ci/run} installs it.
 */
public final class AnsibleTool {

    /** The shared inventories, copied into the repository with their sources (see the README there). */
    public static final Path SHARED = Path.of("src/test/resources/ansible/shared");
    public static final Path INVENTORIES = Path.of("src/test/resources/ansible/inventories");
    public static final Path COMPARE = Path.of("src/test/resources/ansible/compare_inventory.py");
    static final Path SCRIPT = Path.of("src/main/resources/static/ansible/kook-inventory.py");

    private AnsibleTool() {
    }

    public static void requireAnsible() {
        boolean present = onPath("ansible-inventory");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(present).as("ansible-inventory must be installed under CI (.ci/run installs ansible-core)").isTrue();
        }
        Assumptions.assumeTrue(present, "ansible-inventory is not installed");
    }

    /**
     * What Ansible itself makes of an inventory file: {@code ansible-inventory -i <file> --list}, run now with the
     * same settings as the oracle files' {@code regenerate.sh}, so the comparison never rests on a stored answer.
     */
    public static Path listFile(Path inventory) throws IOException, InterruptedException {
        return ansibleInventory(inventory, "ini,yaml", Map.of(), "--list");
    }

    /** {@code ansible-inventory -i <file> --list --export}, run now. */
    static Path exportFile(Path inventory) throws IOException, InterruptedException {
        return ansibleInventory(inventory, "ini,yaml", Map.of(), "--list", "--export");
    }

    /** {@code ansible-inventory -i <script> --list} against Kook at {@code port}; returns the output file. */
    static Path list(int port) throws IOException, InterruptedException {
        return ansibleInventory(SCRIPT, "script", Map.of("KOOK_URL", "http://127.0.0.1:" + port), "--list");
    }

    /** As {@link #list(int)}, for the inventory as it was right after {@code revision} ({@code KOOK_AT_REVISION}). */
    static Path listAt(int port, long revision) throws IOException, InterruptedException {
        return ansibleInventory(SCRIPT, "script", Map.of("KOOK_URL", "http://127.0.0.1:" + port,
                "KOOK_AT_REVISION", Long.toString(revision)), "--list");
    }

    /** Runs {@code ansible-inventory -i <inventory> <args>} with only {@code plugins} enabled; returns its output. */
    private static Path ansibleInventory(Path inventory, String plugins, Map<String, String> extraEnv, String... args)
            throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(
                java.util.List.of("ansible-inventory", "-i", inventory.toAbsolutePath().toString()));
        command.addAll(java.util.List.of(args));
        Path out = Files.createTempFile("ansible-inventory", ".json");
        Path err = Files.createTempFile("ansible-inventory", ".err");
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
        env.put("ANSIBLE_LOCAL_TEMP", Files.createTempDirectory("ansible-tmp").toString());
        env.put("HOME", System.getProperty("java.io.tmpdir"));
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("ansible-inventory finished").isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        return out;
    }

    /** Asserts two inventory JSON files are equal per {@code compare_inventory.py}. */
    public static void assertSameInventory(Path expected, Path actual) throws IOException, InterruptedException {
        Process cmp = new ProcessBuilder("python3", COMPARE.toString(),
                expected.toString(), actual.toString()).redirectErrorStream(true).start();
        String diff = new String(cmp.getInputStream().readAllBytes());
        assertThat(cmp.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(cmp.exitValue()).as(expected.getFileName() + " vs Kook:\n" + diff).isZero();
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
