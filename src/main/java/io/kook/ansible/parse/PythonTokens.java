package io.kook.ansible.parse;

import static io.kook.ansible.parse.PythonLiteral.NOT;

import java.math.BigInteger;

/**
 * Python 3.11's tokenizer for the tokens a literal can hold: numbers (with underscores, prefixes, exponents and
 * {@code j}), strings and bytes (prefixes, escapes, triple quotes), names, brackets and {@code , : + - ...}. It
 * stops at a {@code #} comment; anything else is a syntax error ({@link PythonLiteral#NOT}).
 */
final class PythonTokens {

    /** Python 3.11 refuses decimal int literals longer than this ({@code sys.int_info.default_max_str_digits}). */
    private static final int MAX_INT_DIGITS = 4300;

    enum Kind { NUMBER, STRING, NAME, OP, END }

    /** One token; a string token holds a String, bytes, or null for an f-string. */
    record Token(Kind kind, Object value, String text) {
        boolean isOp(String op) {
            return kind == Kind.OP && text.equals(op);
        }
    }

    private final String s;
    private int pos;

    PythonTokens(String source) {
        this.s = source;
    }

    /** The next token, {@link Kind#END} at the end or at a comment. */
    Token next() {
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
        String p = prefix.toLowerCase(java.util.Locale.ROOT);
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
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "r", "u", "b", "br", "rb", "f", "fr", "rf" -> true;
            default -> false;
        };
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
