package io.kook.store;

/**
 * Tells a live import from an abandoned one without comparing clocks across machines. Feed it every version
 * of the import guard this replica sees, with this replica's {@link System#nanoTime()}; an open guard is
 * abandoned once the same version has been seen for longer than its lease. Every step of a live import moves
 * the version (each batch renews the lease), so only an importer that stopped leaves it unchanged. A replica
 * that first sees a guard late only waits longer than needed: the rule errs towards keeping a live import.
 *
 * <p>Plain and thread-safe; the mirror can call it from its event thread (O(1), no I/O):
 * <pre>{@code
 * watch.observe(stat.getVersion(), ImportGuard.parse(data), System.nanoTime());   // on every guard read
 * boolean holding = watch.holding(System.nanoTime());      // publish nothing while true
 * long recheck = watch.nanosUntilAbandoned(System.nanoTime()); // schedule one recheck then
 * }</pre>
 * Closing an abandoned guard is a write ({@link InventoryWriter#closeIfAbandoned()}); it is version-checked,
 * so an importer that renewed meanwhile keeps its guard.
 */
public final class GuardWatch {

    private int version = Integer.MIN_VALUE;
    private ImportGuard.Lease lease = ImportGuard.Lease.CLOSED;
    private long seenSince;

    /** Records the guard as read now; the lease clock restarts whenever the version (or its data) moved. */
    public synchronized void observe(int version, ImportGuard.Lease lease, long nanoTime) {
        if (version != this.version || !lease.equals(this.lease)) {
            this.version = version;
            this.lease = lease;
            this.seenSince = nanoTime;
        }
    }

    /** Whether the last guard seen is open and unchanged for longer than its lease. */
    public synchronized boolean abandoned(long nanoTime) {
        return lease.open() && nanoTime - seenSince > lease.leaseMs() * 1_000_000L;
    }

    /** Whether a live import holds the guard: open and not abandoned. */
    public synchronized boolean holding(long nanoTime) {
        return lease.open() && !abandoned(nanoTime);
    }

    /** Nanos until the guard counts as abandoned if it does not move; {@link Long#MAX_VALUE} when closed. */
    public synchronized long nanosUntilAbandoned(long nanoTime) {
        if (!lease.open()) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, seenSince + lease.leaseMs() * 1_000_000L - nanoTime + 1);
    }

    /** The last version observed ({@link Integer#MIN_VALUE} before the first observation). */
    public synchronized int version() {
        return version;
    }

    public synchronized ImportGuard.Lease lease() {
        return lease;
    }
}
