package io.kook.ansible.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.kook.ansible.ParsedInventory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The round-trip law against Ansible's own output: every inventory, parsed and rendered as
 * {@code --list --export} JSON, resolves to what {@code ansible-inventory --list} printed for it; so does
 * Ansible's own {@code --list --export} and {@code --list} JSON read back with {@link ExportJsonParser}.
 */
class InventoryRoundTripTests {

    static List<Path> inventories() throws Exception {
        return SharedAnsible.inventories();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inventories")
    void parsedInventoryResolvesLikeAnsibleInventoryList(Path source) throws Exception {
        SharedAnsible.dir();
        byte[] body = Files.readAllBytes(source);
        ParsedInventory parsed = source.toString().endsWith(".ini")
                ? new IniInventoryParser().parse(body)
                : new YamlInventoryParser().parse(body);

        assertThat(SharedAnsible.compare(oracle(source, "expected"), ExportShape.json(parsed))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inventories")
    void exportJsonReadsBackToTheSameInventory(Path source) throws Exception {
        SharedAnsible.dir();
        ParsedInventory parsed = new ExportJsonParser().parse(Files.readAllBytes(oracle(source, "export")));

        assertThat(SharedAnsible.compare(oracle(source, "expected"), ExportShape.json(parsed))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inventories")
    void listJsonReadsBackToTheSameInventory(Path source) throws Exception {
        SharedAnsible.dir();
        ParsedInventory parsed = new ExportJsonParser().parse(Files.readAllBytes(oracle(source, "expected")));

        assertThat(SharedAnsible.compare(oracle(source, "expected"), ExportShape.json(parsed))).isEmpty();
    }

    private static Path oracle(Path source, String kind) {
        return Path.of(source + "." + kind + ".json");
    }
}
