package io.kook.ansible.parse;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kook.ansible.InventoryParseException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Builds Python values from a composed YAML tree the way Ansible's {@code AnsibleConstructor} (PyYAML's
 * {@code SafeConstructor} plus {@code !unsafe} and {@code !vault}) does: merge keys, later duplicate keys win,
 * each node built once and shared by its aliases. Values become JSON through {@link #toJson}, which bounds
 * how far aliases may multiply the document.
 */
final class YamlValues {

    private static final String UNSAFE = "!unsafe";
    private static final Set<String> VAULT = Set.of("!vault", "!vault-encrypted");
    private static final Set<String> STR = Set.of(Tag.STR.getValue(), Tag.PREFIX + "python/unicode");
    private static final Set<String> MAP = Set.of(Tag.MAP.getValue(), Tag.PREFIX + "python/dict");
    private static final Map<String, Boolean> BOOLS = Map.of("yes", true, "no", false, "true", true,
            "false", false, "on", true, "off", false);
    private static final Pattern TIMESTAMP = Pattern.compile("^([0-9][0-9][0-9][0-9])-([0-9][0-9]?)-([0-9][0-9]?)"
            + "(?:(?:[Tt]|[ \\t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\\.([0-9]*))?"
            + "(?:[ \\t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?)?$");
    private static final Pattern PY_FLOAT =
            Pattern.compile("[+-]?(?:(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:e[+-]?[0-9]+)?|inf|infinity|nan)");

    /** A key of a YAML mapping with the nodes it came from, for line numbers. */
    record Entry(Object key, Node keyNode, Node valueNode) {
    }

    /** Built values of anchored nodes, the only ones an alias can reach twice (PyYAML builds each node once). */
    private final Map<Node, Object> built = new IdentityHashMap<>();
    private final Set<Node> validated = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Node> building = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Consumer<String> warnings;
    private final int maxDepth;
    private final long maxJsonNodes;
    private long jsonNodes;

    /**
     * @param maxDepth     deepest nesting accepted
     * @param maxJsonNodes JSON values all conversions together may produce; an alias bomb hits this
     */
    YamlValues(Consumer<String> warnings, int maxDepth, long maxJsonNodes) {
        this.warnings = warnings;
        this.maxDepth = maxDepth;
        this.maxJsonNodes = maxJsonNodes;
    }

    static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    /** Whether {@code node} becomes a Python dict (the only shape Ansible accepts for groups and their sections). */
    static boolean isMapping(Node node) {
        return node instanceof MappingNode && MAP.contains(node.getTag().getValue());
    }

    /** The JSON of a value built from {@code node}, counted against the expansion bound; errors name {@code line}. */
    tools.jackson.databind.JsonNode toJson(Node node, int line) {
        try {
            return PyValues.toJson(construct(node), () -> {
                if (++jsonNodes > maxJsonNodes) {
                    throw new InventoryParseException(line,
                            "the YAML expands to more than " + maxJsonNodes + " values (an alias bomb?)");
                }
            });
        } catch (IllegalArgumentException e) {
            throw new InventoryParseException(line, e.getMessage());
        }
    }

    /** The Python value of {@code node}. */
    Object construct(Node node) {
        return construct(node, 0, true);
    }

    /**
     * Builds the whole document once without keeping it, so that anything PyYAML would refuse to construct
     * fails the parse, as it does in Ansible, even where the plugin would not look.
     */
    void validate(Node root) {
        construct(root, 0, false);
    }

    private Object construct(Node node, int depth, boolean keep) {
        if (depth > maxDepth) {
            throw error(node, "the YAML is nested more than " + maxDepth + " levels deep");
        }
        if (node.getAnchor() == null) {
            return build(node, depth, keep);
        }
        if (keep ? built.containsKey(node) : validated.contains(node)) {
            return built.get(node);
        }
        if (!building.add(node)) {
            throw error(node, "found a recursive structure (an alias inside its own anchor), which JSON cannot hold");
        }
        Object value = build(node, depth, keep);
        building.remove(node);
        if (keep) {
            built.put(node, value);
        } else {
            validated.add(node);
        }
        return value;
    }

    private Object build(Node node, int depth, boolean keep) {
        String tag = node.getTag().getValue();
        if (tag.equals(UNSAFE)) {
            return new PyValues.Unsafe(node instanceof ScalarNode s ? s.getValue() : untagged(node, depth, keep));
        }
        if (VAULT.contains(tag)) {
            return new PyValues.Vault(scalar(node, tag));
        }
        if (node instanceof ScalarNode s) {
            return scalar(s, tag);
        }
        if (node instanceof SequenceNode seq) {
            if (tag.equals(Tag.SEQ.getValue())) {
                return untagged(node, depth, keep);
            }
            if (tag.equals(Tag.OMAP.getValue()) || tag.equals(Tag.PAIRS.getValue())) {
                return pairs(seq, depth, keep);
            }
            throw unexpected(node, tag, "sequence");
        }
        if (MAP.contains(tag)) {
            return untagged(node, depth, keep);
        }
        if (tag.equals(Tag.SET.getValue())) {
            return new PyValues.PySet(mapping((MappingNode) node, depth, keep).keySet().stream()
                    .map(PyValues.Key::value).toList());
        }
        throw unexpected(node, tag, "mapping");
    }

    /** {@code construct_sequence} / {@code construct_mapping}, whatever the node's tag. */
    private Object untagged(Node node, int depth, boolean keep) {
        if (node instanceof SequenceNode seq) {
            List<Object> items = new ArrayList<>(keep ? seq.getValue().size() : 0);
            for (Node item : seq.getValue()) {
                Object value = construct(item, depth + 1, keep);
                if (keep) {
                    items.add(value);
                }
            }
            return items;
        }
        return mapping((MappingNode) node, depth, keep);
    }

    private Map<PyValues.Key, Object> mapping(MappingNode node, int depth, boolean keep) {
        Map<PyValues.Key, Object> map = new LinkedHashMap<>();
        entries(node, depth).forEach((key, e) -> {
            Object value = construct(e.valueNode(), depth + 1, keep);
            if (keep) {
                map.put(key, value);
            }
        });
        return map;
    }

    /** The pairs of a mapping after merge keys, keyed with Python equality: first position, last value. */
    Map<PyValues.Key, Entry> entries(MappingNode node) {
        return entries(node, 0);
    }

    private Map<PyValues.Key, Entry> entries(MappingNode node, int depth) {
        Map<PyValues.Key, Entry> entries = new LinkedHashMap<>();
        for (NodeTuple pair : flatten(node, depth)) {
            Object key = construct(pair.getKeyNode(), depth + 1, true);
            PyValues.Key k;
            try {
                k = new PyValues.Key(key);
            } catch (IllegalArgumentException e) {
                throw error(pair.getKeyNode(), "while constructing a mapping, found unacceptable key ("
                        + e.getMessage() + ")");
            }
            Entry old = entries.get(k);
            if (old != null) {
                warnings.accept("While constructing a mapping from line " + line(node) + ", found a duplicate dict key ("
                        + describe(key) + "). Using last defined value only.");
                key = old.key();
            }
            entries.put(k, new Entry(key, pair.getKeyNode(), pair.getValueNode()));
        }
        return entries;
    }

    /** PyYAML's {@code flatten_mapping}: pairs from {@code <<} merges first, so the mapping's own pairs win. */
    private List<NodeTuple> flatten(MappingNode node, int depth) {
        if (depth > maxDepth) {
            throw error(node, "the YAML is nested more than " + maxDepth + " levels deep");
        }
        List<NodeTuple> merged = new ArrayList<>();
        List<NodeTuple> own = new ArrayList<>();
        for (NodeTuple pair : node.getValue()) {
            Node key = pair.getKeyNode();
            Node value = pair.getValueNode();
            if (key.getTag().equals(Tag.MERGE)) {
                if (value instanceof MappingNode m) {
                    merged.addAll(flatten(m, depth + 1));
                } else if (value instanceof SequenceNode seq) {
                    List<List<NodeTuple>> parts = new ArrayList<>();
                    for (Node sub : seq.getValue()) {
                        if (!(sub instanceof MappingNode m)) {
                            throw error(sub, "while constructing a mapping, expected a mapping for merging, but found "
                                    + sub.getNodeId());
                        }
                        parts.add(flatten(m, depth + 1));
                    }
                    Collections.reverse(parts);
                    parts.forEach(merged::addAll);
                } else {
                    throw error(value, "while constructing a mapping, expected a mapping or list of mappings for"
                            + " merging, but found " + value.getNodeId());
                }
            } else if (key.getTag().equals(PyYamlResolver.VALUE)) {
                ScalarNode asString = new ScalarNode(Tag.STR, ((ScalarNode) key).getValue(), key.getStartMark(),
                        key.getEndMark(), ((ScalarNode) key).getScalarStyle());
                own.add(new NodeTuple(asString, value));
            } else {
                own.add(pair);
            }
        }
        merged.addAll(own);
        return merged;
    }

    private List<Object> pairs(SequenceNode seq, int depth, boolean keep) {
        List<Object> pairs = new ArrayList<>();
        for (Node sub : seq.getValue()) {
            if (!(sub instanceof MappingNode m) || m.getValue().size() != 1) {
                throw error(sub, "while constructing an ordered map, expected a mapping of length 1");
            }
            NodeTuple pair = m.getValue().get(0);
            Object key = construct(pair.getKeyNode(), depth + 1, keep);
            Object value = construct(pair.getValueNode(), depth + 1, keep);
            if (keep) {
                pairs.add(new PyValues.Tuple(Arrays.asList(key, value)));
            }
        }
        return pairs;
    }

    private String scalar(Node node, String tag) {
        if (!(node instanceof ScalarNode s)) {
            throw error(node, "expected a scalar node, but found " + node.getNodeId() + " (tag " + tag + ")");
        }
        return s.getValue();
    }

    private Object scalar(ScalarNode node, String tag) {
        String value = node.getValue();
        if (STR.contains(tag)) {
            return value;
        }
        try {
            if (tag.equals(Tag.NULL.getValue())) {
                return null;
            }
            if (tag.equals(Tag.BOOL.getValue())) {
                Boolean b = BOOLS.get(value.toLowerCase(Locale.ROOT));
                if (b == null) {
                    throw new IllegalArgumentException("'" + value + "' is not a YAML boolean");
                }
                return b;
            }
            if (tag.equals(Tag.INT.getValue())) {
                return yamlInt(value);
            }
            if (tag.equals(Tag.FLOAT.getValue())) {
                return yamlFloat(value);
            }
            if (tag.equals(Tag.TIMESTAMP.getValue())) {
                return timestamp(value);
            }
            if (tag.equals(Tag.BINARY.getValue())) {
                return Base64.getMimeDecoder().decode(value.getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IllegalArgumentException | ArithmeticException | DateTimeException | HostPatterns.PatternException e) {
            throw error(node, "cannot construct " + tag + " from '" + value + "': " + e.getMessage());
        }
        if (tag.equals(Tag.SEQ.getValue()) || tag.equals(Tag.OMAP.getValue()) || tag.equals(Tag.PAIRS.getValue())) {
            throw error(node, "expected a sequence node, but found scalar");
        }
        if (MAP.contains(tag) || tag.equals(Tag.SET.getValue())) {
            throw error(node, "expected a mapping node, but found scalar");
        }
        throw unexpected(node, tag, "scalar");
    }

    /** {@code construct_yaml_int}. */
    static BigInteger yamlInt(String text) {
        String value = text.replace("_", "");
        int sign = value.startsWith("-") ? -1 : 1;
        if (value.startsWith("-") || value.startsWith("+")) {
            value = value.substring(1);
        }
        BigInteger result;
        if (value.equals("0")) {
            result = BigInteger.ZERO;
        } else if (value.startsWith("0b")) {
            result = radixInt(value.substring(2), 2);
        } else if (value.startsWith("0x")) {
            result = radixInt(value.substring(2), 16);
        } else if (value.startsWith("0")) {
            result = radixInt(value.startsWith("0o") ? value.substring(2) : value, 8);
        } else if (value.contains(":")) {
            result = BigInteger.ZERO;
            for (String part : value.split(":", -1)) {
                result = result.multiply(BigInteger.valueOf(60)).add(HostPatterns.pyInt(part));
            }
        } else {
            result = HostPatterns.pyInt(value);
        }
        return sign < 0 ? result.negate() : result;
    }

    private static BigInteger radixInt(String digits, int radix) {
        String d = SourceText.strip(digits);
        if (d.isEmpty() || !d.chars().allMatch(c -> c < 128 && Character.digit(c, radix) >= 0)) {
            throw new IllegalArgumentException("invalid literal for int() with base " + radix);
        }
        return new BigInteger(d, radix);
    }

    /** {@code construct_yaml_float}. */
    static double yamlFloat(String text) {
        String value = text.replace("_", "").toLowerCase(Locale.ROOT);
        double sign = value.startsWith("-") ? -1 : 1;
        if (value.startsWith("-") || value.startsWith("+")) {
            value = value.substring(1);
        }
        if (value.equals(".inf")) {
            return sign * Double.POSITIVE_INFINITY;
        }
        if (value.equals(".nan")) {
            return Double.NaN;
        }
        if (value.contains(":")) {
            double result = 0;
            for (String part : value.split(":", -1)) {
                result = result * 60 + pyFloat(part);
            }
            return sign * result;
        }
        return sign * pyFloat(value);
    }

    private static double pyFloat(String text) {
        String t = SourceText.strip(text);
        if (!PY_FLOAT.matcher(t).matches()) {
            throw new IllegalArgumentException("could not convert string to float: '" + text + "'");
        }
        String unsigned = t.replaceFirst("^[+-]", "");
        double magnitude = switch (unsigned) {
            case "inf", "infinity" -> Double.POSITIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(unsigned);
        };
        return t.startsWith("-") ? -magnitude : magnitude;
    }

    /** {@code construct_yaml_timestamp}, printed as Python's {@code isoformat()}. */
    static PyValues.Timestamp timestamp(String text) {
        Matcher m = TIMESTAMP.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a timestamp");
        }
        int year = Integer.parseInt(m.group(1));
        if (year < 1) {
            throw new DateTimeException("year " + year + " is out of range");
        }
        LocalDate date = LocalDate.of(year, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        String iso = String.format("%04d-%02d-%02d", date.getYear(), date.getMonthValue(), date.getDayOfMonth());
        if (m.group(4) == null) {
            return new PyValues.Timestamp(iso);
        }
        int hour = Integer.parseInt(m.group(4));
        int minute = Integer.parseInt(m.group(5));
        int second = Integer.parseInt(m.group(6));
        if (hour > 23 || minute > 59 || second > 59) {
            throw new DateTimeException("time out of range");
        }
        StringBuilder sb = new StringBuilder(iso).append(String.format("T%02d:%02d:%02d", hour, minute, second));
        String fraction = m.group(7);
        if (fraction != null && !fraction.isEmpty()) {
            String micros = (fraction.length() > 6 ? fraction.substring(0, 6) : fraction + "0".repeat(6 - fraction.length()));
            if (Integer.parseInt(micros) != 0) {
                sb.append('.').append(micros);
            }
        }
        if (m.group(9) != null) {
            int minutes = Integer.parseInt(m.group(10)) * 60 + (m.group(11) == null ? 0 : Integer.parseInt(m.group(11)));
            if (minutes >= 24 * 60) {
                throw new DateTimeException("offset must be strictly between -24h and 24h");
            }
            String sign = m.group(9).equals("-") && minutes != 0 ? "-" : "+";
            sb.append(sign).append(String.format("%02d:%02d", minutes / 60, minutes % 60));
        } else if (m.group(8) != null) {
            sb.append("+00:00");
        }
        return new PyValues.Timestamp(sb.toString());
    }

    private static String describe(Object key) {
        try {
            return PyValues.jsonKey(key);
        } catch (IllegalArgumentException e) {
            return PyValues.typeName(key);
        }
    }

    private InventoryParseException unexpected(Node node, String tag, String kind) {
        return error(node, "could not determine a constructor for the tag '" + tag + "' (on a " + kind + ")");
    }

    private static InventoryParseException error(Node node, String reason) {
        return new InventoryParseException(line(node), reason);
    }
}
