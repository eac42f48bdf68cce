package io.kook.watch;

import java.time.Duration;
import java.util.Locale;

import io.kook.inventory.KookException;

/** Parses Consul-style {@code wait} values: {@code 30s}, {@code 500ms}, {@code 5m}, or bare seconds. */
final class WaitParameters {

    private WaitParameters() {
    }

    static Duration parse(String raw, Duration max) {
        String text = raw.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (text.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            } else if (text.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
            } else if (text.endsWith("m")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 60_000));
            } else {
                d = Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
            }
            if (d.isNegative()) {
                throw new NumberFormatException();
            }
            return d.compareTo(max) > 0 ? max : d;
        } catch (NumberFormatException e) {
            throw KookException.invalid("wait", "must be a duration such as 30s, 500ms or 5m");
        }
    }
}
