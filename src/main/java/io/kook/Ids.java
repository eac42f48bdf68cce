package io.kook;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random version-4 UUIDs for ids that must be unique but not secret (request ids, write ids). {@link UUID#randomUUID}
 * draws from one shared {@code SecureRandom} behind a lock, which JFR showed as the hottest monitor of a host read
 * under load; a thread-local generator has no lock.
 */
public final class Ids {

    private Ids() {
    }

    public static String random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;                         // version 4
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;  // IETF variant
        return new UUID(most, least).toString();
    }
}
