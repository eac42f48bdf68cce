package io.kook.ansible.parse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.kook.ansible.AnsibleInventoryComparison;
import io.kook.ansible.AnsibleTool;
import io.kook.ansible.ParsedInventory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The round-trip law against Ansible's own output, computed by the real {@code ansible-inventory} while the test
 * runs: every inventory, parsed and rendered as {@code --list --export} JSON, resolves to what
 * {@code ansible-inventory --list} prints for it; so does Ansible's own {@code --list --export} and {@code --list}
 * JSON read back with {@link ExportJsonParser}.
 */
class InventoryRoundTripTests {

    static List<Path> inventories() throws Exception {
        List<Path> files = AnsibleTool.inventories();
        AnsibleTool.prefetchWithExport(files);
        return files;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inventories")
    void parsedInventoryResolvesLikeAnsibleInventoryList(Path source) throws Exception {
        AnsibleTool.requireAnsible();
        byte[] body = Files.readAllBytes(source);
        ParsedInventory parsed = source.toString().endsWith(".ini")
                ? new IniInventoryParser().parse(body)
                : new YamlInventoryParser().parse(body);

        AnsibleInventoryComparison.assertSame("ansible-inventory --list of " + source.getFileName(),
                AnsibleTool.listFile(source), "Kook's parse", ExportShape.of(parsed));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inventories")
    void exportJsonReadsBackToTheSameInventory(Path source) {
        AnsibleTool.requireAnsible();
        ParsedInventory parsed = new ExportJsonParser().parse(
                AnsibleTool.exportFileText(source).getBytes(StandardCharsets.UTF_8));

        AnsibleInventoryComparison.assertSame("ansible-inventory --list of " + source.getFileName(),
                AnsibleTool.listFile(source), "Kook's parse of --list --export", ExportShape.of(parsed));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inventories")
    void listJsonReadsBackToTheSameInventory(Path source) {
        AnsibleTool.requireAnsible();
        ParsedInventory parsed = new ExportJsonParser().parse(
                AnsibleTool.listFile(source).toString().getBytes(StandardCharsets.UTF_8));

        AnsibleInventoryComparison.assertSame("ansible-inventory --list of " + source.getFileName(),
                AnsibleTool.listFile(source), "Kook's parse of --list", ExportShape.of(parsed));
    }
}
