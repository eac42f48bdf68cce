package io.kook.ansible.parse;

import io.kook.ansible.InventoryParseException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON read as Python's {@code json.loads} reads it (Ansible loads JSON inventories and JSON-shaped YAML files
 * with it): one document, later duplicate keys win, ints exact up to Python's 4300 digits. Unlike Python,
 * {@code NaN} and {@code Infinity} are refused: Kook stores vars as standard JSON, which has no such numbers.
 */
final class InventoryJson {

    static final int MAX_NESTING = 500;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNumberLength(4300)
                            .maxNestingDepth(MAX_NESTING)
                            .maxStringLength(Integer.MAX_VALUE)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private InventoryJson() {
    }

    /** @throws JacksonException when the text is not one JSON document */
    static JsonNode readTree(String text) {
        return MAPPER.readTree(text);
    }

    /** As {@link #readTree}, a syntax error being an {@link InventoryParseException} at its line. */
    static JsonNode read(String text) {
        try {
            return readTree(text);
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? 0 : Math.max(e.getLocation().getLineNr(), 0);
            throw new InventoryParseException(line, "not valid JSON: " + e.getOriginalMessage());
        }
    }
}
