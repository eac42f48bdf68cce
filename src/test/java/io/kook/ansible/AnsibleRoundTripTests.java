package io.kook.ansible;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
 * The round-trip law: import a real inventory, let the real {@code ansible-inventory} read Kook through the
 * inventory script, and get what Ansible prints for the file itself. Then export as YAML, import that into an
 * empty Kook, and get the same again.
 */
class AnsibleRoundTripTests {

    private static Replica kook;
    private static Replica empty;

    @BeforeAll
    static void start() {
        kook = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("ansible"));
        empty = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("ansible-export"));
    }

    @AfterAll
    static void stop() {
        kook.close();
        empty.close();
    }

    static Stream<String> inventories() throws IOException {
        List<Path> files = AnsibleTool.inventories().stream().filter(p -> p.startsWith(AnsibleTool.SHARED)).toList();
        AnsibleTool.prefetch(files);
        return files.stream().map(p -> p.getFileName().toString());
    }

    private static String contentType(String file) {
        return file.endsWith(".ini") ? "text/plain" : "application/yaml";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inventories")
    void anImportedInventoryListsExactlyAsAnsibleListsTheFile(String file) throws Exception {
        AnsibleTool.requireAnsible();
        Path source = AnsibleTool.SHARED.resolve(file);
        JsonNode ansible = AnsibleTool.listFile(source);
        Http.Response imported = kook.http().send("POST", "/ansible/inventory?mode=replace", contentType(file),
                Files.readString(source));
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        AnsibleInventoryComparison.assertSame(file, ansible, "Kook", AnsibleTool.list(kook.port()));

        Http.Response yaml = kook.http().get("/ansible/inventory?format=yaml");
        assertThat(yaml.status()).isEqualTo(200);
        Http.Response reimported = empty.http().send("POST", "/ansible/inventory?mode=replace", "application/yaml",
                yaml.body());
        assertThat(reimported.status()).as(reimported.toString()).isEqualTo(200);
        AnsibleInventoryComparison.assertSame(file, ansible, "Kook after a YAML round trip",
                AnsibleTool.list(empty.port()));
    }

    @Test
    void theInventoryScriptWithKookAtRevisionListsEachPastInventoryAsAnsibleListsItsFile() throws Exception {
        AnsibleTool.requireAnsible();
        List<String> files = List.of("edge_nested_4_levels.ini", "edge_typed_values.ini",
                "k3s-ansible_inventory-sample.yml", "postgresql_cluster_inventory.ini");
        Map<String, Long> revisions = new LinkedHashMap<>();
        try (Replica past = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("ansible-past"))) {
            for (String file : files) {
                Http.Response imported = past.http().send("POST", "/ansible/inventory?mode=replace", contentType(file),
                        Files.readString(AnsibleTool.SHARED.resolve(file)));
                assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
                revisions.put(file, imported.revision());
            }
            for (Map.Entry<String, Long> file : revisions.entrySet()) {
                AnsibleInventoryComparison.assertSame(file.getKey(),
                        AnsibleTool.listFile(AnsibleTool.SHARED.resolve(file.getKey())),
                        "Kook at revision " + file.getValue(), AnsibleTool.listAt(past.port(), file.getValue()));
            }
        }
    }

    @Test
    void theExportJsonOfAnsibleImportsToTheSameInventory() throws Exception {
        AnsibleTool.requireAnsible();
        Path source = AnsibleTool.SHARED.resolve("kolla-ansible_multinode.ini");
        Http.Response imported = empty.http().send("POST", "/ansible/inventory?mode=replace", "application/json",
                AnsibleTool.exportFileText(source));
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        AnsibleInventoryComparison.assertSame("kolla-ansible_multinode.ini", AnsibleTool.listFile(source),
                "Kook after importing its --list --export", AnsibleTool.list(empty.port()));
    }
}
