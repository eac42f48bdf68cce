package io.kook.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.kook.support.Await;
import io.kook.support.Http;
import io.kook.support.KookTest;
import io.kook.support.KookTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every metric the alert rules and the dashboard use is one Kook exports: a replica that has written, imported,
 * registered, served a blocking read, refused a token and run a hook (so that series created on first use
 * exist) is scraped, and each name must be there.
 */
@KookTest
class MonitoringTests extends KookTestSupport {

    private static final AtomicInteger HOOK_POSTS = new AtomicInteger();
    private static HttpServer receiver;

    @DynamicPropertySource
    static void aWebhook(DynamicPropertyRegistry registry) {
        registry.add("kook.hooks.debounce", () -> "100ms");
        registry.add("kook.hooks.webhooks[0].name", () -> "monitoring");
        registry.add("kook.hooks.webhooks[0].url", () -> "http://127.0.0.1:" + receiver().getAddress().getPort() + "/hook");
        registry.add("kook.hooks.webhooks[0].unsigned", () -> "true");
    }

    private static synchronized HttpServer receiver() {
        if (receiver == null) {
            try {
                receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            receiver.createContext("/hook", exchange -> {
                exchange.getRequestBody().readAllBytes();
                HOOK_POSTS.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            receiver.start();
        }
        return receiver;
    }

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardUseIsExported() {
        Http http = http();
        // writes: a commit and a refusal
        Http.Response written = http.put("/hosts/metered-1", "{\"vars\":{\"rack\":\"r1\"}}");
        assertThat(written.status()).as(written.toString()).isIn(200, 201);
        assertThat(http.put("/hosts/metered-2", "{\"groups\":[\"no-such-group\"]}").status()).isGreaterThanOrEqualTo(400);
        // an import, through the import guard
        Http.Response imported = http.send("POST", "/ansible/inventory?mode=merge", "text/plain", "[metered]\nmetered-3\n");
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        // a registration that lapses and is reaped
        Http.Response registered = http.put("/services/metered/instances/metered-1:8080?ttl=1s", null);
        assertThat(registered.status()).as(registered.toString()).isIn(200, 201);
        Await.until(Duration.ofSeconds(30), "the registration to lapse",
                () -> http.get("/services/metered").json().isEmpty());
        // a blocking read that waits its full time
        long revision = http.get("/hosts/metered-1").revision();
        assertThat(http.get("/hosts/metered-1?index=" + revision + "&wait=1s").status()).isEqualTo(200);
        // a refused token
        assertThat(http.as("not-a-token").get("/hosts").status()).isEqualTo(401);
        // a hook run
        Await.until(Duration.ofSeconds(30), "the hook to run", () -> HOOK_POSTS.get() > 0
                && "ok".equals(http.get("/hooks").json().path("lastRun").path("status").asString("")));

        Set<String> exported = exportedNames(http.get("/actuator/prometheus").body());
        SortedSet<String> missing = new TreeSet<>(MonitoringFiles.metricNames());
        missing.removeAll(exported);
        assertThat(missing).as("metrics the alerts or the dashboard use that /actuator/prometheus does not export").isEmpty();
    }

    /** The names of the samples in a Prometheus text exposition. */
    private static Set<String> exportedNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }
}
