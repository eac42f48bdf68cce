package io.kook.store;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Remembers, per lock stripe, when a lock-free commit last lost to a concurrent write. Writers to a recently
 * contended stripe go straight to the lock: under contention, lock-free attempts would only keep failing and
 * steal commits from the writers queued on the lock; uncontended writes skip the lock's three round trips.
 */
final class Contention {

    private static final int STRIPES = 256;

    private final AtomicLongArray lostAt = new AtomicLongArray(STRIPES);
    private final long windowNanos;

    Contention(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** Whether a lock-free commit under {@code lock} lost to another write within the window before {@code now}. */
    boolean recent(String lock, long now) {
        long at = lostAt.get(stripe(lock));
        return at != 0 && now - at < windowNanos;
    }

    /** Records that a lock-free commit under {@code lock} conflicted at {@code now}. */
    void lost(String lock, long now) {
        lostAt.set(stripe(lock), now == 0 ? 1 : now);
    }

    private static int stripe(String lock) {
        return Math.floorMod(lock.hashCode() * 0x9E3779B9, STRIPES);
    }
}
