package io.kook.store;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The bytes of a host or group znode: {@code {"vars":{...}}}, JSON types kept exactly. */
public final class EntityCodec {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EntityCodec() {
    }

    public static byte[] encode(ObjectNode vars) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.set("vars", vars);
        return JSON.writeValueAsBytes(doc);
    }

    /** @return the vars held in {@code data}; an empty object for empty or foreign data */
    public static ObjectNode decode(byte[] data) {
        if (data == null || data.length == 0) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            JsonNode doc = JSON.readTree(data);
            JsonNode vars = doc.get("vars");
            return vars instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        } catch (JacksonException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }
}
