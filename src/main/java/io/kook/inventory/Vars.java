package io.kook.inventory;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rules for {@code vars} documents shared by hosts and groups, on every path in (entity bodies and imports): the
 * size limit, values JSON and Ansible can carry unchanged, and RFC 7396 merge patches.
 */
public final class Vars {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Vars() {
    }

    /**
     * @return {@code vars}, or an empty object for {@code null}, once it is known to fit the limit and to hold only
     *         values that are stored exactly (see {@link #exact})
     */
    public static ObjectNode within(ObjectNode vars, long maxBytes) {
        ObjectNode result = vars == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) exact(vars, "vars");
        int size = JSON.writeValueAsBytes(result).length;
        if (size > maxBytes) {
            throw new KookException.TooLarge("vars are " + size + " bytes serialized; the limit is " + maxBytes);
        }
        return result;
    }

    /**
     * Checks a JSON value before it is stored, returning it with decimals as doubles. Vars are served to Ansible,
     * whose floats are doubles, so a decimal (parsed as {@link BigDecimal} to see what the client wrote) must be a
     * double that prints back as the same digits at the precision given; {@code 1e400}, {@code 1e-400} and
     * 30-digit decimals would silently become {@code Infinity}, {@code 0.0} or another number, so they are 400.
     * Lone surrogates have no UTF-8 form: no file, YAML export or Ansible could carry them, so they are 400 too.
     *
     * @param path the value's place in the body ({@code vars.a.b[0]}), named in the error
     */
    public static JsonNode exact(JsonNode value, String path) {
        if (value instanceof ObjectNode object) {
            Map<String, JsonNode> replaced = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                noLoneSurrogate(e.getKey(), path, "a key");
                JsonNode checked = exact(e.getValue(), path + "." + e.getKey());
                if (checked != e.getValue()) {
                    replaced.put(e.getKey(), checked);
                }
            }
            replaced.forEach(object::set);
            return object;
        }
        if (value instanceof tools.jackson.databind.node.ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode checked = exact(array.get(i), path + "[" + i + "]");
                if (checked != array.get(i)) {
                    array.set(i, checked);
                }
            }
            return array;
        }
        if (value.isString()) {
            noLoneSurrogate(value.stringValue(), path, "a string");
            return value;
        }
        if (value.isBigDecimal()) {
            return JsonNodeFactory.instance.numberNode(exactDouble(value.decimalValue(), path));
        }
        if (value.isDouble() || value.isFloat()) {
            if (!Double.isFinite(value.doubleValue())) {
                throw KookException.invalid(path, "is not a finite number; JSON has no NaN or Infinity");
            }
        }
        return value;
    }

    /**
     * The double {@code given} denotes, when that double rounded to the digits given is {@code given} again (so
     * {@code 0.1} and {@code 5e-324} pass); otherwise the value would change on its way in.
     */
    static double exactDouble(BigDecimal given, String path) {
        double d = given.doubleValue();
        if (Double.isInfinite(d)) {
            throw KookException.invalid(path, "number " + given + " is beyond the range of a float (about 1.8e308);"
                    + " Ansible would read it as infinity. Send it as a string to keep it");
        }
        if (given.signum() == 0) {
            return d;
        }
        if (d == 0) {
            throw KookException.invalid(path, "number " + given + " is too small for a float (below about 4.9e-324)"
                    + " and would become 0.0. Send it as a string to keep it");
        }
        BigDecimal held = new BigDecimal(d).round(new MathContext(given.precision(), RoundingMode.HALF_EVEN));
        if (held.compareTo(given) != 0) {
            throw KookException.invalid(path, "number " + given + " has more digits than a float holds (it would be"
                    + " stored as " + d + "). Send it as a string to keep it");
        }
        return d;
    }

    private static void noLoneSurrogate(String s, String path, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw KookException.invalid(path, what + " holds a lone surrogate (U+"
                        + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
                        + "), which is not Unicode text and has no UTF-8 form");
            }
        }
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
