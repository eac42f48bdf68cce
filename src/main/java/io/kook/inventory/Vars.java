package io.kook.inventory;

import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Rules for {@code vars} documents shared by hosts and groups: the size limit and RFC 7396 merge patches. */
public final class Vars {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Vars() {
    }

    /** @return {@code vars}, or an empty object for {@code null}, once it is known to fit the limit */
    public static ObjectNode within(ObjectNode vars, long maxBytes) {
        ObjectNode result = vars == null ? JsonNodeFactory.instance.objectNode() : vars;
        int size = JSON.writeValueAsBytes(result).length;
        if (size > maxBytes) {
            throw new KookException.TooLarge("vars are " + size + " bytes serialized; the limit is " + maxBytes);
        }
        return result;
    }

    /**
     * The {@code vars} member of a merge patch: {@code cleared} when the patch set it to {@code null} (all vars
     * go), else an object merged into the current vars.
     */
    public record Patch(ObjectNode vars, boolean cleared) {
        public ObjectNode applyTo(ObjectNode current) {
            if (cleared) {
                return JsonNodeFactory.instance.objectNode();
            }
            return vars == null ? current : mergePatch(current, vars);
        }
    }

    /** Applies an RFC 7396 merge patch to a copy of {@code target}. */
    public static ObjectNode mergePatch(ObjectNode target, ObjectNode patch) {
        return (ObjectNode) merge(target.deepCopy(), patch);
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!(patch instanceof ObjectNode patchObject)) {
            return patch;
        }
        ObjectNode result = target instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : patchObject.properties()) {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }
}
