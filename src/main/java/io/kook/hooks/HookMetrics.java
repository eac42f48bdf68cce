package io.kook.hooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.kook.KookProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * {@code kook.hook.runs} by hook and outcome and {@code kook.hook.last.success.timestamp} by hook, so an alert can
 * fire on failing hooks and on hooks that have not succeeded for too long. A run counts once per hook, after its
 * retries: {@code success} or {@code failure}; a hook skipped (it already succeeded for that digest) or
 * interrupted (shutdown, lost leadership) is not a run. Every configured hook is registered at startup, so its
 * series exist at 0 before its first run.
 */
final class HookMetrics {

    private record Meters(Counter success, Counter failure, AtomicLong lastSuccessMillis) {
    }

    private final Map<String, Meters> byHook = new ConcurrentHashMap<>();

    HookMetrics(KookProperties.Hooks settings, MeterRegistry meters) {
        List<String> names = new ArrayList<>();
        settings.webhooks().forEach(h -> names.add(h.name()));
        if (settings.commandsEnabled()) {
            settings.commands().forEach(c -> names.add(c.name()));
        }
        for (String hook : names) {
            AtomicLong last = new AtomicLong();
            Gauge.builder("kook.hook.last.success.timestamp", last, l -> l.get() / 1000.0).tag("hook", hook)
                    .baseUnit("seconds").description("Unix time of the hook's last successful run; 0 before any")
                    .strongReference(true).register(meters);
            byHook.put(hook, new Meters(runs(meters, hook, "success"), runs(meters, hook, "failure"), last));
        }
    }

    /** Meters nobody reads, for a runner made without a registry (unit tests of the runner itself). */
    static HookMetrics unregistered(KookProperties.Hooks settings) {
        return new HookMetrics(settings, new SimpleMeterRegistry());
    }

    private static Counter runs(MeterRegistry meters, String hook, String outcome) {
        return Counter.builder("kook.hook.runs").tag("hook", hook).tag("outcome", outcome)
                .description("Hook runs by hook and outcome (success or failure, after retries)").register(meters);
    }

    /** Counts a finished run of {@code hook}; runs on the hooks thread only. */
    void ran(HookRunner.Result result, long nowMillis) {
        Meters m = byHook.get(result.name());
        if (m == null || result.skipped() || result.status().equals("interrupted")) {
            return;
        }
        if (result.status().equals("ok")) {
            m.success().increment();
            m.lastSuccessMillis().set(nowMillis);
        } else {
            m.failure().increment();
        }
    }
}
