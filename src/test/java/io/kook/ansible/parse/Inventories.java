package io.kook.ansible.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;

import io.kook.ansible.InventoryParseException;
import io.kook.ansible.ParsedInventory;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Small helpers shared by the parser tests. */
final class Inventories {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Inventories() {
    }

    static ParsedInventory ini(String text) {
        return new IniInventoryParser().parse(text.getBytes(StandardCharsets.UTF_8));
    }

    static ParsedInventory yaml(String text) {
        return new YamlInventoryParser().parse(text.getBytes(StandardCharsets.UTF_8));
    }

    static ParsedInventory exportJson(String text) {
        return new ExportJsonParser().parse(text.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode json(String text) {
        return MAPPER.readTree(text);
    }

    /** The parse error {@code parse} throws, checked to name {@code line}. */
    static InventoryParseException errorAt(int line, ThrowingCallable parse) {
        InventoryParseException e = catchThrowableOfType(InventoryParseException.class, parse);
        assertThat(e).as("an InventoryParseException").isNotNull();
        assertThat(e.line()).as("line of: " + e.getMessage()).isEqualTo(line);
        if (line > 0) {
            assertThat(e.getMessage()).startsWith("line " + line + ": ");
        }
        return e;
    }
}
