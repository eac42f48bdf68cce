package io.kook.query;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles a Python 3.11 {@code re} pattern (as Ansible's {@code ~regex} host patterns and {@code fnmatch} use it)
 * into a {@link Pattern} that matches the same strings. Java's syntax differs in many small ways (nested classes,
 * {@code &&}, {@code \Z}, {@code \v}, {@code {,n}}, a literal {@code {}, {@code (?P<name>)}), so the pattern is
 * parsed the way {@code sre_parse} does and written out again with every literal escaped. What Python rejects is
 * an {@link Error}; what has no faithful Java form (conditionals, {@code \N{..}}, scoped {@code (?a:)}) is
 * refused the same way, never approximated. Match with {@link java.util.regex.Matcher#lookingAt()}: that is {@code re.match}.
 */
final class PythonRegex {

    /** Longest pattern accepted; Ansible patterns are short, and this bounds the work a request can cause. */
    static final int MAX_LENGTH = 2000;
    private static final int MAX_REPEAT = 100_000;

    /** Why a pattern cannot be used: Python rejects it, or Kook cannot translate it faithfully. */
    static final class Error extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Error(String message) {
            super(message, null, false, false);
        }
    }

    private final String src;
    private int pos;
    private final StringBuilder out = new StringBuilder();
    private int groupCount;
    private final Set<Integer> openGroups = new HashSet<>();
    private final Map<String, Integer> names = new HashMap<>();
    /** {@code (?x)}: whitespace and {@code #} comments outside classes are not part of the pattern. */
    private boolean verbose;
    /** {@code (?m)} in effect: written out explicitly, as Java's {@code MULTILINE} anchors differ at the end. */
    private boolean multiline;
    private int flags = Pattern.UNIX_LINES;
    private boolean ascii;
    /** {@code MAXREPEAT}: widths saturate here, as {@code SubPattern.getwidth} does. */
    private static final long INF = 4294967295L;
    /** Width (min, max characters) of the last item parsed; Python needs it for look-behinds. */
    private long atomLo;
    private long atomHi;
    private final Map<Integer, long[]> groupWidths = new HashMap<>();
    /** Groups opened before the innermost look-behind began ({@code -1} outside look-behinds). */
    private int lookbehindGroups = -1;

    private PythonRegex(String src) {
        this.src = src;
    }

    /** {@code re.compile(pattern)} as a Java pattern. */
    static Pattern compile(String pattern) {
        if (pattern.length() > MAX_LENGTH) {
            throw new Error("longer than " + MAX_LENGTH + " characters");
        }
        PythonRegex p = new PythonRegex(pattern);
        p.globalFlags();
        p.alternation(0);
        if (p.pos < p.src.length()) {
            throw new Error("unbalanced parenthesis at position " + (p.pos + 1));
        }
        int flags = p.flags | (p.ascii ? 0 : Pattern.UNICODE_CHARACTER_CLASS);
        try {
            return Pattern.compile(p.out.toString(), flags);
        } catch (PatternSyntaxException e) {
            // Java refuses a few things Python accepts (lookbehind it cannot bound); never guess
            throw new Error("cannot be used: " + e.getDescription());
        }
    }

    /** Python 3.11 allows global flags only at the very start: {@code (?i)}, {@code (?ms)}. */
    private void globalFlags() {
        while (src.startsWith("(?", pos) && pos + 2 < src.length() && "aiLmsux".indexOf(src.charAt(pos + 2)) >= 0) {
            int end = pos + 2;
            while (end < src.length() && "aiLmsux".indexOf(src.charAt(end)) >= 0) {
                end++;
            }
            if (end >= src.length() || src.charAt(end) != ')') {
                return; // a scoped group (?i:...) is handled in place
            }
            for (int i = pos + 2; i < end; i++) {
                flags |= flag(src.charAt(i));
            }
            pos = end + 1;
        }
    }

    private int flag(char c) {
        return switch (c) {
            case 'i' -> Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
            case 'm' -> {
                multiline = true;
                yield 0;
            }
            case 's' -> Pattern.DOTALL;
            case 'a' -> {
                ascii = true;
                yield 0;
            }
            case 'u' -> 0;
            case 'L' -> throw new Error("bad inline flag: cannot use 'L' flag with a str pattern");
            case 'x' -> {
                verbose = true;
                yield 0;
            }
            default -> throw new Error("unknown flag at position " + (pos + 1));
        };
    }

    private boolean more() {
        return pos < src.length();
    }

    private char peek() {
        return src.charAt(pos);
    }

    private long[] alternation(int depth) {
        long[] width = sequence();
        while (more() && peek() == '|') {
            pos++;
            out.append('|');
            long[] branch = sequence();
            width = new long[] {Math.min(width[0], branch[0]), Math.max(width[1], branch[1])};
        }
        if (more() && peek() == ')' && depth == 0) {
            throw new Error("unbalanced parenthesis at position " + (pos + 1));
        }
        return width;
    }

    private static long add(long a, long b) {
        return Math.min(INF, a + b);
    }

    private static long times(long a, long b) {
        return a == 0 || b == 0 ? 0 : a > INF / b ? INF : Math.min(INF, a * b);
    }

    /** Items up to {@code |}, {@code )} or the end. */
    private long[] sequence() {
        boolean repeatable = false; // something to repeat precedes
        boolean repeated = false;   // the last item was a repeat
        long lo = 0;
        long hi = 0;
        long lastLo = 0;
        long lastHi = 0;
        while (more()) {
            char c = peek();
            if (c == '|' || c == ')') {
                break;
            }
            if (verbose && " \t\n\r\u000b\f".indexOf(c) >= 0) {
                pos++;
                continue;
            }
            if (verbose && c == '#') {
                // Python reads comments token by token: a backslash takes the next character with it
                while (more() && peek() != '\n') {
                    skipToken();
                }
                continue;
            }
            if (src.startsWith("(?#", pos)) {
                // a comment is no item at all: a quantifier after it applies to what came before
                int open = pos;
                pos += 3;
                while (true) {
                    if (!more()) {
                        throw new Error("missing ), unterminated comment at position " + (open + 1));
                    }
                    if (peek() == ')') {
                        pos++;
                        break;
                    }
                    skipToken();
                }
                continue;
            }
            int start = pos;
            if (c == '*' || c == '+' || c == '?' || (c == '{' && quantifierEnd() > 0)) {
                if (repeated) {
                    throw new Error("multiple repeat at position " + (start + 1));
                }
                if (!repeatable) {
                    throw new Error("nothing to repeat at position " + (start + 1));
                }
                long[] times = quantifier();
                if (more() && (peek() == '?' || peek() == '+')) {
                    out.append(peek());
                    pos++;
                }
                lo -= lastLo;
                hi -= lastHi;
                lastLo = times(lastLo, times[0]);
                lastHi = times(lastHi, times[1]);
                lo = add(lo, lastLo);
                hi = add(hi, lastHi);
                repeated = true;
                continue;
            }
            repeated = false;
            atomLo = 1;
            atomHi = 1;
            repeatable = atom();
            lastLo = atomLo;
            lastHi = atomHi;
            lo = add(lo, lastLo);
            hi = add(hi, lastHi);
        }
        return new long[] {Math.min(lo, INF - 1), hi};
    }

    private void skipToken() {
        if (peek() == '\\') {
            if (pos + 1 >= src.length()) {
                throw new Error("bad escape (end of pattern) at position " + (pos + 1));
            }
            pos += 2;
        } else {
            pos++;
        }
    }

    /** {@code {m,n}} forms as {@code sre_parse} reads them; 0 when the brace is a literal. */
    private int quantifierEnd() {
        int i = pos + 1;
        if (i < src.length() && src.charAt(i) == '}') {
            return 0;
        }
        while (i < src.length() && isDigit(src.charAt(i))) {
            i++;
        }
        if (i < src.length() && src.charAt(i) == ',') {
            i++;
            while (i < src.length() && isDigit(src.charAt(i))) {
                i++;
            }
        }
        return i < src.length() && src.charAt(i) == '}' ? i : 0;
    }

    /** Writes the quantifier and returns its (min, max) repeat. */
    private long[] quantifier() {
        char c = peek();
        if (c != '{') {
            out.append(c);
            pos++;
            return c == '*' ? new long[] {0, INF} : c == '+' ? new long[] {1, INF} : new long[] {0, 1};
        }
        int end = quantifierEnd();
        String body = src.substring(pos + 1, end);
        pos = end + 1;
        int comma = body.indexOf(',');
        String lo = comma < 0 ? body : body.substring(0, comma);
        String hi = comma < 0 ? body : body.substring(comma + 1);
        long min = lo.isEmpty() ? 0 : bounded(lo);
        long max = hi.isEmpty() ? -1 : bounded(hi);
        if (max >= 0 && max < min) {
            throw new Error("min repeat greater than max repeat");
        }
        out.append('{').append(min);
        if (comma >= 0) {
            out.append(',');
            if (max >= 0) {
                out.append(max);
            }
        }
        out.append('}');
        return new long[] {min, max < 0 ? INF : max};
    }

    private static long bounded(String digits) {
        if (digits.length() > 9 || Long.parseLong(digits) > MAX_REPEAT) {
            throw new Error("repeat count over " + MAX_REPEAT + " is not supported");
        }
        return Long.parseLong(digits);
    }

    /** One item; returns whether a quantifier may follow it. */
    private boolean atom() {
        char c = peek();
        switch (c) {
            case '(':
                group();
                return true;
            case '[':
                charClass();
                return true;
            case '\\':
                return escape();
            case '.':
                pos++;
                out.append('.');
                return true;
            case '^':
            case '$':
                pos++;
                // Python: ^ is the start, or (?m) after any \n; $ the end or before a final \n, or (?m) any \n
                out.append(c == '^' ? (multiline ? "(?:\\A|(?<=\\n))" : "\\A")
                        : (multiline ? "(?=\\n|\\z)" : "(?=\\n?\\z)"));
                atomLo = 0;
                atomHi = 0;
                return false;
            default:
                pos++;
                literal(c);
                return true;
        }
    }

    private void group() {
        int start = pos;
        pos++;
        if (!src.startsWith("?", pos)) {
            int number = ++groupCount;
            openGroups.add(number);
            out.append('(');
            width(body(start));
            groupWidths.put(number, new long[] {atomLo, atomHi});
            openGroups.remove(number);
            return;
        }
        pos++;
        if (!more()) {
            throw new Error("unexpected end of pattern at position " + (pos + 1));
        }
        char k = peek();
        if (k == ':' || k == '>') {
            pos++;
            out.append("(?").append(k);
            width(body(start));
        } else if (k == '=' || k == '!') {
            pos++;
            out.append("(?").append(k);
            body(start);
            width(new long[] {0, 0});
        } else if (src.startsWith("<=", pos) || src.startsWith("<!", pos)) {
            out.append("(?").append(src, pos, pos + 2);
            pos += 2;
            int outer = lookbehindGroups;
            if (outer < 0) {
                lookbehindGroups = groupCount;
            }
            long[] inner = body(start);
            lookbehindGroups = outer;
            if (inner[0] != inner[1]) {
                throw new Error("look-behind requires fixed-width pattern");
            }
            width(new long[] {0, 0});
        } else if (src.startsWith("P<", pos)) {
            pos += 2;
            int close = src.indexOf('>', pos);
            if (close < 0) {
                throw new Error("missing >, unterminated name at position " + (pos + 1));
            }
            String name = src.substring(pos, close);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new Error("bad character in group name '" + name + "' at position " + (pos + 1));
            }
            if (names.containsKey(name)) {
                throw new Error("redefinition of group name '" + name + "' at position " + (pos + 1));
            }
            pos = close + 1;
            int number = ++groupCount;
            names.put(name, number);
            openGroups.add(number);
            out.append("(?<g").append(number).append('>');
            width(body(start));
            groupWidths.put(number, new long[] {atomLo, atomHi});
            openGroups.remove(number);
        } else if (src.startsWith("P=", pos)) {
            pos += 2;
            int close = src.indexOf(')', pos);
            if (close < 0) {
                throw new Error("missing ), unterminated name at position " + (pos + 1));
            }
            String name = src.substring(pos, close);
            Integer number = names.get(name);
            if (number == null) {
                throw new Error("unknown group name '" + name + "' at position " + (pos + 1));
            }
            if (openGroups.contains(number)) {
                throw new Error("cannot refer to an open group at position " + (pos + 1));
            }
            reference(number);
            pos = close + 1;
            out.append("(?:\\k<g").append(number).append(">)");
        } else if (k == '#') {
            int close = src.indexOf(')', pos);
            if (close < 0) {
                throw new Error("missing ), unterminated comment at position " + (start + 1));
            }
            pos = close + 1;
            out.append("(?:)");
            width(new long[] {0, 0});
        } else if (k == '(') {
            throw new Error("conditional groups (?(..)..) are not supported");
        } else if ("aiLmsux-".indexOf(k) >= 0) {
            scopedFlags(start);
        } else {
            throw new Error("unknown extension ?" + k + " at position " + (start + 1));
        }
    }

    /** {@code (?i-s:...)}; a global flag group anywhere but the start is an error in Python 3.11. */
    private void scopedFlags(int start) {
        StringBuilder on = new StringBuilder();
        StringBuilder off = new StringBuilder();
        boolean minus = false;
        while (more() && peek() != ':' && peek() != ')') {
            char f = peek();
            if (f == '-' && !minus) {
                minus = true;
            } else if ("aiLmsux".indexOf(f) >= 0) {
                if (minus && (f == 'a' || f == 'u' || f == 'L')) {
                    throw new Error("bad inline flag at position " + (pos + 1));
                }
                boolean outer = verbose;
                boolean outerMultiline = multiline;
                int bits = flag(f);
                verbose = outer;
                multiline = outerMultiline;
                if (bits != 0 || f == 'x' || f == 'm') {
                    (minus ? off : on).append(f);
                } else if (f == 'a') {
                    throw new Error("the scoped ASCII flag (?a:...) is not supported");
                }
            } else {
                throw new Error("unknown flag at position " + (pos + 1));
            }
            pos++;
        }
        if (!more()) {
            throw new Error("missing -, : or ) at position " + (pos + 1));
        }
        if (peek() == ')') {
            throw new Error("global flags not at the start of the expression at position " + (start + 1));
        }
        pos++;
        out.append("(?").append(javaFlags(on));
        if (!javaFlags(off).isEmpty()) {
            out.append('-').append(javaFlags(off));
        }
        out.append(':');
        boolean outer = verbose;
        boolean outerMultiline = multiline;
        verbose = (outer || on.indexOf("x") >= 0) && off.indexOf("x") < 0;
        multiline = (outerMultiline || on.indexOf("m") >= 0) && off.indexOf("m") < 0;
        width(body(start));
        verbose = outer;
        multiline = outerMultiline;
    }

    private void width(long[] width) {
        atomLo = width[0];
        atomHi = width[1];
    }

    /** A back-reference: its width is its group's; inside a look-behind it may not name a group opened there. */
    private void reference(int number) {
        if (lookbehindGroups >= 0 && number > lookbehindGroups) {
            throw new Error("cannot refer to group defined in the same lookbehind subpattern");
        }
        width(groupWidths.get(number));
    }

    private static String javaFlags(CharSequence python) {
        StringBuilder java = new StringBuilder();
        for (int i = 0; i < python.length(); i++) {
            char f = python.charAt(i);
            if (f != 'x' && f != 'm') {
                java.append(f == 'i' ? "iu" : String.valueOf(f));
            }
        }
        return java.toString();
    }

    /** The rest of a group up to its {@code )}; returns its width. */
    private long[] body(int start) {
        long[] width = alternation(1);
        if (!more() || peek() != ')') {
            throw new Error("missing ), unterminated subpattern at position " + (start + 1));
        }
        pos++;
        out.append(')');
        return width;
    }

    /** An escape outside a class; returns whether it may be repeated. */
    private boolean escape() {
        int start = pos;
        pos++;
        if (!more()) {
            throw new Error("bad escape (end of pattern) at position " + (start + 1));
        }
        char c = peek();
        pos++;
        switch (c) {
            case 'A':
                out.append("\\A");
                width(new long[] {0, 0});
                return false;
            case 'Z':
                out.append("\\z");
                width(new long[] {0, 0});
                return false;
            case 'b':
                out.append("\\b");
                width(new long[] {0, 0});
                return false;
            case 'B':
                // Python's \B never matches in an empty string (Java's does)
                out.append("(?:(?<=[\\s\\S])|(?=[\\s\\S]))\\B");
                width(new long[] {0, 0});
                return false;
            case 'd':
            case 'D':
            case 's':
            case 'S':
            case 'w':
            case 'W':
                out.append('\\').append(c);
                return true;
            default:
                break;
        }
        if (isDigit(c)) {
            if (c == '0') {
                literalCodePoint(octal(start, 2));
                return true;
            }
            // sre_parse: three octal digits are a character, else one or two digits are a group reference
            if (pos + 1 < src.length() && isOctal(c) && isOctal(src.charAt(pos)) && isOctal(src.charAt(pos + 1))) {
                int value = Integer.parseInt(src.substring(pos - 1, pos + 2), 8);
                if (value > 0377) {
                    throw new Error("octal escape value outside of range 0-0o377 at position " + (start + 1));
                }
                pos += 2;
                literalCodePoint(value);
                return true;
            }
            int group = c - '0';
            if (more() && isDigit(peek())) {
                group = group * 10 + (peek() - '0');
                pos++;
            }
            if (group > groupCount) {
                throw new Error("invalid group reference " + group + " at position " + (start + 2));
            }
            if (openGroups.contains(group)) {
                throw new Error("cannot refer to an open group at position " + (start + 1));
            }
            reference(group);
            out.append("(?:\\").append(group).append(')');
            return true;
        }
        literalCodePoint(simpleEscape(c, start));
        return true;
    }

    /** Escapes that stand for one character, in and out of classes. */
    private int simpleEscape(char c, int start) {
        switch (c) {
            case 'a':
                return 7;
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'v':
                return 0x0b;
            case 'x':
                return hex(start, 2);
            case 'u':
                return hex(start, 4);
            case 'U': {
                int cp = hex(start, 8);
                if (cp > Character.MAX_CODE_POINT) {
                    throw new Error("bad escape \\U at position " + (start + 1));
                }
                return cp;
            }
            case 'N':
                throw new Error("named characters \\N{...} are not supported");
            default:
                if (c < 128 && Character.isLetterOrDigit(c)) {
                    throw new Error("bad escape \\" + c + " at position " + (start + 1));
                }
                return c;
        }
    }

    private int hex(int start, int digits) {
        if (pos + digits > src.length() || !src.substring(pos, pos + digits).matches("[0-9a-fA-F]+")) {
            throw new Error("incomplete escape \\" + src.charAt(start + 1) + " at position " + (start + 1));
        }
        int value = (int) Long.parseLong(src.substring(pos, pos + digits), 16);
        pos += digits;
        return value;
    }

    /** Up to {@code more} further octal digits after a leading one already consumed. */
    private int octal(int start, int more) {
        int end = pos;
        while (end < src.length() && end - pos < more && isOctal(src.charAt(end))) {
            end++;
        }
        int value = Integer.parseInt(src.substring(pos - 1, end), 8);
        pos = end;
        if (value > 0377) {
            throw new Error("octal escape value outside of range 0-0o377 at position " + (start + 1));
        }
        return value;
    }

    private void charClass() {
        int start = pos;
        pos++;
        out.append('[');
        if (more() && peek() == '^') {
            out.append('^');
            pos++;
        }
        boolean first = true;
        while (true) {
            if (!more()) {
                throw new Error("unterminated character set at position " + (start + 1));
            }
            char c = peek();
            if (c == ']' && !first) {
                pos++;
                out.append(']');
                return;
            }
            first = false;
            int itemStart = pos;
            int lo = classItem();
            if (more() && peek() == '-' && pos + 1 < src.length() && src.charAt(pos + 1) != ']') {
                pos++;
                out.append('-');
                int hi = classItem();
                if (lo < 0 || hi < 0) {
                    throw new Error("bad character range " + src.substring(itemStart, pos) + " at position "
                            + (itemStart + 1));
                }
                if (hi < lo) {
                    throw new Error("bad character range " + src.substring(itemStart, pos) + " at position "
                            + (itemStart + 1));
                }
            }
        }
    }

    /** One class member; returns its code point, or -1 for a class escape such as {@code \d}. */
    private int classItem() {
        int start = pos;
        char c = peek();
        if (c != '\\') {
            int cp = src.codePointAt(pos);
            pos += Character.charCount(cp);
            appendCodePoint(cp);
            return cp;
        }
        pos++;
        if (!more()) {
            throw new Error("unterminated character set at position " + (start + 1));
        }
        char e = peek();
        pos++;
        if ("dDsSwW".indexOf(e) >= 0) {
            out.append('\\').append(e);
            return -1;
        }
        int cp;
        if (e == 'b') {
            cp = 8;
        } else if (isOctal(e)) {
            cp = octal(start, 2);
        } else if (isDigit(e)) {
            throw new Error("bad escape \\" + e + " at position " + (start + 1));
        } else {
            cp = simpleEscape(e, start);
        }
        appendCodePoint(cp);
        return cp;
    }

    private void appendCodePoint(int cp) {
        out.append("\\x{").append(Integer.toHexString(cp)).append('}');
    }

    private void literal(char c) {
        if (Character.isHighSurrogate(c) && more() && Character.isLowSurrogate(peek())) {
            literalCodePoint(Character.toCodePoint(c, src.charAt(pos++)));
            return;
        }
        literalCodePoint(c);
    }

    private void literalCodePoint(int cp) {
        if (cp < 128 && Character.isLetterOrDigit(cp)) {
            out.append((char) cp);
        } else {
            appendCodePoint(cp);
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }
}
