package io.kook.ansible.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code shlex.split(line, comments=True)} (POSIX mode), which the INI plugin applies to host lines:
 * whitespace separates words, quotes group and disappear, a backslash escapes outside single quotes, and an
 * unquoted {@code #} ends the line even inside a word ({@code a#b} is {@code a}).
 */
final class PythonShlex {

    private static final String WHITESPACE = " \t\r\n";
    private static final char ESCAPE = '\\';

    private PythonShlex() {
    }

    /** @throws IllegalArgumentException with Python's message ("No closing quotation", "No escaped character") */
    static List<String> split(String line) {
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        boolean quoted = false;
        char state = ' ';
        char escapedState = ' ';
        int i = 0;
        while (true) {
            boolean eof = i >= line.length();
            char c = eof ? 0 : line.charAt(i);
            i++;
            if (state == ' ' || state == 'a') {
                if (eof) {
                    emit(tokens, token, quoted);
                    return tokens;
                }
                if (WHITESPACE.indexOf(c) >= 0) {
                    if (state == 'a') {
                        state = ' ';
                        quoted = emit(tokens, token, quoted);
                    }
                } else if (c == '#') {
                    emit(tokens, token, quoted);
                    return tokens;
                } else if (c == ESCAPE) {
                    escapedState = 'a';
                    state = ESCAPE;
                } else if (c == '\'' || c == '"') {
                    state = c;
                } else {
                    token.append(c);
                    state = 'a';
                }
            } else if (state == '\'' || state == '"') {
                quoted = true;
                if (eof) {
                    throw new IllegalArgumentException("No closing quotation");
                }
                if (c == state) {
                    state = 'a';
                } else if (c == ESCAPE && state == '"') {
                    escapedState = state;
                    state = ESCAPE;
                } else {
                    token.append(c);
                }
            } else {
                if (eof) {
                    throw new IllegalArgumentException("No escaped character");
                }
                if ((escapedState == '\'' || escapedState == '"') && c != ESCAPE && c != escapedState) {
                    token.append(ESCAPE);
                }
                token.append(c);
                state = escapedState;
            }
        }
    }

    /** Adds the current word if there is one (an empty quoted word counts); returns the reset "quoted" flag. */
    private static boolean emit(List<String> tokens, StringBuilder token, boolean quoted) {
        if (token.length() > 0 || quoted) {
            tokens.add(token.toString());
        }
        token.setLength(0);
        return false;
    }
}
