package io.kook.store;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bytes of a host or group znode: {@code {"vars":{...}}}, JSON types kept exactly. Data another tool wrote
 * that is not of that shape is reported as unreadable rather than taken for "no vars", so that Kook never writes
 * an empty object over something it could not read.
 */
public final class EntityCodec {

    /**
     * Reads back whatever Kook wrote: imports keep integers of up to Python's 4300 digits, beyond Jackson's default of
     * 1,000, and a reader with the default dropped every var of such an entity as "unreadable". The znode size
     * bounds the text, so no number limit is needed here.
     */
    private static final JsonMapper JSON = JsonMapper.builder(tools.jackson.core.json.JsonFactory.builder()
                    .streamReadConstraints(tools.jackson.core.StreamReadConstraints.builder()
                            .maxNumberLength(Integer.MAX_VALUE)
                            .maxStringLength(Integer.MAX_VALUE)
                            .build())
                    .build())
            .build();

    /** What a znode holds: its vars, or {@code readable == false} (and empty vars) when Kook cannot parse it. */
    public record Decoded(ObjectNode vars, boolean readable) {
    }

    private EntityCodec() {
    }

    public static byte[] encode(ObjectNode vars) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.set("vars", vars);
        return JSON.writeValueAsBytes(doc);
    }

    /** Empty data (a bare {@code create} from zkCli) is an entity without vars; anything else must be our shape. */
    public static Decoded read(byte[] data) {
        if (data == null || data.length == 0) {
            return new Decoded(JsonNodeFactory.instance.objectNode(), true);
        }
        try {
            JsonNode doc = JSON.readTree(data);
            if (doc instanceof ObjectNode o) {
                JsonNode vars = o.get("vars");
                if (vars == null || vars.isNull()) {
                    return new Decoded(JsonNodeFactory.instance.objectNode(), true);
                }
                if (vars instanceof ObjectNode v) {
                    return new Decoded(v, true);
                }
            }
        } catch (JacksonException e) {
            // falls through: not JSON
        }
        return new Decoded(JsonNodeFactory.instance.objectNode(), false);
    }

    /** @return the vars held in {@code data}; an empty object for empty or unreadable data */
    public static ObjectNode decode(byte[] data) {
        return read(data).vars();
    }
}
