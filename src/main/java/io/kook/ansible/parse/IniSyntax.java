package io.kook.ansible.parse;

import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * How to write values, var names and host names in an INI inventory so that Ansible's {@code ini} plugin (and
 * {@link IniInventoryParser}, which reads as it does) reads back exactly what was written, and which of them
 * INI cannot say at all. The plugin types every value with {@code ast.literal_eval} and keeps the text when that
 * fails, so a value is written as the Python literal of itself: {@code '123'} stays a string, {@code 123} an int,
 * {@code {'a': [1, None]}} a dict. On host lines the literal is first shell-quoted, because the plugin
 * {@code shlex}-splits those lines. Stateless.
 */
public final class IniSyntax {

    /**
     * How deep containers may nest in one value: CPython's tokenizer refuses more than 200 open brackets, so a
     * deeper value would come back as a string.
     */
    public static final int MAX_NESTING = 200;

    /** Python 3.11 refuses longer decimal int literals; longer ints are written in hex, which has no limit. */
    private static final int MAX_DECIMAL_DIGITS = 4300;

    /** A host-line word that shlex returns unchanged: no whitespace, quotes, backslash or comment sign. */
    private static final Pattern PLAIN_WORD = Pattern.compile("[^\\s'\"\\\\#]+", Pattern.UNICODE_CHARACTER_CLASS);

    private IniSyntax() {
    }

    /**
     * Why a var named {@code key} cannot be written in INI, or {@code null} when it can. Names are split from
     * values at the first {@code =} and stripped, and a {@code :vars} line that starts with {@code #} or
     * {@code ;} is a comment, one that starts with {@code [} may be a section header, and a line break ends it.
     */
    public static String varNameProblem(String key) {
        if (key.isEmpty()) {
            return null; // "=value" names the empty var, on host lines and in :vars sections alike
        }
        if (key.indexOf('=') >= 0) {
            return "it contains '=', where INI splits a name from its value";
        }
        if (!SourceText.strip(key).equals(key)) {
            return "it starts or ends with whitespace, which INI strips";
        }
        char first = key.charAt(0);
        if (first == '#' || first == ';') {
            return "it starts with '" + first + "', which makes a vars line a comment";
        }
        if (first == '[') {
            return "it starts with '[', which can make a vars line a section header";
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.getType(key.charAt(i)) == Character.CONTROL || isLineBreak(key.charAt(i))) {
                return "it contains a control character or line break";
            }
        }
        return null;
    }

    /**
     * Why a host named {@code name} cannot be written on an INI host line, or {@code null} when it can. The plugin
     * reads the first word of a host line as a host pattern ({@code web[1:3]} is three hosts, {@code web:22} a
     * port) and refuses some names outright ({@code ---}, a trailing {@code :}).
     */
    public static String hostNameProblem(String name) {
        if (!PLAIN_WORD.matcher(name).matches() || name.startsWith(";")) {
            return "it is not one plain word";
        }
        if (name.startsWith("[") && name.endsWith("]")) {
            return "a line holding only it reads as a section header";
        }
        if (!InventoryParsers.readsAsItself(name) || SourceText.strip(name).equals("---")
                || SourceText.strip(name).endsWith(":")) {
            return "Ansible reads it as a host pattern (a range, a port or an invalid pattern), not as this host";
        }
        return null;
    }

    /**
     * The line {@code key=<literal>} of a {@code [group:vars]} section.
     *
     * @throws IllegalArgumentException for a value nested deeper than {@link #MAX_NESTING}
     */
    public static String varsLine(String key, JsonNode value) {
        return key + "=" + literal(value);
    }

    /**
     * The word {@code key=<literal>} of a host line, quoted so that shlex gives back exactly that text: inside
     * double quotes POSIX shlex only unescapes {@code \\} and {@code \"}, so those are the only escapes added.
     *
     * @throws IllegalArgumentException for a value nested deeper than {@link #MAX_NESTING}
     */
    public static String hostVarWord(String key, JsonNode value) {
        String literal = literal(value);
        if (PLAIN_WORD.matcher(key).matches()) {
            return PLAIN_WORD.matcher(literal).matches() ? key + "=" + literal : key + "=" + doubleQuoted(literal);
        }
        return doubleQuoted(key + "=" + literal);
    }

    private static String doubleQuoted(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                sb.append("\\\"");
            } else if (c == '\\') {
                // a backslash before a character other than \ or " (or the closing quote) is kept as it is
                boolean escapes = i + 1 == text.length() || text.charAt(i + 1) == '\\' || text.charAt(i + 1) == '"';
                sb.append(escapes ? "\\\\" : "\\");
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /**
     * The Python literal {@code ast.literal_eval} turns into {@code value}: {@code None}, {@code True}, ints,
     * floats as Python's {@code repr}, strings single-quoted with every non-printable character escaped (so a
     * literal never holds a line break), lists and dicts.
     *
     * @throws IllegalArgumentException for a value nested deeper than {@link #MAX_NESTING}
     */
    public static String literal(JsonNode value) {
        StringBuilder sb = new StringBuilder();
        literal(value, sb, 0);
        return sb.toString();
    }

    private static void literal(JsonNode v, StringBuilder sb, int depth) {
        if (v.isObject() || v.isArray()) {
            if (depth >= MAX_NESTING) {
                throw new IllegalArgumentException("a value nests lists and dicts more than " + MAX_NESTING
                        + " deep, beyond what Python reads as a literal");
            }
            boolean object = v.isObject();
            sb.append(object ? '{' : '[');
            if (object) {
                Iterator<Map.Entry<String, JsonNode>> it = v.properties().iterator();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    string(e.getKey(), sb);
                    sb.append(": ");
                    literal(e.getValue(), sb, depth + 1);
                    if (it.hasNext()) {
                        sb.append(", ");
                    }
                }
            } else {
                for (int i = 0; i < v.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    literal(v.get(i), sb, depth + 1);
                }
            }
            sb.append(object ? '}' : ']');
        } else if (v.isNull()) {
            sb.append("None");
        } else if (v.isBoolean()) {
            sb.append(v.booleanValue() ? "True" : "False");
        } else if (v.isIntegralNumber()) {
            BigInteger i = v.bigIntegerValue();
            String decimal = i.toString();
            if (decimal.length() - (i.signum() < 0 ? 1 : 0) <= MAX_DECIMAL_DIGITS) {
                sb.append(decimal);
            } else {
                sb.append(i.signum() < 0 ? "-0x" : "0x").append(i.abs().toString(16));
            }
        } else if (v.isNumber()) {
            sb.append(PyValues.floatRepr(v.doubleValue()));
        } else if (v.isString()) {
            string(v.stringValue(), sb);
        } else {
            throw new IllegalArgumentException("a " + v.getNodeType() + " is not a JSON value Kook stores");
        }
    }

    /** A single-quoted Python string literal, escaping what {@code str.isprintable()} says is not printable. */
    private static void string(String s, StringBuilder sb) {
        sb.append('\'');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (printable(cp)) {
                        sb.appendCodePoint(cp);
                    } else if (cp <= 0xFF) {
                        sb.append(String.format("\\x%02x", cp));
                    } else if (cp <= 0xFFFF) {
                        sb.append(String.format("\\u%04x", cp));
                    } else {
                        sb.append(String.format("\\U%08x", cp));
                    }
                }
            }
        }
        sb.append('\'');
    }

    /**
     * Python's {@code str.isprintable()} for one code point; where Java's Unicode tables differ from Python's,
     * escaping a printable character is harmless, and every line break is unprintable in both.
     */
    private static boolean printable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || (c >= 0x1C && c <= 0x1E)
                || c == 0x85 || c == 0x2028 || c == 0x2029;
    }
}
