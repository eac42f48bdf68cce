package io.kook;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Background chores every replica runs on a fixed delay (reaping, sweeping, guard checks), each on its own thread. */
public final class Periodic {

    private Periodic() {
    }

    /** Runs {@code task} every {@code every} on a daemon thread named {@code name}; shut it down with its bean. */
    public static ScheduledExecutorService every(String name, Duration every, Runnable task) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        long millis = every.toMillis();
        executor.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
        return executor;
    }
}
