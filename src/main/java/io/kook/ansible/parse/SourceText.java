package io.kook.ansible.parse;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.kook.ansible.InventoryParseException;

/**
 * Text handling the way Python does it, because Ansible's parsers see the source through Python's
 * {@code str}: UTF-8 with {@code surrogateescape}, {@code str.splitlines()} and {@code str.strip()}.
 */
final class SourceText {

    private static final char BOM = '\uFEFF';

    private SourceText() {
    }

    /**
     * Decodes like {@code to_text(b, errors='surrogate_or_strict')}: bytes that are not UTF-8 become lone
     * surrogates U+DC80..U+DCFF, so they only matter where they end up in a name or value.
     * A leading byte order mark is dropped.
     */
    static String decodeEscapingBadBytes(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length + 1);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isUnderflow()) {
                decoder.flush(out);
                break;
            }
            if (result.isError()) {
                for (int i = 0; i < result.length(); i++) {
                    out.put((char) (0xDC00 | (in.get() & 0xFF)));
                }
            } else {
                throw new IllegalStateException("UTF-8 decoding overflowed its buffer");
            }
        }
        out.flip();
        return dropBom(out.toString());
    }

    /** Strict UTF-8; a byte sequence that is not UTF-8 is an error naming its line. */
    static String decodeStrict(byte[] body) {
        try {
            return dropBom(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            String good = decodeEscapingBadBytes(body);
            int bad = firstEscapedByte(good);
            int line = 1;
            for (int i = 0; i < bad; i++) {
                if (good.charAt(i) == '\n') {
                    line++;
                }
            }
            throw new InventoryParseException(line, "the inventory is not valid UTF-8");
        }
    }

    private static String dropBom(String text) {
        return !text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text;
    }

    /** Index of the first byte that {@link #decodeEscapingBadBytes} could not decode, or -1. */
    static int firstEscapedByte(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0xDC80 && c <= 0xDCFF && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }

    /** Python's {@code str.splitlines()}: besides CR and LF it also breaks on VT, FF, FS, GS, RS, NEL, LS and PS. */
    static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (isLineBreak(c)) {
                lines.add(text.substring(start, i));
                i += c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || (c >= 0x1C && c <= 0x1E)
                || c == 0x85 || c == 0x2028 || c == 0x2029;
    }

    /** Python's {@code str.isspace()} for one character. */
    static boolean isSpace(char c) {
        return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }

    /** Python's {@code str.strip()} with no arguments. */
    static String strip(String s) {
        int begin = 0;
        int end = s.length();
        while (begin < end && isSpace(s.charAt(begin))) {
            begin++;
        }
        while (end > begin && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(begin, end);
    }

    /** Best-effort 1-based line of the first occurrence of {@code needle} in {@code text}, 0 when absent. */
    static int lineOf(String text, String needle) {
        int at = text.indexOf(needle);
        if (at < 0) {
            return 0;
        }
        int line = 1;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
