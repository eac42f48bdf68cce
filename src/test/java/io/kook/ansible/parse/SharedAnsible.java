package io.kook.ansible.parse;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * The shared Ansible test data (copied into {@code src/test/resources/ansible/shared}, see the README there) and
 * {@code compare_inventory.py}. Missing Python skips a test, except under {@code CI=true}, where it fails.
 */
final class SharedAnsible {

    /** The folder with {@code compare_inventory.py}; its {@code shared} folder holds the shared inventories. */
    static final Path DIR = Path.of("src/test/resources/ansible");

    private SharedAnsible() {
    }

    static Path dir() {
        require(Files.isDirectory(DIR.resolve("shared")), "the shared Ansible test data is not at " + DIR.toAbsolutePath());
        return DIR;
    }

    /** Kook's own inventories with Ansible's output for them (see the README there). */
    static final Path OWN = Path.of("src/test/resources/ansible/inventories");

    /**
     * The INI and YAML inventories of the shared data and of {@link #OWN}, each with its oracle files. Without the
     * shared data (and outside CI) this is just {@link #DIR}, so that the one test run reports the skip.
     */
    static List<Path> inventories() throws IOException {
        List<Path> all = new ArrayList<>(list(dir().resolve("shared")));
        all.addAll(list(OWN));
        return all;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".ini") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
    }

    /** Runs {@code compare_inventory.py expected actual}; returns its report, empty when the inventories are equal. */
    static String compare(Path expected, String actualJson) throws IOException, InterruptedException {
        Path actual = Files.createTempFile("kook-inventory", ".json");
        try {
            Files.writeString(actual, actualJson, StandardCharsets.UTF_8);
            Process p;
            try {
                p = new ProcessBuilder(python(), dir().resolve("compare_inventory.py").toString(),
                        expected.toString(), actual.toString()).redirectErrorStream(true).start();
            } catch (IOException e) {
                require(false, "python3 is not available: " + e.getMessage());
                throw e;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("compare_inventory.py did not finish");
            }
            if (p.exitValue() == 0) {
                return "";
            }
            return "compare_inventory.py exited " + p.exitValue() + ":\n" + out + "\nactual:\n" + actualJson;
        } finally {
            Files.deleteIfExists(actual);
        }
    }

    static String python() {
        return "python3";
    }

    /** An assumption, or under {@code CI=true} an assertion. */
    static void require(boolean condition, String message) {
        if (ci()) {
            if (!condition) {
                fail(message);
            }
        } else {
            Assumptions.assumeTrue(condition, message);
        }
    }

    private static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
