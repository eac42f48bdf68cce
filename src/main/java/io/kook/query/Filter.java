package io.kook.query;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.kook.inventory.KookException;
import tools.jackson.databind.JsonNode;

/**
 * A boolean expression over one host or group in the style of Consul's {@code filter} (go-bexpr), parsed once by
 * a small recursive-descent parser and then tested against each object. Selectors are dotted paths from a fixed
 * set of roots ({@code name}, {@code vars.env}, {@code effective.region}, {@code vars["a.b"]}); values are
 * strings in double quotes or backticks, numbers, {@code true}, {@code false} and {@code null}. A malformed
 * expression is refused with the 1-based position where the parser gave up and what it expected there.
 *
 * <pre>
 * expr    := and ("or" and)*
 * and     := unary ("and" unary)*
 * unary   := "not" unary | "(" expr ")" | match
 * match   := selector ("==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=") value
 *          | selector "is" ["not"] "empty"
 *          | selector ["not"] ("contains" | "matches") value
 *          | value ["not"] "in" selector
 * </pre>
 *
 * Comparisons need like types: numbers compare numerically ({@code 1 == 1.0}), strings by UTF-16 code units, and a
 * string never equals a number. A selector that finds nothing makes the positive operators false and their
 * negations ({@code !=}, {@code not in}, {@code not contains}, {@code not matches}, {@code is empty}) true, as in
 * go-bexpr.
 */
public final class Filter {

    /** Longest expression accepted. */
    public static final int MAX_LENGTH = 4096;
    private static final int MAX_DEPTH = 100;
    private static final Pattern NUMBER = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");

    private final Node root;
    private final MatchBudget budget = new MatchBudget("filter", MatchBudget.DEFAULT_STEPS);

    private Filter(Node root) {
        this.root = root;
    }

    /**
     * Parses {@code expression}, allowing only selectors that start with one of {@code roots}.
     *
     * @throws KookException.Invalid naming the position and what was expected there
     */
    public static Filter parse(String expression, Set<String> roots) {
        if (expression.length() > MAX_LENGTH) {
            throw invalid("is longer than " + MAX_LENGTH + " characters");
        }
        Parser p = new Parser(expression, roots);
        Node node = p.or(0);
        p.space();
        if (p.more()) {
            throw p.expected("'and', 'or' or the end of the expression");
        }
        return new Filter(node);
    }

    /** Whether the object whose fields {@code fields} gives (by root name; {@code null} when absent) matches. */
    public boolean test(Function<String, JsonNode> fields) {
        return root.test(fields, budget);
    }

    static KookException.Invalid invalid(String message) {
        return KookException.invalid("filter", message);
    }

    // --- the tree ----------------------------------------------------------------------------------------------

    private sealed interface Node permits And, Or, Not, Match {
        boolean test(Function<String, JsonNode> fields, MatchBudget budget);
    }

    private record And(Node left, Node right) implements Node {
        public boolean test(Function<String, JsonNode> fields, MatchBudget budget) {
            return left.test(fields, budget) && right.test(fields, budget);
        }
    }

    private record Or(Node left, Node right) implements Node {
        public boolean test(Function<String, JsonNode> fields, MatchBudget budget) {
            return left.test(fields, budget) || right.test(fields, budget);
        }
    }

    private record Not(Node inner) implements Node {
        public boolean test(Function<String, JsonNode> fields, MatchBudget budget) {
            return !inner.test(fields, budget);
        }
    }

    /** A path from a root: field names, or indexes into lists. */
    private record Selector(String root, List<String> path) {
        JsonNode resolve(Function<String, JsonNode> fields) {
            JsonNode node = fields.apply(root);
            for (String key : path) {
                if (node == null) {
                    return null;
                }
                if (node.isObject()) {
                    node = node.get(key);
                } else if (node.isArray() && key.matches("[0-9]{1,9}")) {
                    node = node.get(Integer.parseInt(key));
                } else {
                    return null;
                }
            }
            return node == null || node.isMissingNode() ? null : node;
        }
    }

    private enum Op { EQ, NE, LT, LE, GT, GE, EMPTY, CONTAINS, MATCHES }

    /** One matching expression; {@code negated} for the {@code not} forms, {@code !=} and {@code is not empty}. */
    private record Match(Selector selector, Op op, boolean negated, Object value, Pattern regex) implements Node {
        public boolean test(Function<String, JsonNode> fields, MatchBudget budget) {
            JsonNode node = selector.resolve(fields);
            return negated != positive(node, budget);
        }

        private boolean positive(JsonNode node, MatchBudget budget) {
            if (op == Op.EMPTY) {
                return node == null || node.isNull() || (node.isString() && node.asString().isEmpty())
                        || ((node.isArray() || node.isObject()) && node.isEmpty());
            }
            if (node == null) {
                return false;
            }
            return switch (op) {
                case EQ -> same(node, value);
                case LT, LE, GT, GE -> {
                    Integer c = compare(node, value);
                    yield c != null && switch (op) {
                        case LT -> c < 0;
                        case LE -> c <= 0;
                        case GT -> c > 0;
                        default -> c >= 0;
                    };
                }
                case CONTAINS -> contains(node, value);
                case MATCHES -> node.isString() && budget.find(regex, node.asString());
                default -> throw new IllegalStateException("unhandled operator " + op);
            };
        }

        private static boolean same(JsonNode node, Object value) {
            if (value == null) {
                return node.isNull();
            }
            if (value instanceof BigDecimal number) {
                return node.isNumber() && node.decimalValue().compareTo(number) == 0;
            }
            if (value instanceof Boolean b) {
                return node.isBoolean() && node.booleanValue() == b;
            }
            return node.isString() && node.asString().equals(value);
        }

        private static Integer compare(JsonNode node, Object value) {
            if (value instanceof BigDecimal number && node.isNumber()) {
                return node.decimalValue().compareTo(number);
            }
            if (value instanceof String s && node.isString()) {
                return node.asString().compareTo(s);
            }
            return null;
        }

        private static boolean contains(JsonNode node, Object value) {
            if (node.isArray()) {
                for (JsonNode element : node) {
                    if (same(element, value)) {
                        return true;
                    }
                }
                return false;
            }
            if (node.isObject()) {
                return value instanceof String key && node.has(key);
            }
            return node.isString() && value instanceof String s && node.asString().contains(s);
        }
    }

    // --- the parser --------------------------------------------------------------------------------------------

    private static final class Parser {
        private final String src;
        private final Set<String> roots;
        private int pos;

        Parser(String src, Set<String> roots) {
            this.src = src;
            this.roots = roots;
        }

        boolean more() {
            return pos < src.length();
        }

        void space() {
            while (more() && Character.isWhitespace(src.charAt(pos))) {
                pos++;
            }
        }

        KookException.Invalid expected(String what) {
            return invalid("expected " + what + " at position " + (pos + 1)
                    + (more() ? "" : " (the end of the expression)"));
        }

        Node or(int depth) {
            Node left = and(depth);
            while (keyword("or")) {
                left = new Or(left, and(depth));
            }
            return left;
        }

        Node and(int depth) {
            Node left = unary(depth);
            while (keyword("and")) {
                left = new And(left, unary(depth));
            }
            return left;
        }

        Node unary(int depth) {
            if (depth > MAX_DEPTH) {
                throw invalid("nests deeper than " + MAX_DEPTH + " levels at position " + (pos + 1));
            }
            space();
            if (keyword("not")) {
                return new Not(unary(depth + 1));
            }
            if (more() && src.charAt(pos) == '(') {
                pos++;
                Node inner = or(depth + 1);
                space();
                if (!more() || src.charAt(pos) != ')') {
                    throw expected("')'");
                }
                pos++;
                return inner;
            }
            return match();
        }

        Node match() {
            space();
            int start = pos;
            if (more() && startsValue()) {
                Object value = value();
                boolean negated = keyword("not");
                if (!keyword("in")) {
                    throw expected(negated ? "'in'" : "'in' or 'not in' after a value");
                }
                return new Match(selector(), Op.CONTAINS, negated, value, null);
            }
            if (!more() || !identStart(src.charAt(pos))) {
                pos = start;
                throw expected("a selector, a value, 'not' or '('");
            }
            Selector selector = selector();
            space();
            if (src.startsWith("==", pos) || src.startsWith("!=", pos)) {
                boolean ne = src.charAt(pos) == '!';
                pos += 2;
                return new Match(selector, Op.EQ, ne, value(), null);
            }
            for (String cmp : new String[] {"<=", ">=", "<", ">"}) {
                if (src.startsWith(cmp, pos)) {
                    pos += cmp.length();
                    Op op = switch (cmp) {
                        case "<=" -> Op.LE;
                        case ">=" -> Op.GE;
                        case "<" -> Op.LT;
                        default -> Op.GT;
                    };
                    return new Match(selector, op, false, value(), null);
                }
            }
            if (keyword("is")) {
                boolean negated = keyword("not");
                if (!keyword("empty")) {
                    throw expected(negated ? "'empty'" : "'empty' or 'not empty'");
                }
                return new Match(selector, Op.EMPTY, negated, null, null);
            }
            boolean negated = keyword("not");
            if (keyword("contains")) {
                return new Match(selector, Op.CONTAINS, negated, value(), null);
            }
            if (keyword("matches")) {
                space();
                int at = pos;
                Object value = value();
                if (!(value instanceof String regex)) {
                    pos = at;
                    throw expected("a regular expression in quotes");
                }
                try {
                    return new Match(selector, Op.MATCHES, negated, value, Pattern.compile(regex));
                } catch (PatternSyntaxException e) {
                    throw invalid("invalid regular expression at position " + (at + 1) + ": "
                            + e.getDescription());
                }
            }
            throw expected(negated ? "'contains' or 'matches'"
                    : "an operator (==, !=, <, <=, >, >=, is empty, is not empty, contains, matches)");
        }

        private boolean startsValue() {
            char c = src.charAt(pos);
            if (c == '"' || c == '`' || c == '-' || (c >= '0' && c <= '9')) {
                return true;
            }
            return wordAhead("true") || wordAhead("false") || wordAhead("null");
        }

        Selector selector() {
            space();
            int start = pos;
            if (!more() || !identStart(src.charAt(pos))) {
                throw expected("a selector");
            }
            String root = ident();
            if (!roots.contains(root)) {
                pos = start;
                throw invalid("unknown selector '" + root + "' at position " + (start + 1) + "; expected one of "
                        + String.join(", ", new java.util.TreeSet<>(roots)));
            }
            List<String> path = new ArrayList<>();
            while (more()) {
                char c = src.charAt(pos);
                if (c == '.') {
                    pos++;
                    if (!more() || !identPart(src.charAt(pos))) {
                        throw expected("a key after '.'");
                    }
                    path.add(ident());
                } else if (c == '[') {
                    pos++;
                    space();
                    if (!more() || (src.charAt(pos) != '"' && src.charAt(pos) != '`')) {
                        throw expected("a quoted key after '['");
                    }
                    path.add(string());
                    space();
                    if (!more() || src.charAt(pos) != ']') {
                        throw expected("']'");
                    }
                    pos++;
                } else {
                    break;
                }
            }
            return new Selector(root, List.copyOf(path));
        }

        Object value() {
            space();
            if (!more()) {
                throw expected("a value");
            }
            char c = src.charAt(pos);
            if (c == '"' || c == '`') {
                return string();
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                return number();
            }
            if (keyword("true")) {
                return Boolean.TRUE;
            }
            if (keyword("false")) {
                return Boolean.FALSE;
            }
            if (keyword("null")) {
                return null;
            }
            throw expected("a value");
        }

        private BigDecimal number() {
            int start = pos;
            java.util.regex.Matcher m = NUMBER
                    .matcher(src).region(pos, src.length());
            if (!m.lookingAt()) {
                throw expected("a number");
            }
            pos = m.end();
            if (more() && identPart(src.charAt(pos))) {
                pos = start;
                throw expected("a value");
            }
            try {
                BigDecimal n = new BigDecimal(m.group());
                if (Math.abs((long) n.scale()) > 10_000) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                pos = start;
                throw expected("a number of sensible size");
            }
        }

        /** A double-quoted string with JSON escapes, or a backtick string taken as it is. */
        private String string() {
            int start = pos;
            char quote = src.charAt(pos++);
            StringBuilder out = new StringBuilder();
            while (more()) {
                char c = src.charAt(pos++);
                if (c == quote) {
                    return out.toString();
                }
                if (c == '\\' && quote == '"') {
                    if (!more()) {
                        break;
                    }
                    char e = src.charAt(pos++);
                    switch (e) {
                        case '"', '\\', '/' -> out.append(e);
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'u' -> {
                            if (pos + 4 > src.length() || !src.substring(pos, pos + 4).matches("[0-9a-fA-F]{4}")) {
                                pos -= 2;
                                throw expected("four hex digits after \\u");
                            }
                            out.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
                            pos += 4;
                        }
                        default -> {
                            pos -= 2;
                            throw expected("one of \\\" \\\\ \\/ \\n \\t \\r \\b \\f \\uXXXX");
                        }
                    }
                } else {
                    out.append(c);
                }
            }
            pos = start;
            throw expected("a closing " + quote + " for the string that starts here");
        }

        private String ident() {
            int start = pos;
            while (more() && identPart(src.charAt(pos))) {
                pos++;
            }
            return src.substring(start, pos);
        }

        /** Consumes {@code word} (after whitespace) when it stands alone. */
        private boolean keyword(String word) {
            space();
            if (wordAhead(word)) {
                pos += word.length();
                return true;
            }
            return false;
        }

        private boolean wordAhead(String word) {
            int end = pos + word.length();
            return src.startsWith(word, pos) && (end >= src.length() || !identPart(src.charAt(end)));
        }

        private static boolean identStart(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        }

        private static boolean identPart(char c) {
            return identStart(c) || (c >= '0' && c <= '9') || c == '-';
        }
    }
}
