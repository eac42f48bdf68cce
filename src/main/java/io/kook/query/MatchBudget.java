package io.kook.query;

import java.util.regex.Pattern;

import io.kook.inventory.KookException;

/**
 * Bounds the work regular expressions may do for one request. Patterns come from clients and Java's engine
 * backtracks without limit ({@code ~(a+)+b} against long names), so every character the engine reads is counted
 * and a request that runs out is refused with a 400 instead of holding a thread.
 */
final class MatchBudget {

    /** Characters read per request: well under a second of matching, far above any sane pattern's need. */
    static final long DEFAULT_STEPS = 50_000_000L;

    private final String field;
    private long remaining;

    MatchBudget(String field, long steps) {
        this.field = field;
        this.remaining = steps;
    }

    /** {@code re.match}: a match at the start of {@code text}. */
    boolean lookingAt(Pattern pattern, String text) {
        return pattern.matcher(new Counted(text, 0, text.length())).lookingAt();
    }

    /** A match anywhere in {@code text}. */
    boolean find(Pattern pattern, String text) {
        return pattern.matcher(new Counted(text, 0, text.length())).find();
    }

    private final class Counted implements CharSequence {
        private final String text;
        private final int start;
        private final int end;

        Counted(String text, int start, int end) {
            this.text = text;
            this.start = start;
            this.end = end;
        }

        @Override
        public int length() {
            return end - start;
        }

        @Override
        public char charAt(int index) {
            if (--remaining < 0) {
                throw KookException.invalid(field, "takes too much work to match against this inventory; simplify"
                        + " its regular expressions");
            }
            return text.charAt(start + index);
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            return new Counted(text, start + from, start + to);
        }

        @Override
        public String toString() {
            return text.substring(start, end);
        }
    }
}
