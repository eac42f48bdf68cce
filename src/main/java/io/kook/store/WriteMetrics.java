package io.kook.store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.kook.inventory.KookException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The {@code kook.writes} timer ({@code kook_writes_seconds_*} in Prometheus), one histogram per {@code op} and
 * {@code outcome}, so that a p99 of every kind of write can be computed and alerted on.
 *
 * <p>Why fixed buckets rather than Micrometer's percentile histogram: some 70 buckets per series times every op
 * and outcome is more than a scrape should carry; these fifteen, from 1 ms to the longest import, are enough for
 * {@code histogram_quantile}. Every op in {@link #OPS} is registered with outcome {@code ok} at startup, so the
 * series exist at 0 before the first write; other outcomes appear when they first happen. Timers are cached per
 * op and outcome, so a write looks up two maps, never the registry.
 */
public final class WriteMetrics {

    /** Every op Kook writes with, as tagged. Imports, registrations and deregistrations have one op each. */
    public static final List<String> OPS = List.of(
            "host.create", "host.put", "host.patch", "host.delete",
            "group.create", "group.put", "group.patch", "group.delete",
            "group.member.add", "group.member.remove", "group.child.add", "group.child.remove",
            "change.revert", "import", "registration", "deregistration");

    static final String DESCRIPTION = "Writes through Kook by op and outcome. outcome: ok (committed, or nothing to"
            + " change), error (an unexpected failure), or the refusal: invalid, forbidden, notfound, alreadyexists,"
            + " unknownreference, cycle, unreadable, preconditionfailed, conflict, toolarge, gone, unavailable (not"
            + " applied, 503) or outcomeunknown (sent, outcome unknown, 504)";

    private static final Duration[] BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final MeterRegistry meters;
    /** By op, then outcome: a write finds its timer with two lookups and no allocation. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Timer>> timers = new ConcurrentHashMap<>();

    public WriteMetrics(MeterRegistry meters) {
        this.meters = meters;
        for (String op : OPS) {
            timer(op, "ok");
        }
    }

    /** The outcome tag of a write that threw {@code e}: the refusal's name, or {@code error}. */
    public static String outcome(RuntimeException e) {
        return e instanceof KookException ? e.getClass().getSimpleName().toLowerCase() : "error";
    }

    /**
     * Runs {@code write} as one write of {@code op} that started at {@code startedNanos}
     * ({@link System#nanoTime()}), recorded with its outcome whether it returns or throws.
     */
    public <T> T timed(String op, long startedNanos, java.util.function.Supplier<T> write) {
        String outcome = "error";
        try {
            T result = write.get();
            outcome = "ok";
            return result;
        } catch (RuntimeException e) {
            outcome = outcome(e);
            throw e;
        } finally {
            record(op, outcome, startedNanos);
        }
    }

    /** Records one write of {@code op} that started at {@code startedNanos} ({@link System#nanoTime()}). */
    public void record(String op, String outcome, long startedNanos) {
        timer(op, outcome).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String op, String outcome) {
        ConcurrentHashMap<String, Timer> byOutcome = timers.get(op);
        if (byOutcome == null) {
            byOutcome = timers.computeIfAbsent(op, k -> new ConcurrentHashMap<>());
        }
        Timer timer = byOutcome.get(outcome);
        return timer != null ? timer : byOutcome.computeIfAbsent(outcome, k -> Timer.builder("kook.writes")
                .description(DESCRIPTION).tag("op", op).tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS).register(meters));
    }
}
