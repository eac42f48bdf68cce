package io.kook.watch;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.kook.mirror.Mirror;
import io.kook.mirror.Published;

/**
 * Parked blocking reads: each waits for a revision past its index or for its deadline, holding no thread.
 * The mirror's publisher wakes the ones a new revision satisfies; one timer thread wakes the rest.
 */
final class RevisionWaiters {

    private static final class Waiter {
        final long index;
        final Runnable wake;
        final AtomicBoolean done = new AtomicBoolean();
        volatile ScheduledFuture<?> timeout;

        Waiter(long index, Runnable wake) {
            this.index = index;
            this.wake = wake;
        }
    }

    private final Mirror mirror;
    private final ScheduledExecutorService timer;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    RevisionWaiters(Mirror mirror, ScheduledExecutorService timer) {
        this.mirror = mirror;
        this.timer = timer;
        mirror.onPublish(this::onPublish);
    }

    /** Runs {@code wake} once: when the mirror passes {@code index}, or after {@code wait}. */
    void await(long index, Duration wait, Runnable wake) {
        Waiter waiter = new Waiter(index, wake);
        waiters.add(waiter);
        waiter.timeout = timer.schedule(() -> fire(waiter), wait.toMillis(), TimeUnit.MILLISECONDS);
        if (mirror.snapshot().revision() > index) {
            fire(waiter);
        }
    }

    /** Answers every parked read now, so a graceful shutdown does not wait out their waits. */
    void releaseAll() {
        for (Waiter waiter : waiters) {
            fire(waiter);
        }
    }

    int parked() {
        return waiters.size();
    }

    private void onPublish(Published published) {
        long revision = published.current().revision();
        for (Waiter waiter : waiters) {
            if (revision > waiter.index) {
                fire(waiter);
            }
        }
    }

    private void fire(Waiter waiter) {
        if (waiter.done.compareAndSet(false, true)) {
            waiters.remove(waiter);
            ScheduledFuture<?> timeout = waiter.timeout;
            if (timeout != null) {
                timeout.cancel(false);
            }
            waiter.wake.run();
        }
    }
}
