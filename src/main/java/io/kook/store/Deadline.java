package io.kook.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The time a write has left. Curator's recipes retry across a connection loss for as long as their retry policy
 * allows, far past a request's deadline; {@link #interrupting} bounds such a call by interrupting the calling
 * thread when the deadline passes (Curator and ZooKeeper give up on interrupt), and clears the interrupt after.
 */
final class Deadline {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kook-write-deadline");
        t.setDaemon(true);
        return t;
    });

    private final long at;

    private Deadline(long at) {
        this.at = at;
    }

    static Deadline after(long startedNanos, Duration budget) {
        return new Deadline(startedNanos + budget.toNanos());
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, at - System.nanoTime()));
    }

    /** The remaining time, but at most {@code cap}. */
    Duration remaining(Duration cap) {
        Duration left = remaining();
        return left.compareTo(cap) < 0 ? left : cap;
    }

    boolean passed() {
        return System.nanoTime() >= at;
    }

    /** Interrupts the current thread at the deadline (plus {@code grace}) until the returned guard is closed. */
    Guard interrupting(Duration grace) {
        return new Guard(Thread.currentThread(), remaining().plus(grace));
    }

    /** Closing it cancels the interrupt, or clears it if it already came: the thread goes on uninterrupted. */
    static final class Guard implements AutoCloseable {
        private final Thread thread;
        private final ScheduledFuture<?> timer;
        private boolean closed;
        private boolean fired;

        private Guard(Thread thread, Duration after) {
            this.thread = thread;
            this.timer = TIMER.schedule(this::fire, after.toNanos(), TimeUnit.NANOSECONDS);
        }

        private synchronized void fire() {
            if (!closed) {
                fired = true;
                thread.interrupt();
            }
        }

        synchronized boolean fired() {
            return fired;
        }

        @Override
        public synchronized void close() {
            closed = true;
            timer.cancel(false);
            if (fired) {
                Thread.interrupted();
            }
        }
    }
}
