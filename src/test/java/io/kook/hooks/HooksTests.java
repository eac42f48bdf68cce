package io.kook.hooks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.kook.support.Await;
import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Change hooks: one replica fires, once per digest, across failovers, with retries and a visible outcome. */
class HooksTests {

    private HttpServer endpoint;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failFirst = new AtomicInteger();

    @BeforeEach
    void startEndpoint() throws IOException {
        endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failFirst.getAndDecrement() > 0 ? 500 : 200;
            if (status == 200) {
                received.add(body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        endpoint.start();
    }

    @AfterEach
    void stopEndpoint() {
        endpoint.stop(0);
    }

    private Replica replica(String root, String debounce, int attempts) {
        return Replica.start(SharedZooKeeper.connectString(), root, "kook.hooks.debounce=" + debounce,
                "kook.hooks.webhooks[0].name=recorder",
                "kook.hooks.webhooks[0].url=http://127.0.0.1:" + endpoint.getAddress().getPort() + "/hook",
                "kook.hooks.max-attempts=" + attempts, "kook.hooks.backoff=100ms");
    }

    private static JsonNode json(String text) {
        return Http.JSON.readTree(text);
    }

    @Test
    void ofTwoReplicasOneFiresOncePerDigestAndAnUnchangedInventoryFiresNothing() throws Exception {
        String root = SharedZooKeeper.uniqueRoot("hooks");
        try (Replica a = replica(root, "300ms", 3); Replica b = replica(root, "300ms", 3)) {
            Await.until(Duration.ofSeconds(10), "a leader", () -> a.bean(ChangeHooks.class).leader()
                    || b.bean(ChangeHooks.class).leader());
            Await.until(Duration.ofSeconds(10), "the first run (initial inventory)", () -> received.size() == 1);
            Http.Response write = a.http().put("/hosts/h1", "{\"vars\":{\"x\":1}}");
            Await.until(Duration.ofSeconds(10), "a run for the write", () -> received.size() == 2);
            JsonNode payload = json(received.get(1));
            assertThat(payload.get("toRevision").asLong()).isGreaterThanOrEqualTo(write.revision());
            assertThat(payload.get("fromRevision").asLong()).isLessThan(payload.get("toRevision").asLong());

            assertThat(a.http().put("/hosts/h1", "{\"vars\":{\"x\":1}}").status()).isEqualTo(200);
            // proving that nothing fires needs a window longer than the debounce
            Thread.sleep(1500);
            assertThat(received).as("same inventory, same digest: nothing fires").hasSize(2);

            JsonNode onA = a.http().get("/hooks").json();
            JsonNode onB = b.http().get("/hooks").json();
            assertThat(onA.get("leader").asBoolean() ^ onB.get("leader").asBoolean()).isTrue();
            assertThat(onA.get("lastRun").get("digest").asString()).isEqualTo(payload.get("digest").asString());
            assertThat(onA.get("lastRun").get("status").asString()).isEqualTo("ok");
        }
    }

    @Test
    void whenTheLeaderDiesMidDebounceTheOtherFiresThatDigestOnce() throws Exception {
        String root = SharedZooKeeper.uniqueRoot("hooks-failover");
        Replica a = replica(root, "2s", 3);
        Replica b = replica(root, "2s", 3);
        try {
            Await.until(Duration.ofSeconds(15), "the first run", () -> received.size() == 1);
            Replica leader = a.bean(ChangeHooks.class).leader() ? a : b;
            Replica follower = leader == a ? b : a;
            Http.Response write = leader.http().put("/hosts/failover", "{}");
            assertThat(follower.http().get("/hosts/failover?minRevision=" + write.revision()).status()).isEqualTo(200);
            leader.close();
            Await.until(Duration.ofSeconds(30), "the new leader's run", () -> received.size() == 2);
            Thread.sleep(2500); // longer than the debounce: a second run would have fired by now
            assertThat(received).hasSize(2);
            assertThat(json(received.get(1)).get("toRevision").asLong()).isGreaterThanOrEqualTo(write.revision());
            assertThat(follower.bean(ChangeHooks.class).leader()).isTrue();
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void aFailingHookIsRetriedAndAFailureIsShown() throws Exception {
        failFirst.set(2);
        String root = SharedZooKeeper.uniqueRoot("hooks-retry");
        try (Replica a = replica(root, "200ms", 3)) {
            Await.until(Duration.ofSeconds(15), "a successful third attempt", () -> received.size() == 1);
            Await.until(Duration.ofSeconds(5), "the run recorded", () -> "ok".equals(
                    a.http().get("/hooks").json().path("lastRun").path("status").asString("")));
            JsonNode hook = a.http().get("/hooks").json().get("lastRun").get("hooks").get(0);
            assertThat(hook.get("attempts").asInt()).isEqualTo(3);

            failFirst.set(100);
            a.http().put("/hosts/unlucky", "{}");
            Await.until(Duration.ofSeconds(15), "the failed run recorded", () -> "failed".equals(
                    a.http().get("/hooks").json().path("lastRun").path("status").asString("")));
            JsonNode failed = a.http().get("/hooks").json().get("lastRun").get("hooks").get(0);
            assertThat(failed.get("status").asString()).isEqualTo("failed");
            assertThat(failed.get("error").asString()).contains("500");
        }
    }
}
