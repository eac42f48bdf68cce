package io.kook.web;

import java.time.Duration;
import java.util.Locale;

import io.kook.inventory.KookException;

/** Parses the durations clients write in query parameters: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or bare seconds. */
public final class Durations {

    private Durations() {
    }

    /** @throws KookException.Invalid naming {@code field} when {@code raw} is not a non-negative duration */
    public static Duration parse(String field, String raw) {
        String text = raw.trim().toLowerCase(Locale.ROOT);
        try {
            double amount;
            long unitMillis;
            if (text.endsWith("ms")) {
                amount = Double.parseDouble(text.substring(0, text.length() - 2));
                unitMillis = 1;
            } else if (text.endsWith("s")) {
                amount = Double.parseDouble(text.substring(0, text.length() - 1));
                unitMillis = 1_000;
            } else if (text.endsWith("m")) {
                amount = Double.parseDouble(text.substring(0, text.length() - 1));
                unitMillis = 60_000;
            } else if (text.endsWith("h")) {
                amount = Double.parseDouble(text.substring(0, text.length() - 1));
                unitMillis = 3_600_000;
            } else {
                amount = Double.parseDouble(text);
                unitMillis = 1_000;
            }
            if (amount < 0 || Double.isNaN(amount) || Double.isInfinite(amount)) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(Math.round(amount * unitMillis));
        } catch (NumberFormatException e) {
            throw KookException.invalid(field, "must be a duration such as 500ms, 30s, 5m or 1h");
        }
    }

    /** A revision given by a client ({@code minRevision}, {@code index}): a non-negative zxid. */
    public static long revision(String field, String raw) {
        try {
            long revision = Long.parseLong(raw.trim());
            if (revision >= 0) {
                return revision;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw KookException.invalid(field, "must be a non-negative revision (an X-Kook-Revision)");
    }
}
