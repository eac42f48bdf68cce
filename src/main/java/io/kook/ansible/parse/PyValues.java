package io.kook.ansible.parse;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The values Ansible's parsers produce, modelled as Python objects, and their JSON form as
 * {@code ansible-inventory} prints it. Ints are {@link BigInteger}, floats {@link Double}, {@code None} is
 * {@code null}, dicts are {@code Map<Key, Object>} with Python key equality ({@code 1 == 1.0 == True}),
 * lists are {@link List}; the records below cover the rest.
 */
final class PyValues {

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final Object NONE_KEY = new Object();

    private PyValues() {
    }

    /** A Python tuple; JSON has no tuples, so it prints as a list. */
    record Tuple(List<Object> items) {
    }

    /** A Python set, in insertion order (Python's own order is its hash order). */
    record PySet(List<Object> items) {
    }

    /** A Python complex number, which JSON cannot hold; Kook keeps its {@code str()}. */
    record Complex(double real, double imag) {
    }

    /** A YAML timestamp; Ansible prints {@code date.isoformat()}. */
    record Timestamp(String iso) {
    }

    /** A {@code !unsafe} value; Ansible prints its strings as {@code {"__ansible_unsafe": ...}}. */
    record Unsafe(Object value) {
    }

    /** A {@code !vault} value; Ansible prints it as {@code {"__ansible_vault": ciphertext}}. */
    record Vault(String ciphertext) {
    }

    /** Python's {@code ...}. */
    enum Ellipsis { INSTANCE }

    /** A dict key or set member with Python's equality and hashing. */
    static final class Key {
        private final Object value;
        private final Object canonical;

        Key(Object value) {
            this.value = value;
            this.canonical = canonical(value);
        }

        Object value() {
            return value;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && canonical.equals(k.canonical);
        }

        @Override
        public int hashCode() {
            return canonical.hashCode();
        }

        private static Object canonical(Object v) {
            if (v == null) {
                return NONE_KEY;
            }
            if (v instanceof Boolean b) {
                return b ? BigDecimal.ONE : BigDecimal.ZERO;
            }
            if (v instanceof BigInteger i) {
                return new BigDecimal(i).stripTrailingZeros();
            }
            if (v instanceof Double d) {
                if (d.isNaN()) {
                    return new Object();
                }
                return d.isInfinite() ? d : new BigDecimal(d).stripTrailingZeros();
            }
            if (v instanceof Complex c) {
                return c.imag() == 0 ? canonical(c.real()) : c;
            }
            if (v instanceof Unsafe u) {
                return canonical(u.value());
            }
            if (v instanceof byte[] b) {
                return ByteBuffer.wrap(b);
            }
            if (v instanceof Tuple t) {
                List<Object> items = new ArrayList<>();
                for (Object item : t.items()) {
                    items.add(canonical(item));
                }
                return items;
            }
            if (v instanceof List || v instanceof Map || v instanceof PySet) {
                throw new IllegalArgumentException("unhashable type: '" + typeName(v) + "'");
            }
            return v;
        }
    }

    /** Python's name for the type of {@code v}, for messages. */
    static String typeName(Object v) {
        if (v == null) {
            return "NoneType";
        }
        if (v instanceof Unsafe u) {
            return typeName(u.value());
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof BigInteger) {
            return "int";
        }
        if (v instanceof Double) {
            return "float";
        }
        if (v instanceof String) {
            return "str";
        }
        if (v instanceof byte[]) {
            return "bytes";
        }
        if (v instanceof Map) {
            return "dict";
        }
        if (v instanceof List) {
            return "list";
        }
        if (v instanceof Tuple) {
            return "tuple";
        }
        if (v instanceof PySet) {
            return "set";
        }
        if (v instanceof Complex) {
            return "complex";
        }
        if (v instanceof Timestamp t) {
            return t.iso().length() == 10 ? "datetime.date" : "datetime.datetime";
        }
        if (v instanceof Vault) {
            return "AnsibleVaultEncryptedUnicode";
        }
        return "ellipsis";
    }

    /** Python truthiness. */
    static boolean truthy(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Unsafe u) {
            return truthy(u.value());
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof BigInteger i) {
            return i.signum() != 0;
        }
        if (v instanceof Double d) {
            return d != 0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof byte[] b) {
            return b.length > 0;
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        if (v instanceof Tuple t) {
            return !t.items().isEmpty();
        }
        if (v instanceof PySet s) {
            return !s.items().isEmpty();
        }
        if (v instanceof Complex c) {
            return c.real() != 0 || c.imag() != 0;
        }
        return true;
    }

    /** The string a structural name (group, host pattern) has, unwrapping {@code !unsafe}; null if not a string. */
    static String asString(Object v) {
        if (v instanceof Unsafe u) {
            return asString(u.value());
        }
        return v instanceof String s ? s : null;
    }

    /**
     * The JSON {@code ansible-inventory} prints for {@code v}.
     *
     * @throws IllegalArgumentException for a dict key JSON cannot hold (a tuple)
     */
    static JsonNode toJson(Object v) {
        return toJson(v, () -> { });
    }

    /** As {@link #toJson(Object)}, calling {@code onNode} for every JSON value made (a bound on alias expansion). */
    static JsonNode toJson(Object v, Runnable onNode) {
        return toJson(v, false, onNode);
    }

    private static JsonNode toJson(Object v, boolean unsafe, Runnable onNode) {
        onNode.run();
        if (v == null) {
            return JSON.nullNode();
        }
        if (v instanceof Boolean b) {
            return JSON.booleanNode(b);
        }
        if (v instanceof BigInteger i) {
            return integer(i);
        }
        if (v instanceof Double d) {
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("the float " + floatRepr(d) + " has no JSON form, so Kook cannot"
                        + " store it; quote it to keep it as a string");
            }
            return JSON.numberNode(d.doubleValue());
        }
        if (v instanceof String s) {
            return text(s, unsafe);
        }
        if (v instanceof byte[] b) {
            return text(decodeBytes(b), unsafe);
        }
        if (v instanceof Unsafe u) {
            return toJson(u.value(), true, onNode);
        }
        if (v instanceof Vault vault) {
            ObjectNode o = JSON.objectNode();
            o.put("__ansible_vault", vault.ciphertext());
            return o;
        }
        if (v instanceof Timestamp t) {
            return JSON.stringNode(t.iso());
        }
        if (v instanceof Complex c) {
            return JSON.stringNode(complexRepr(c));
        }
        if (v instanceof Ellipsis) {
            return JSON.stringNode("...");
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = JSON.objectNode();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                o.set(jsonKey(((Key) e.getKey()).value()), toJson(e.getValue(), unsafe, onNode));
            }
            return o;
        }
        List<?> items = v instanceof Tuple t ? t.items() : v instanceof PySet s ? s.items() : (List<?>) v;
        ArrayNode a = JSON.arrayNode(items.size());
        for (Object item : items) {
            a.add(toJson(item, unsafe, onNode));
        }
        return a;
    }

    static JsonNode integer(BigInteger i) {
        if (i.compareTo(INT_MIN) >= 0 && i.compareTo(INT_MAX) <= 0) {
            return JSON.numberNode(i.intValue());
        }
        if (i.compareTo(LONG_MIN) >= 0 && i.compareTo(LONG_MAX) <= 0) {
            return JSON.numberNode(i.longValue());
        }
        return JSON.numberNode(i);
    }

    private static JsonNode text(String s, boolean unsafe) {
        requireUnicode(s);
        if (!unsafe) {
            return JSON.stringNode(s);
        }
        ObjectNode o = JSON.objectNode();
        o.put("__ansible_unsafe", s);
        return o;
    }

    /** {@code to_text(b)}: bytes must be UTF-8, as Kook stores text, not bytes. */
    static String decodeBytes(byte[] b) {
        String s = SourceText.decodeEscapingBadBytes(b);
        if (SourceText.firstEscapedByte(s) >= 0) {
            throw new IllegalArgumentException("a bytes value that is not UTF-8 cannot be stored");
        }
        return s;
    }

    /** Lone surrogates (from escapes such as {@code '\ud800'}) have no UTF-8 form, so JSON cannot carry them. */
    private static String requireUnicode(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("a string with a lone surrogate (U+" + Integer.toHexString(c)
                        .toUpperCase() + ") cannot be stored");
            }
        }
        return s;
    }

    /** The key {@code json.dumps} writes for a dict key. */
    static String jsonKey(Object k) {
        if (k instanceof Unsafe u) {
            return jsonKey(u.value());
        }
        if (k instanceof String s) {
            return requireUnicode(s);
        }
        if (k == null) {
            return "null";
        }
        if (k instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (k instanceof BigInteger i) {
            return i.toString();
        }
        if (k instanceof Double d) {
            if (d.isNaN()) {
                return "NaN";
            }
            if (d.isInfinite()) {
                return d > 0 ? "Infinity" : "-Infinity";
            }
            return floatRepr(d);
        }
        if (k instanceof Timestamp t) {
            return t.iso();
        }
        if (k instanceof byte[] b) {
            return decodeBytes(b);
        }
        if (k instanceof Complex c) {
            return complexRepr(c);
        }
        throw new IllegalArgumentException("a dict key must be a string, number, bool or None to be JSON, not "
                + typeName(k));
    }

    /** Python's {@code repr(float)}: shortest digits, exponent form below 1e-4 and from 1e16 on. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int decpt = digits.length() - exact.scale();
        String sign = d < 0 ? "-" : "";
        if (decpt > -4 && decpt <= 16) {
            String body;
            if (decpt <= 0) {
                body = "0." + "0".repeat(-decpt) + digits;
            } else if (decpt >= digits.length()) {
                body = digits + "0".repeat(decpt - digits.length()) + ".0";
            } else {
                body = digits.substring(0, decpt) + "." + digits.substring(decpt);
            }
            return sign + body;
        }
        int exp = decpt - 1;
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String e = String.valueOf(Math.abs(exp));
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }

    /** Python's {@code repr(complex)}, e.g. {@code 2j}, {@code (1+2j)}. */
    static String complexRepr(Complex c) {
        String imag = noDotZero(floatRepr(c.imag()));
        if (c.real() == 0 && 1 / c.real() > 0) {
            return imag + "j";
        }
        String sign = imag.startsWith("-") ? "" : "+";
        return "(" + noDotZero(floatRepr(c.real())) + sign + imag + "j)";
    }

    private static String noDotZero(String s) {
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
