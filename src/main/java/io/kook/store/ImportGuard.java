package io.kook.store;

import java.nio.charset.StandardCharsets;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The data of the import guard node. {@code {}} is closed; {@code {"open":"<id>","until":<epoch ms>}} marks a
 * batched import in progress, whose partial state the mirror must not publish. {@code until} bounds the damage
 * of an importer that died mid-way: past it the guard counts as closed.
 */
public final class ImportGuard {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ImportGuard() {
    }

    public static byte[] open(String id, long untilEpochMillis) {
        return ("{\"open\":\"" + id + "\",\"until\":" + untilEpochMillis + "}").getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] closed() {
        return "{}".getBytes(StandardCharsets.UTF_8);
    }

    /** @return the epoch millis until which an import holds the guard, 0 when closed or unreadable */
    public static long openUntil(byte[] data) {
        if (data == null || data.length < 3) {
            return 0;
        }
        try {
            JsonNode until = JSON.readTree(data).get("until");
            return until != null && until.isNumber() ? until.asLong() : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
