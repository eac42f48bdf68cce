package io.kook.ansible.collection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.kook.support.Http;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs Ansible's command-line tools as a user of the collection would: a private {@code HOME},
 * {@code ANSIBLE_LOCAL_TEMP} and {@code ANSIBLE_COLLECTIONS_PATH} (where {@link #installCollection} puts
 * {@code kook.kook}), {@code KOOK_URL}/{@code KOOK_TOKEN} for one Kook, no host key checking, no config file.
 */
final class Ansible {

    /** What a process printed and how it ended. */
    record Run(int exit, String out, String err) {
        Run ok() {
            assertThat(exit).as("exit status; stderr:\n" + err + "\nstdout:\n" + out).isZero();
            return this;
        }
    }

    private final Path home;
    private final Path collections;
    private final Map<String, String> env = new LinkedHashMap<>();

    Ansible(int kookPort) throws IOException {
        this.home = Files.createTempDirectory("kook-collection-home");
        this.collections = home.resolve("collections");
        env.put("HOME", home.toString());
        env.put("ANSIBLE_LOCAL_TEMP", Files.createDirectories(home.resolve("tmp")).toString());
        env.put("ANSIBLE_COLLECTIONS_PATH", collections.toString());
        // an empty config of its own, so no /etc/ansible/ansible.cfg on the machine changes what a test sees
        env.put("ANSIBLE_CONFIG", Files.writeString(home.resolve("ansible.cfg"), "[defaults]\n").toString());
        env.put("ANSIBLE_HOST_KEY_CHECKING", "False");
        env.put("ANSIBLE_LOCALHOST_WARNING", "false");
        env.put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "false");
        env.put("ANSIBLE_DEPRECATION_WARNINGS", "false");
        env.put("ANSIBLE_NOCOLOR", "true");
        env.put("ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS", "ignore");
        env.put("KOOK_URL", "http://127.0.0.1:" + kookPort);
        env.put("KOOK_TOKEN", Http.ADMIN_SECRET);
    }

    Path home() {
        return home;
    }

    Path collections() {
        return collections;
    }

    /** {@code ansible-galaxy collection install <source>} into this runner's collections path. */
    Run installCollection(Path source) throws IOException, InterruptedException {
        return run(List.of("ansible-galaxy", "collection", "install", "--force", "-p", collections.toString(),
                source.toString()), Map.of()).ok();
    }

    /** {@code ansible-inventory -i <source> --list}, only the Kook plugin enabled, failing on anything unparsed. */
    Run inventoryList(Path source) throws IOException, InterruptedException {
        return run(List.of("ansible-inventory", "-i", source.toString(), "--list"),
                Map.of("ANSIBLE_INVENTORY_ENABLED", "kook.kook.inventory", "ANSIBLE_INVENTORY_UNPARSED_FAILED", "true",
                        "ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED", "true"));
    }

    /** Writes the playbook and runs {@code ansible-playbook} on it against localhost, with {@code options}. */
    Run playbook(String yaml, String... options) throws IOException, InterruptedException {
        Path playbook = Files.createTempFile(home, "playbook", ".yml");
        Files.writeString(playbook, yaml);
        List<String> command = new ArrayList<>(List.of("ansible-playbook", "-i", "localhost,", playbook.toString()));
        command.addAll(List.of(options));
        return run(command, Map.of());
    }

    Run run(List<String> command, Map<String, String> extraEnv) throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
