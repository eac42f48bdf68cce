package io.kook.store;

/**
 * Who made a write and why, for its change record: the token's name, the request's {@code X-Kook-Reason} (or
 * {@code null}) and its {@code X-Request-Id}.
 */
public record Attribution(String actor, String reason, String requestId) {

    /** A write made by Kook itself, outside any request. */
    public static final Attribution SYSTEM = new Attribution("kook", null, null);
}
