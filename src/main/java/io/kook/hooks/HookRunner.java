package io.kook.hooks;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.kook.KookProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured hooks for one change, each with up to {@code maxAttempts} tries and exponential backoff
 * between them. A run that still fails is retried as a whole later by {@link ChangeHooks}.
 */
final class HookRunner {

    private static final Logger log = LoggerFactory.getLogger(HookRunner.class);

    /** The outcome of one hook in one run. */
    record Result(String name, String status, int attempts, String error) {
        /** Not run: it already succeeded for this digest in an earlier try of the same run. */
        static Result skipped(String name) {
            return new Result(name, "skipped", 0, null);
        }

        boolean skipped() {
            return status.equals("skipped");
        }
    }

    private final KookProperties.Hooks settings;
    private final HookMetrics metrics;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HookRunner(KookProperties.Hooks settings) {
        this(settings, HookMetrics.unregistered(settings));
    }

    HookRunner(KookProperties.Hooks settings, HookMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        for (KookProperties.Webhook hook : settings.webhooks()) {
            if (!hook.signed()) {
                log.warn("op=hooks.config hook={} signed=false: its POSTs carry no X-Kook-Signature, so its receiver"
                        + " cannot tell them from anyone else's; set a secret", hook.name());
            }
        }
    }

    boolean hasHooks() {
        return !settings.webhooks().isEmpty() || (settings.commandsEnabled() && !settings.commands().isEmpty());
    }

    /** Runs every hook except those named in {@code skip}, which are reported as skipped. */
    List<Result> run(String payload, Map<String, String> env, Set<String> skip) {
        List<Result> results = new ArrayList<>();
        for (KookProperties.Webhook hook : settings.webhooks()) {
            results.add(skip.contains(hook.name()) ? Result.skipped(hook.name())
                    : withRetries(hook.name(), () -> post(hook, payload)));
        }
        if (settings.commandsEnabled()) {
            for (KookProperties.Command hook : settings.commands()) {
                results.add(skip.contains(hook.name()) ? Result.skipped(hook.name())
                        : withRetries(hook.name(), () -> exec(hook, env)));
            }
        }
        for (Result result : results) {
            metrics.ran(result, System.currentTimeMillis());
        }
        return results;
    }

    private interface Attempt {
        void run() throws Exception;
    }

    private Result withRetries(String name, Attempt attempt) {
        long backoff = settings.backoff().toMillis();
        String error = null;
        for (int i = 1; i <= settings.maxAttempts(); i++) {
            try {
                attempt.run();
                log.info("op=hook.run hook={} outcome=ok attempts={}", name, i);
                return new Result(name, "ok", i, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(name, "interrupted", i, "interrupted");
            } catch (Exception e) {
                error = e.getMessage();
                log.warn("op=hook.run hook={} outcome=failed attempt={} reason=\"{}\"", name, i, error);
                if (i < settings.maxAttempts()) {
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return new Result(name, "interrupted", i, error);
                    }
                    backoff *= 2;
                }
            }
        }
        return new Result(name, "failed", settings.maxAttempts(), error);
    }

    private void post(KookProperties.Webhook hook, String payload) throws Exception {
        // the bytes signed are the bytes sent
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(hook.url()).timeout(settings.timeout())
                .header("Content-Type", "application/json").header("User-Agent", "kook-hooks/1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (hook.signed()) {
            request.header(WebhookSignature.HEADER, WebhookSignature.sign(hook.secret(), body));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("HTTP " + response.statusCode());
        }
    }

    private static void exec(KookProperties.Command hook, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", hook.command()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out after 5 minutes");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("exit code " + p.exitValue());
        }
    }
}
