package io.kook.ansible;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The INI export read by the real {@code ansible-inventory}, not only by Kook's parser: for every test inventory,
 * Ansible lists the exported INI as it lists the file Kook imported (the round-trip law through INI), and for
 * random inventories with awkward values it lists the INI as Kook's own {@code --list} JSON says.
 */
class IniExportAnsibleTests {

    /** Random inventories per run: each costs an {@code ansible-inventory} run (a Python start, ~0.3 s). */
    private static final int RANDOM_INVENTORIES = 12;

    private static Replica kook;
    private static Path dir;

    @BeforeAll
    static void start() throws IOException {
        kook = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("ini-ansible"));
        dir = Files.createTempDirectory("kook-ini-export");
    }

    @AfterAll
    static void stop() throws IOException {
        kook.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** One test inventory imported into Kook and exported again as INI. */
    record Exported(Path source, Http.Response imported, Http.Response ini, Path iniFile) {
        @Override
        public String toString() {
            return source.getFileName().toString();
        }
    }

    /**
     * Imports and exports every test inventory first (milliseconds each), so that the real
     * {@code ansible-inventory} runs for the files and their exports can all start at once, two at a time.
     */
    static List<Exported> inventories() throws IOException {
        List<Exported> all = new ArrayList<>();
        for (Path source : AnsibleTool.inventories()) {
            Http.Response imported = kook.http().send("POST", "/ansible/inventory?mode=replace",
                    source.toString().endsWith(".ini") ? "text/plain" : "application/yaml", Files.readString(source));
            Http.Response ini = kook.http().get("/ansible/inventory?format=ini");
            Path iniFile = dir.resolve(source.getFileName() + ".ini");
            Files.writeString(iniFile, ini.body(), StandardCharsets.UTF_8);
            all.add(new Exported(source, imported, ini, iniFile));
        }
        List<Path> files = new ArrayList<>();
        all.forEach(e -> {
            files.add(e.source());
            if (e.ini().status() == 200) {
                files.add(e.iniFile());
            }
        });
        AnsibleTool.prefetch(files);
        return all;
    }

    private static Path exportIni(String name) throws IOException {
        Http.Response ini = kook.http().get("/ansible/inventory?format=ini");
        assertThat(ini.status()).as(ini.toString()).isEqualTo(200);
        Path file = dir.resolve(name + ".ini");
        Files.writeString(file, ini.body(), StandardCharsets.UTF_8);
        return file;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inventories")
    void eachInventoryExportedAsIniListsInAnsibleAsTheFileItself(Exported e) {
        AnsibleTool.requireAnsible();
        assertThat(e.imported().status()).as(e.imported().toString()).isEqualTo(200);
        assertThat(e.ini().status()).as(e.ini().toString()).isEqualTo(200);

        AnsibleInventoryComparison.assertSame("ansible-inventory --list of " + e.source().getFileName(),
                AnsibleTool.listFile(e.source()), "ansible-inventory --list of its INI export:\n" + e.ini().body(),
                AnsibleTool.listFile(e.iniFile()));
    }

    @Test
    void randomInventoriesExportedAsIniListInAnsibleAsKookListsThem() throws IOException {
        AnsibleTool.requireAnsible();
        long base = new Random().nextLong();
        List<Path> exported = new ArrayList<>();
        List<JsonNode> listed = new ArrayList<>();
        for (int i = 0; i < RANDOM_INVENTORIES; i++) {
            long seed = base + i;
            Http.Response imported = kook.http().send("POST", "/ansible/inventory?mode=replace", "application/json",
                    RandomInventories.inventory(new Random(seed)).toString());
            assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
            listed.add(kook.http().get("/ansible/inventory").json());
            exported.add(exportIni("random-" + seed));
        }
        AnsibleTool.prefetch(exported);
        for (int i = 0; i < RANDOM_INVENTORIES; i++) {
            AnsibleInventoryComparison.assertSame("Kook's --list JSON (seed " + (base + i) + ", replay with new Random("
                            + (base + i) + "L))", listed.get(i),
                    "ansible-inventory --list of its INI export:\n" + Files.readString(exported.get(i)),
                    AnsibleTool.listFile(exported.get(i)));
        }
    }
}
