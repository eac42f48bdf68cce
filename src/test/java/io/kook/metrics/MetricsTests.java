package io.kook.metrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import io.kook.KookProperties;
import io.kook.store.ImportGuard;
import io.kook.store.WriteMetrics;
import io.kook.store.ZkLayout;
import io.kook.support.Await;
import io.kook.support.Http;
import io.kook.support.KookTest;
import io.kook.support.KookTestSupport;
import io.kook.support.SharedZooKeeper;
import io.kook.support.ZooKeeperClients;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics alerts and dashboards rely on, as Prometheus scrapes them from {@code /actuator/prometheus}: each
 * family exists under its exact name (labels known in advance at 0 from startup) and moves when its event happens.
 */
@KookTest
class MetricsTests extends KookTestSupport {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    /** A local webhook receiver: {@code /ok} answers 204, {@code /broken} 500. */
    private static HttpServer receiver;

    @Autowired
    KookProperties properties;

    @DynamicPropertySource
    static void hooks(DynamicPropertyRegistry registry) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/ok", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.createContext("/broken", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        receiver.start();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        registry.add("kook.hooks.debounce", () -> "100ms");
        registry.add("kook.hooks.max-attempts", () -> "1");
        registry.add("kook.hooks.backoff", () -> "200ms");
        registry.add("kook.hooks.max-backoff", () -> "2s");
        registry.add("kook.hooks.webhooks[0].name", () -> "receiver");
        registry.add("kook.hooks.webhooks[0].url", () -> base + "/ok");
        registry.add("kook.hooks.webhooks[0].secret", () -> "metrics-test-secret");
        registry.add("kook.hooks.webhooks[1].name", () -> "broken");
        registry.add("kook.hooks.webhooks[1].url", () -> base + "/broken");
        registry.add("kook.hooks.webhooks[1].secret", () -> "metrics-test-secret");
        // a closed event stream is noticed at the next heartbeat
        registry.add("kook.watch.heartbeat", () -> "200ms");
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    /** One scrape, read as Prometheus text: {@code name{label="value",...} number} lines. */
    private record Scrape(String text) {
        private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$",
                Pattern.MULTILINE);

        /** The value of the one series of {@code name} that carries every {@code label=value} given, or null. */
        Double value(String name, String... labels) {
            Double found = null;
            Matcher m = LINE.matcher(text);
            while (m.find()) {
                if (m.group(1).equals(name) && hasLabels(m.group(2), labels)) {
                    assertThat(found).as("more than one series of " + name + " with " + String.join(",", labels))
                            .isNull();
                    found = Double.parseDouble(m.group(3));
                }
            }
            return found;
        }

        double require(String name, String... labels) {
            Double value = value(name, labels);
            assertThat(value).as(name + " with " + String.join(",", labels) + " in\n" + text).isNotNull();
            return value;
        }

        boolean hasSeries(String name, String... labels) {
            Matcher m = LINE.matcher(text);
            while (m.find()) {
                if (m.group(1).equals(name) && hasLabels(m.group(2), labels)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean hasLabels(String block, String... labels) {
            for (int i = 0; i + 1 < labels.length; i += 2) {
                String pair = labels[i] + "=\"" + labels[i + 1] + "\"";
                if (block == null || !(block.contains("{" + pair) || block.contains("," + pair))) {
                    return false;
                }
            }
            return true;
        }
    }

    private Scrape scrape() {
        Http.Response r = http().get("/actuator/prometheus");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return new Scrape(r.body());
    }

    private void awaitMetric(String what, String name, java.util.function.DoublePredicate condition, String... labels) {
        Await.until(LIMIT, what, () -> {
            Double value = scrape().value(name, labels);
            return value != null && condition.test(value);
        });
    }

    @Test
    void httpRequestsAreAHistogramWithBuckets() {
        assertThat(http().get("/hosts").status()).isEqualTo(200);
        Scrape scrape = scrape();
        assertThat(scrape.hasSeries("http_server_requests_seconds_bucket", "uri", "/hosts", "le", "+Inf")).isTrue();
        assertThat(scrape.hasSeries("http_server_requests_seconds_count", "uri", "/hosts")).isTrue();
    }

    @Test
    void everyWriteOpAndEveryKnownLabelIsScrapedBeforeItsFirstEvent() {
        Scrape scrape = scrape();
        for (String op : WriteMetrics.OPS) {
            scrape.require("kook_writes_seconds_count", "op", op, "outcome", "ok");
        }
        for (String reason : new String[]{"missing", "malformed", "unknown", "expired", "forbidden"}) {
            scrape.require("kook_auth_failures_total", "reason", reason);
        }
        for (String hook : new String[]{"receiver", "broken"}) {
            scrape.require("kook_hook_runs_total", "hook", hook, "outcome", "success");
            scrape.require("kook_hook_runs_total", "hook", hook, "outcome", "failure");
            scrape.require("kook_hook_last_success_timestamp_seconds", "hook", hook);
        }
        scrape.require("kook_subscribers", "kind", "sse");
        scrape.require("kook_subscribers", "kind", "blocking");
        for (String name : new String[]{"kook_mirror_lag_seconds", "kook_mirror_lag_revisions",
                "kook_mirror_reprimes_total", "kook_mirror_snapshots_published_total", "kook_mirror_stale",
                "kook_mirror_revision", "kook_zookeeper_connected", "kook_registrations_live",
                "kook_registrations_expired_total", "kook_registrations_reaped_total", "kook_import_guard_open"}) {
            scrape.require(name);
        }
        assertThat(scrape.require("kook_zookeeper_connected")).isEqualTo(1);
    }

    @Test
    void aWriteRaisesItsOpsCountAndFillsItsBuckets() {
        double before = scrape().require("kook_writes_seconds_count", "op", "host.put", "outcome", "ok");
        assertThat(http().put("/hosts/metered-put", "{\"vars\":{\"a\":1}}").status()).isEqualTo(201);
        Scrape after = scrape();
        assertThat(after.require("kook_writes_seconds_count", "op", "host.put", "outcome", "ok")).isEqualTo(before + 1);
        assertThat(after.require("kook_writes_seconds_bucket", "op", "host.put", "outcome", "ok", "le", "+Inf"))
                .isEqualTo(before + 1);
        assertThat(after.hasSeries("kook_writes_seconds_bucket", "op", "host.put", "outcome", "ok", "le", "0.01"))
                .isTrue();
        assertThat(after.require("kook_writes_seconds_sum", "op", "host.put", "outcome", "ok")).isPositive();
    }

    @Test
    void aRefusedWriteIsCountedWithItsOutcome() {
        Double before = scrape().value("kook_writes_seconds_count", "op", "host.delete", "outcome", "notfound");
        assertThat(http().delete("/hosts/never-there").status()).isEqualTo(404);
        assertThat(scrape().require("kook_writes_seconds_count", "op", "host.delete", "outcome", "notfound"))
                .isEqualTo((before == null ? 0 : before) + 1);
    }

    @Test
    void anImportIsCountedAsOpImport() {
        double before = scrape().require("kook_writes_seconds_count", "op", "import", "outcome", "ok");
        Http.Response imported = http().send("POST", "/ansible/inventory?mode=merge", "text/plain",
                "[metered]\nimported-1 a=1\nimported-2\n");
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        assertThat(scrape().require("kook_writes_seconds_count", "op", "import", "outcome", "ok"))
                .isEqualTo(before + 1);
    }

    @Test
    void aRegistrationIsCountedAsOpRegistrationAndIsLive() {
        Scrape before = scrape();
        double writes = before.require("kook_writes_seconds_count", "op", "registration", "outcome", "ok");
        double live = before.require("kook_registrations_live");
        Http.Response registered = http().put("/services/metered/instances/reg1:8080?ttl=10m", null);
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        assertThat(scrape().require("kook_writes_seconds_count", "op", "registration", "outcome", "ok"))
                .isEqualTo(writes + 1);
        awaitMetric("the registration to be live", "kook_registrations_live", v -> v == live + 1);
        assertThat(http().delete("/services/metered/instances/reg1:8080").status()).isEqualTo(204);
        assertThat(scrape().require("kook_writes_seconds_count", "op", "deregistration", "outcome", "ok"))
                .isGreaterThanOrEqualTo(1);
        awaitMetric("the deregistration to leave the live count", "kook_registrations_live", v -> v == live);
    }

    @Test
    void aLapsedRegistrationIsExpiredAndReaped() {
        Scrape before = scrape();
        double expired = before.require("kook_registrations_expired_total");
        double reaped = before.require("kook_registrations_reaped_total");
        assertThat(http().put("/services/lapsing/instances/reg2:8080?ttl=1s", null).status()).isEqualTo(201);
        awaitMetric("the reaper to delete the lapsed registration", "kook_registrations_reaped_total",
                v -> v >= reaped + 1);
        assertThat(scrape().require("kook_registrations_expired_total")).isGreaterThanOrEqualTo(expired + 1);
        Await.until(LIMIT, "the registration to be gone",
                () -> !http().get("/services/lapsing").body().contains("reg2"));
    }

    @Test
    void everyKindOfRefusedCallIsCountedByReason() {
        Scrape before = scrape();
        Map<String, Double> counts = new java.util.HashMap<>();
        for (String reason : new String[]{"missing", "malformed", "unknown", "expired", "forbidden"}) {
            counts.put(reason, before.require("kook_auth_failures_total", "reason", reason));
        }
        assertThat(http().as(null).get("/hosts").status()).isEqualTo(401);
        assertThat(http().get("/hosts", "Authorization", "Basic YTpi").status()).isEqualTo(401);
        assertThat(http().as("no-such-secret").get("/hosts").status()).isEqualTo(401);

        String reader = http().post("/tokens", "{\"name\":\"metrics-reader\",\"role\":\"read\"}").json()
                .get("secret").asString();
        assertThat(http().as(reader).put("/hosts/not-allowed", "{}").status()).isEqualTo(403);

        String expiring = http().post("/tokens", Http.json(Map.of("name", "metrics-expiring", "role", "read",
                "expiresAt", Instant.now().plusSeconds(1).toString()))).json().get("secret").asString();
        Await.until(LIMIT, "the token to expire", () -> http().as(expiring).get("/hosts").status() == 401);

        Scrape after = scrape();
        assertThat(after.require("kook_auth_failures_total", "reason", "missing")).isEqualTo(counts.get("missing") + 1);
        assertThat(after.require("kook_auth_failures_total", "reason", "malformed"))
                .isEqualTo(counts.get("malformed") + 1);
        assertThat(after.require("kook_auth_failures_total", "reason", "unknown")).isEqualTo(counts.get("unknown") + 1);
        assertThat(after.require("kook_auth_failures_total", "reason", "forbidden"))
                .isEqualTo(counts.get("forbidden") + 1);
        assertThat(after.require("kook_auth_failures_total", "reason", "expired"))
                .isGreaterThanOrEqualTo(counts.get("expired") + 1);
    }

    @Test
    void aChangeOutsideAWritersGroupScopeIsCountedAsForbidden() {
        http().put("/groups/metrics-team", "{}");
        String scoped = http().post("/tokens", "{\"name\":\"metrics-team-writer\",\"role\":\"write\","
                + "\"groups\":[\"metrics-team\"]}").json().get("secret").asString();
        double before = scrape().require("kook_auth_failures_total", "reason", "forbidden");
        Http.Response refused = http().as(scoped).put("/hosts/outside-scope", "{}");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(scrape().require("kook_auth_failures_total", "reason", "forbidden")).isEqualTo(before + 1);
    }

    @Test
    void hookRunsAreCountedBySuccessAndFailureWithTheLastSuccessTime() {
        double success = scrape().require("kook_hook_runs_total", "hook", "receiver", "outcome", "success");
        double failure = scrape().require("kook_hook_runs_total", "hook", "broken", "outcome", "failure");
        http().put("/hosts/hooked-" + System.nanoTime(), "{}");
        awaitMetric("a successful run of the receiving hook", "kook_hook_runs_total", v -> v > success,
                "hook", "receiver", "outcome", "success");
        awaitMetric("a failed run of the broken hook", "kook_hook_runs_total", v -> v > failure,
                "hook", "broken", "outcome", "failure");
        Scrape after = scrape();
        assertThat(after.require("kook_hook_last_success_timestamp_seconds", "hook", "receiver"))
                .isGreaterThan(Instant.now().minus(Duration.ofMinutes(5)).getEpochSecond());
        assertThat(after.require("kook_hook_last_success_timestamp_seconds", "hook", "broken")).isZero();
        assertThat(after.require("kook_hook_runs_total", "hook", "broken", "outcome", "success")).isZero();
    }

    @Test
    void anOpenEventStreamIsAnSseSubscriberUntilItCloses() throws Exception {
        double before = scrape().require("kook_subscribers", "kind", "sse");
        try (Socket stream = new Socket("127.0.0.1", port)) {
            stream.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + "Authorization: Bearer " + Http.ADMIN_SECRET + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            stream.getOutputStream().flush();
            awaitMetric("the stream to be counted", "kook_subscribers", v -> v == before + 1, "kind", "sse");
        }
        awaitMetric("the closed stream to be dropped", "kook_subscribers", v -> v == before, "kind", "sse");
    }

    @Test
    void aParkedBlockingReadIsABlockingSubscriberUntilAWriteWakesIt() throws Exception {
        long index = http().put("/hosts/blocking-watched", "{}").revision();
        CompletableFuture<HttpResponse<String>> parked = CLIENT.sendAsync(Http.request(
                URI.create(http().base() + "/hosts/blocking-watched?index=" + index + "&wait=60s")).build(),
                HttpResponse.BodyHandlers.ofString());
        awaitMetric("the read to be parked", "kook_subscribers", v -> v >= 1, "kind", "blocking");
        http().put("/hosts/blocking-watched", "{\"vars\":{\"v\":2}}");
        assertThat(parked.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        awaitMetric("the woken read to leave", "kook_subscribers", v -> v == 0, "kind", "blocking");
    }

    @Test
    void aForeignWriteIsPublishedAndAChangeHeldBackByTheImportGuardShowsAsLag() throws Exception {
        ZkLayout layout = new ZkLayout(properties.zookeeper().root());
        byte[] entity = "{\"vars\":{}}".getBytes(StandardCharsets.UTF_8);
        try (CuratorFramework foreign = ZooKeeperClients.anonymous(SharedZooKeeper.connectString())) {
            double published = scrape().require("kook_mirror_snapshots_published_total");
            foreign.create().forPath(layout.host("foreign-1"), entity);
            awaitMetric("the foreign write to be published", "kook_mirror_snapshots_published_total",
                    v -> v > published);
            Scrape caughtUp = scrape();
            assertThat(caughtUp.require("kook_mirror_lag_revisions")).isZero();
            assertThat(caughtUp.require("kook_mirror_lag_seconds")).isZero();
            assertThat(caughtUp.require("kook_import_guard_open")).isZero();

            // an import holding the guard open: the mirror hears of changes but publishes none of them
            foreign.setData().forPath(layout.importGuard(), ImportGuard.open("metrics-test", 600_000, 0));
            awaitMetric("the guard to be seen open", "kook_import_guard_open", v -> v == 1);
            foreign.create().forPath(layout.host("foreign-2"), entity);
            awaitMetric("the held-back change to count as lag", "kook_mirror_lag_revisions", v -> v >= 1);
            awaitMetric("the lag to grow with time", "kook_mirror_lag_seconds", v -> v > 0.2);

            foreign.setData().forPath(layout.importGuard(), ImportGuard.closed());
            awaitMetric("the guard to be seen closed", "kook_import_guard_open", v -> v == 0);
            awaitMetric("the lag to end with the publication", "kook_mirror_lag_revisions", v -> v == 0);
            assertThat(scrape().require("kook_mirror_lag_seconds")).isZero();
            assertThat(http().get("/hosts/foreign-2").status()).isEqualTo(200);
        }
    }
}
