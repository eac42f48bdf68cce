package io.kook.ansible.parse;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Python 3.11's {@code ast.literal_eval} for one string, because the INI plugin types every value with it:
 * {@code 42} is an int, {@code 'x' # note} the string {@code x}, {@code [1, 'a']} a list, while {@code yes},
 * {@code 0755} or {@code bar # note} are not literals and stay the text they were.
 * <p>
 * The accepted language is what literal_eval accepts: numbers, strings and bytes (with prefixes, escapes and
 * implicit concatenation), {@code True}/{@code False}/{@code None}/{@code ...}, tuples, lists, sets, dicts,
 * {@code set()}, a sign on a number and {@code real ± imaginary}, with whitespace and a trailing comment.
 * Anything else, valid Python or not, is "not a literal", which is all the caller needs to know.
 */
final class PythonLiteral {

    /** What {@link #eval} returns where Python raises ValueError or SyntaxError. */
    static final Object NOT_A_LITERAL = new Object();

    /** CPython's tokenizer gives up beyond this many open brackets. */
    private static final int MAX_NESTING = 200;
    /** Python 3.11 refuses decimal int literals longer than this ({@code sys.int_info.default_max_str_digits}). */
    private static final int MAX_INT_DIGITS = 4300;

    private PythonLiteral() {
    }

    /**
     * @return the Python value (see {@link PyValues}) or {@link #NOT_A_LITERAL}
     * @throws IllegalArgumentException where Python raises TypeError (an unhashable dict key or set member),
     *                                  which makes Ansible fail the whole inventory
     */
    static Object eval(String text) {
        if (text.indexOf('\0') >= 0) {
            return NOT_A_LITERAL; // source code cannot contain null bytes
        }
        int start = 0;
        while (start < text.length() && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
            start++;
        }
        try {
            return convert(new Parser(text.substring(start)).parseTop());
        } catch (NotLiteral e) {
            return NOT_A_LITERAL;
        }
    }

    private static final class NotLiteral extends RuntimeException {
        NotLiteral() {
            super(null, null, false, false);
        }
    }

    private static final NotLiteral NOT = new NotLiteral();

    private sealed interface Ast permits Const, Unary, Bin, Seq, Dict, EmptySetCall, Other {
    }

    private record Const(Object value) implements Ast {
    }

    private record Unary(boolean negative, Ast operand) implements Ast {
    }

    private record Bin(Ast left, boolean minus, Ast right) implements Ast {
    }

    private enum SeqKind { TUPLE, LIST, SET }

    private record Seq(SeqKind kind, List<Ast> items) implements Ast {
    }

    private record Dict(List<Ast> keys, List<Ast> values) implements Ast {
    }

    private record EmptySetCall() implements Ast {
    }

    /** Valid syntax that literal_eval rejects (a name, a call, an f-string). */
    private record Other() implements Ast {
    }

    // ------------------------------------------------------------------------------------ evaluation

    private static Object convert(Ast node) {
        if (node instanceof Const c) {
            return c.value();
        }
        if (node instanceof Seq seq) {
            if (seq.kind() == SeqKind.SET) {
                Set<PyValues.Key> seen = new LinkedHashSet<>();
                for (Ast item : seq.items()) {
                    seen.add(new PyValues.Key(convert(item)));
                }
                return new PyValues.PySet(seen.stream().map(PyValues.Key::value).toList());
            }
            List<Object> items = new ArrayList<>(seq.items().size());
            for (Ast item : seq.items()) {
                items.add(convert(item));
            }
            return seq.kind() == SeqKind.TUPLE ? new PyValues.Tuple(items) : items;
        }
        if (node instanceof EmptySetCall) {
            return new PyValues.PySet(List.of());
        }
        if (node instanceof Dict dict) {
            Map<PyValues.Key, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < dict.keys().size(); i++) {
                Object key = convert(dict.keys().get(i));
                Object value = convert(dict.values().get(i));
                map.put(new PyValues.Key(key), value);
            }
            return map;
        }
        if (node instanceof Bin bin) {
            Object left = signedNumber(bin.left());
            Object right = number(bin.right());
            if ((left instanceof BigInteger || left instanceof Double) && right instanceof PyValues.Complex c) {
                double real = toDouble(left);
                return bin.minus() ? new PyValues.Complex(real - c.real(), -c.imag())
                        : new PyValues.Complex(real + c.real(), c.imag());
            }
        }
        return signedNumber(node);
    }

    private static Object signedNumber(Ast node) {
        if (node instanceof Unary u) {
            Object operand = number(u.operand());
            if (!u.negative()) {
                return operand;
            }
            if (operand instanceof BigInteger i) {
                return i.negate();
            }
            if (operand instanceof Double d) {
                return -d;
            }
            PyValues.Complex c = (PyValues.Complex) operand;
            return new PyValues.Complex(-c.real(), -c.imag());
        }
        return number(node);
    }

    private static Object number(Ast node) {
        if (node instanceof Const c && (c.value() instanceof BigInteger || c.value() instanceof Double
                || c.value() instanceof PyValues.Complex)) {
            return c.value();
        }
        throw NOT;
    }

    private static double toDouble(Object n) {
        return n instanceof BigInteger i ? i.doubleValue() : (Double) n;
    }

    // ------------------------------------------------------------------------------------ parsing

    private enum Kind { NUMBER, STRING, NAME, OP, END }

    /** One token; a string token holds a String, bytes, or null for an f-string. */
    private record Token(Kind kind, Object value, String text) {
        boolean isOp(String op) {
            return kind == Kind.OP && text.equals(op);
        }
    }

    private static final class Parser {
        private final String s;
        private int pos;
        private Token lookahead;
        private int depth;

        Parser(String s) {
            this.s = s;
        }

        Ast parseTop() {
            if (peek().kind() == Kind.END) {
                throw NOT;
            }
            Ast result = exprList(false);
            if (peek().kind() != Kind.END) {
                throw NOT;
            }
            return result;
        }

        /** {@code expr (',' expr)* [',']}: a bare tuple when there is a comma. */
        private Ast exprList(boolean inParens) {
            Ast first = expr();
            if (!peek().isOp(",")) {
                return first;
            }
            List<Ast> items = new ArrayList<>();
            items.add(first);
            while (peek().isOp(",")) {
                next();
                if (inParens ? peek().isOp(")") : peek().kind() == Kind.END) {
                    break;
                }
                items.add(expr());
            }
            return new Seq(SeqKind.TUPLE, items);
        }

        private Ast expr() {
            Ast left = unary();
            while (peek().isOp("+") || peek().isOp("-")) {
                boolean minus = next().isOp("-");
                left = new Bin(left, minus, unary());
            }
            return left;
        }

        private Ast unary() {
            List<Boolean> signs = new ArrayList<>();
            while (peek().isOp("+") || peek().isOp("-")) {
                signs.add(next().isOp("-"));
            }
            Ast operand = atom();
            for (int i = signs.size() - 1; i >= 0; i--) {
                operand = new Unary(signs.get(i), operand);
            }
            return operand;
        }

        private Ast atom() {
            Token t = next();
            Ast result = switch (t.kind()) {
                case NUMBER -> new Const(t.value());
                case STRING -> strings(t);
                case NAME -> name(t.text());
                case OP -> display(t.text());
                case END -> throw NOT;
            };
            if (peek().isOp("(") || peek().isOp("[")) {
                throw NOT; // a call or subscript: valid syntax, never a literal
            }
            return result;
        }

        private Ast strings(Token first) {
            List<Token> parts = new ArrayList<>();
            parts.add(first);
            while (peek().kind() == Kind.STRING) {
                parts.add(next());
            }
            long bytes = parts.stream().filter(p -> p.value() instanceof byte[]).count();
            if (bytes != 0 && bytes != parts.size()) {
                throw NOT; // cannot mix bytes and nonbytes literals
            }
            if (parts.stream().anyMatch(p -> p.value() == null)) {
                return new Other();
            }
            if (bytes == 0) {
                StringBuilder sb = new StringBuilder();
                parts.forEach(p -> sb.append((String) p.value()));
                return new Const(sb.toString());
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            parts.forEach(p -> out.writeBytes((byte[]) p.value()));
            return new Const(out.toByteArray());
        }

        private Ast name(String name) {
            switch (name) {
                case "True":
                    return new Const(Boolean.TRUE);
                case "False":
                    return new Const(Boolean.FALSE);
                case "None":
                    return new Const(null);
                default:
                    break;
            }
            if (name.equals("set") && peek().isOp("(")) {
                next();
                if (peek().isOp(")")) {
                    next();
                    return new EmptySetCall();
                }
                throw NOT; // set(...) with arguments is a call literal_eval rejects
            }
            return new Other();
        }

        private Ast display(String open) {
            switch (open) {
                case "...":
                    return new Const(PyValues.Ellipsis.INSTANCE);
                case "(": {
                    enter();
                    Ast inner;
                    if (peek().isOp(")")) {
                        inner = new Seq(SeqKind.TUPLE, List.of());
                    } else {
                        inner = exprList(true);
                    }
                    leave(")");
                    return inner;
                }
                case "[": {
                    enter();
                    List<Ast> items = new ArrayList<>();
                    while (!peek().isOp("]")) {
                        items.add(expr());
                        if (!peek().isOp(",")) {
                            break;
                        }
                        next();
                    }
                    leave("]");
                    return new Seq(SeqKind.LIST, items);
                }
                case "{":
                    enter();
                    return braces();
                default:
                    throw NOT;
            }
        }

        private Ast braces() {
            if (peek().isOp("}")) {
                leave("}");
                return new Dict(List.of(), List.of());
            }
            Ast first = expr();
            if (peek().isOp(":")) {
                List<Ast> keys = new ArrayList<>();
                List<Ast> values = new ArrayList<>();
                next();
                keys.add(first);
                values.add(expr());
                while (peek().isOp(",")) {
                    next();
                    if (peek().isOp("}")) {
                        break;
                    }
                    keys.add(expr());
                    expect(":");
                    values.add(expr());
                }
                leave("}");
                return new Dict(keys, values);
            }
            List<Ast> items = new ArrayList<>();
            items.add(first);
            while (peek().isOp(",")) {
                next();
                if (peek().isOp("}")) {
                    break;
                }
                items.add(expr());
            }
            leave("}");
            return new Seq(SeqKind.SET, items);
        }

        private void enter() {
            if (++depth > MAX_NESTING) {
                throw NOT;
            }
        }

        private void leave(String close) {
            expect(close);
            depth--;
        }

        private void expect(String op) {
            if (!next().isOp(op)) {
                throw NOT;
            }
        }

        private Token peek() {
            if (lookahead == null) {
                lookahead = lex();
            }
            return lookahead;
        }

        private Token next() {
            Token t = peek();
            lookahead = null;
            return t;
        }

        // -------------------------------------------------------------------------------- lexing

        private Token lex() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\f')) {
                pos++;
            }
            if (pos >= s.length() || s.charAt(pos) == '#') {
                pos = s.length();
                return new Token(Kind.END, null, "");
            }
            char c = s.charAt(pos);
            if (isDigit(c) || (c == '.' && pos + 1 < s.length() && isDigit(s.charAt(pos + 1)))) {
                return number();
            }
            if (s.startsWith("...", pos)) {
                pos += 3;
                return new Token(Kind.OP, null, "...");
            }
            if (c == '\'' || c == '"') {
                return string("");
            }
            if (isNameStart(c)) {
                int start = pos;
                while (pos < s.length() && isNamePart(s.charAt(pos))) {
                    pos++;
                }
                String name = s.substring(start, pos);
                if (pos < s.length() && (s.charAt(pos) == '\'' || s.charAt(pos) == '"') && isStringPrefix(name)) {
                    return string(name);
                }
                return new Token(Kind.NAME, null, name);
            }
            if ("()[]{},:+-".indexOf(c) >= 0) {
                pos++;
                return new Token(Kind.OP, null, String.valueOf(c));
            }
            throw NOT;
        }

        private Token number() {
            int start = pos;
            if (s.charAt(pos) == '0' && pos + 1 < s.length() && "xXoObB".indexOf(s.charAt(pos + 1)) >= 0) {
                char kind = Character.toLowerCase(s.charAt(pos + 1));
                int radix = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
                pos += 2;
                int digitsStart = pos;
                while (pos < s.length()) {
                    char c = s.charAt(pos);
                    if (c == '_' && pos + 1 < s.length() && Character.digit(s.charAt(pos + 1), radix) >= 0) {
                        pos += 2;
                    } else if (Character.digit(c, radix) >= 0 && c < 128) {
                        pos++;
                    } else {
                        break;
                    }
                }
                if (pos == digitsStart) {
                    throw NOT;
                }
                endOfNumber();
                return new Token(Kind.NUMBER, new BigInteger(s.substring(digitsStart, pos).replace("_", ""), radix), "");
            }
            boolean isFloat = false;
            if (s.charAt(pos) != '.') {
                digitPart();
            }
            if (pos < s.length() && s.charAt(pos) == '.') {
                isFloat = true;
                pos++;
                if (pos < s.length() && isDigit(s.charAt(pos))) {
                    digitPart();
                }
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                isFloat = true;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                    throw NOT;
                }
                digitPart();
            }
            boolean imaginary = pos < s.length() && (s.charAt(pos) == 'j' || s.charAt(pos) == 'J');
            String text = s.substring(start, pos).replace("_", "");
            if (imaginary) {
                pos++;
            }
            endOfNumber();
            if (imaginary) {
                return new Token(Kind.NUMBER, new PyValues.Complex(0.0, Double.parseDouble(text)), "");
            }
            if (isFloat) {
                return new Token(Kind.NUMBER, Double.parseDouble(text), "");
            }
            if (text.length() > 1 && text.charAt(0) == '0' && !text.chars().allMatch(ch -> ch == '0')) {
                throw NOT; // leading zeros in decimal integer literals are not permitted
            }
            if (text.length() > MAX_INT_DIGITS) {
                throw NOT;
            }
            return new Token(Kind.NUMBER, new BigInteger(text), "");
        }

        /** {@code digit (['_'] digit)*} */
        private void digitPart() {
            pos++;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (isDigit(c)) {
                    pos++;
                } else if (c == '_' && pos + 1 < s.length() && isDigit(s.charAt(pos + 1))) {
                    pos += 2;
                } else {
                    break;
                }
            }
        }

        private void endOfNumber() {
            if (pos < s.length() && (isNamePart(s.charAt(pos)) || s.charAt(pos) == '.')) {
                throw NOT; // invalid decimal literal, e.g. 1a, 0755, 1_
            }
        }

        private Token string(String prefix) {
            String p = prefix.toLowerCase();
            boolean raw = p.contains("r");
            boolean bytes = p.contains("b");
            boolean fString = p.contains("f");
            char quote = s.charAt(pos);
            String triple = String.valueOf(quote).repeat(3);
            boolean isTriple = s.startsWith(triple, pos);
            pos += isTriple ? 3 : 1;
            int bodyStart = pos;
            int bodyEnd;
            while (true) {
                if (pos >= s.length()) {
                    throw NOT; // unterminated string literal
                }
                char c = s.charAt(pos);
                if (c == '\\') {
                    pos += 2;
                    continue;
                }
                if (isTriple ? s.startsWith(triple, pos) : c == quote) {
                    bodyEnd = pos;
                    pos += isTriple ? 3 : 1;
                    break;
                }
                pos++;
            }
            String body = s.substring(bodyStart, bodyEnd);
            if (fString) {
                return new Token(Kind.STRING, null, "");
            }
            if (bytes) {
                if (body.chars().anyMatch(ch -> ch > 127)) {
                    throw NOT; // bytes can only contain ASCII literal characters
                }
                String value = raw ? body : unescape(body, true);
                byte[] out = new byte[value.length()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (byte) value.charAt(i);
                }
                return new Token(Kind.STRING, out, "");
            }
            return new Token(Kind.STRING, raw ? body : unescape(body, false), "");
        }

        private static boolean isStringPrefix(String name) {
            return switch (name.toLowerCase()) {
                case "r", "u", "b", "br", "rb", "f", "fr", "rf" -> true;
                default -> false;
            };
        }
    }

    /** Python's escape sequences in a non-raw str or bytes literal. */
    private static String unescape(String body, boolean bytes) {
        StringBuilder sb = new StringBuilder(body.length());
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c != '\\') {
                sb.append(c);
                i++;
                continue;
            }
            char n = body.charAt(i + 1);
            i += 2;
            switch (n) {
                case '\n' -> {
                }
                case '\\', '\'', '"' -> sb.append(n);
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append('\u000B');
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int value = n - '0';
                    for (int k = 0; k < 2 && i < body.length() && body.charAt(i) >= '0' && body.charAt(i) <= '7'; k++) {
                        value = value * 8 + body.charAt(i++) - '0';
                    }
                    sb.append((char) (bytes ? value & 0xFF : value));
                }
                case 'x' -> {
                    sb.appendCodePoint(hex(body, i, 2));
                    i += 2;
                }
                case 'u', 'U', 'N' -> {
                    if (bytes) {
                        sb.append('\\').append(n);
                    } else if (n == 'N') {
                        int close = body.indexOf('}', i);
                        if (i >= body.length() || body.charAt(i) != '{' || close < 0) {
                            throw NOT;
                        }
                        try {
                            sb.appendCodePoint(Character.codePointOf(body.substring(i + 1, close)));
                        } catch (IllegalArgumentException e) {
                            throw NOT;
                        }
                        i = close + 1;
                    } else {
                        int width = n == 'u' ? 4 : 8;
                        int cp = hex(body, i, width);
                        if (cp > Character.MAX_CODE_POINT) {
                            throw NOT;
                        }
                        if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                            sb.append((char) cp);
                        } else {
                            sb.appendCodePoint(cp);
                        }
                        i += width;
                    }
                }
                default -> sb.append('\\').append(n);
            }
        }
        return sb.toString();
    }

    private static int hex(String body, int from, int width) {
        if (from + width > body.length()) {
            throw NOT;
        }
        long value = 0;
        for (int k = from; k < from + width; k++) {
            int d = Character.digit(body.charAt(k), 16);
            if (d < 0 || body.charAt(k) > 127) {
                throw NOT;
            }
            value = value * 16 + d;
        }
        return value > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNameStart(char c) {
        return c == '_' || (c < 128 ? Character.isLetter(c) : Character.isUnicodeIdentifierStart(c));
    }

    private static boolean isNamePart(char c) {
        return c == '_' || (c < 128 ? Character.isLetterOrDigit(c)
                : Character.isUnicodeIdentifierPart(c) && !Character.isIdentifierIgnorable(c));
    }
}
