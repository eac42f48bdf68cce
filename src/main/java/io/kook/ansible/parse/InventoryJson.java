package io.kook.ansible.parse;

import io.kook.ansible.InventoryParseException;
import io.kook.inventory.KookException;
import io.kook.inventory.Vars;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.node.JsonNodeFactory;
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
    /** Python's {@code sys.int_info.default_max_str_digits}. */
    static final int MAX_DIGITS = 4300;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNumberLength(MAX_DIGITS)
                            .maxNestingDepth(MAX_NESTING)
                            .maxStringLength(Integer.MAX_VALUE)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private InventoryJson() {
    }

    /**
     * @throws JacksonException when the text is not one JSON document
     * @throws InventoryParseException when it is JSON Kook cannot take: too deep, a number too long, or a decimal
     *         no float holds exactly (see {@link Vars#exact}), at its line
     */
    static JsonNode readTree(String text) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new InventoryParseException(line(e), limitMessage(e));
        }
        checkDecimals(text);
        try {
            return Vars.exact(tree, "json");
        } catch (KookException.Invalid e) {
            throw new InventoryParseException(0, e.errors().get(0).message());
        }
    }

    /** Decimals are checked on tokens, which know their line; the tree does not. */
    private static void checkDecimals(String text) {
        try (JsonParser parser = MAPPER.createParser(text)) {
            for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
                if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                    try {
                        Vars.exact(JsonNodeFactory.instance.numberNode(parser.getDecimalValue()), "value");
                    } catch (KookException.Invalid e) {
                        throw new InventoryParseException(line(parser.currentTokenLocation()),
                                e.errors().get(0).message());
                    }
                }
            }
        }
    }

    private static String limitMessage(StreamConstraintsException e) {
        String m = e.getOriginalMessage();
        if (m.contains("nesting depth")) {
            return "the JSON is nested more than " + MAX_NESTING + " levels deep";
        }
        if (m.contains("Number value length") || m.contains("number length")) {
            return "a number has more than " + MAX_DIGITS + " digits, more than Python (hence Ansible) reads";
        }
        return "the JSON exceeds a limit: " + m;
    }

    private static int line(JacksonException e) {
        return line(e.getLocation());
    }

    private static int line(tools.jackson.core.TokenStreamLocation location) {
        return location == null ? 0 : Math.max(location.getLineNr(), 0);
    }

    /** As {@link #readTree}, a syntax error being an {@link InventoryParseException} at its line. */
    static JsonNode read(String text) {
        try {
            return readTree(text);
        } catch (JacksonException e) {
            throw new InventoryParseException(line(e), "not valid JSON: " + e.getOriginalMessage());
        }
    }
}
