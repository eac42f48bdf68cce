package io.kook.mirror;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far the published snapshot trails what ZooKeeper has told the mirror, for the {@code kook.mirror.lag.*}
 * gauges: the revisions (transactions under Kook's tree) the mirror has been sent events for but not yet
 * published, and how long ago it heard of the oldest of them. Both are 0 when the published snapshot holds
 * everything the watch delivered; they grow while fetches hang, an import holds publication back, or the
 * publisher falls behind. They cannot see what ZooKeeper has not sent yet: a disconnected or re-reading mirror
 * shows {@code kook.mirror.stale} instead.
 *
 * <p>Why this shape: the mirror notes each new transaction ({@link #seen}) and each delta it cuts ({@link #cut})
 * under its own lock on the event thread, in O(1); a delta's entry leaves the queue once a published snapshot
 * covers its revision ({@link #published}, from the publisher, a scrape or the next cut). No lock of its own.
 */
final class MirrorLag {

    private record Cut(long revision, long since, long transactions) {
    }

    private final ConcurrentLinkedQueue<Cut> cuts = new ConcurrentLinkedQueue<>();
    private final AtomicLong unpublished = new AtomicLong();
    // changes seen since the last cut; written only under the mirror's lock, read by scrapes
    private volatile long openSince;
    private volatile long openTransactions;

    /** A transaction newer than any seen before, heard of at {@code nanos}; under the mirror's lock. */
    void seen(long nanos) {
        if (openTransactions == 0) {
            openSince = nanos;
        }
        openTransactions++;
        unpublished.incrementAndGet();
    }

    /**
     * Everything seen so far is in a delta up to {@code revision}; under the mirror's lock. Drops what the
     * snapshot at {@code publishedRevision} covers first, so the queue stays short without a publish listener.
     */
    void cut(long revision, long publishedRevision) {
        published(publishedRevision);
        long transactions = openTransactions;
        if (transactions == 0) {
            return;
        }
        cuts.add(new Cut(revision, openSince, transactions));
        openTransactions = 0;
    }

    /** A snapshot at {@code revision} is published: what it covers is no longer behind. */
    void published(long revision) {
        Cut head;
        while ((head = cuts.peek()) != null && head.revision() <= revision) {
            if (cuts.remove(head)) {
                unpublished.addAndGet(-head.transactions());
            }
        }
    }

    /** Revisions seen but not yet published. */
    long revisions() {
        return Math.max(0, unpublished.get());
    }

    /** Seconds since the oldest change seen but not yet published was heard of, at {@code nowNanos}; 0 if none. */
    double seconds(long nowNanos) {
        Cut head = cuts.peek();
        long since;
        if (head != null) {
            since = head.since();
        } else if (openTransactions > 0) {
            since = openSince;
        } else {
            return 0;
        }
        return Math.max(0, nowNanos - since) / 1e9;
    }
}
