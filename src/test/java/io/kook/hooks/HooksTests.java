package io.kook.hooks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import io.kook.KookProperties;
import io.kook.support.Await;
import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Change hooks: one replica fires, once per digest, across failovers, with retries and a visible outcome. */
class HooksTests {

    /** Holds one request until released, so a leader can be deposed while its POST is in flight. */
    private record Held(CountDownLatch arrived, CountDownLatch release) {
    }

    private HttpServer endpoint;
    private ExecutorService endpointThreads;
    private static final String SECRET = "hook-secret-for-tests";

    private final List<String> received = new CopyOnWriteArrayList<>();
    /** Each accepted POST as the receiver got it: the raw body bytes and its X-Kook-Signature header. */
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    private record Delivery(byte[] body, String signature) {
    }
    private final AtomicInteger failFirst = new AtomicInteger();
    private final AtomicReference<Held> holdNext = new AtomicReference<>();

    @BeforeEach
    void startEndpoint() throws IOException {
        endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/hook", exchange -> {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String body = new String(raw, StandardCharsets.UTF_8);
            Held held = holdNext.getAndSet(null);
            if (held != null) {
                held.arrived().countDown();
                try {
                    held.release().await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = failFirst.getAndDecrement() > 0 ? 500 : 200;
            if (status == 200) {
                deliveries.add(new Delivery(raw, exchange.getRequestHeaders().getFirst("X-Kook-Signature")));
                received.add(body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        // a held request must not hold up the others
        endpointThreads = Executors.newCachedThreadPool();
        endpoint.setExecutor(endpointThreads);
        endpoint.start();
    }

    @AfterEach
    void stopEndpoint() {
        Held held = holdNext.getAndSet(null);
        if (held != null) {
            held.release().countDown();
        }
        endpoint.stop(0);
        endpointThreads.shutdownNow();
    }

    private Replica replica(String root, String debounce, int attempts, String... more) {
        List<String> properties = new ArrayList<>(List.of("kook.hooks.debounce=" + debounce,
                "kook.hooks.webhooks[0].name=recorder",
                "kook.hooks.webhooks[0].url=http://127.0.0.1:" + endpoint.getAddress().getPort() + "/hook",
                "kook.hooks.webhooks[0].secret=" + SECRET,
                "kook.hooks.max-attempts=" + attempts, "kook.hooks.backoff=100ms"));
        properties.addAll(List.of(more));
        return Replica.start(SharedZooKeeper.connectString(), root, properties.toArray(String[]::new));
    }

    private static JsonNode lastRun(Replica replica) {
        return replica.http().get("/hooks").json().path("lastRun");
    }

    /** Ends a replica's ZooKeeper session on the server, as a long partition would: its ephemeral nodes go. */
    private static void expireSession(CuratorFramework client) throws Exception {
        ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper twin = new ZooKeeper(SharedZooKeeper.connectString(), 10_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        }, zk.getSessionId(), zk.getSessionPasswd());
        assertThat(connected.await(30, TimeUnit.SECONDS)).as("a second handle on the same session").isTrue();
        twin.close();
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
    void aWebhookReceiverVerifiesTheSignatureOverTheRawBody() throws Exception {
        try (Replica replica = replica(SharedZooKeeper.uniqueRoot("hooks-signed"), "300ms", 3)) {
            Await.until(Duration.ofSeconds(15), "the first run", () -> deliveries.size() == 1);
            Delivery delivery = deliveries.get(0);
            assertThat(delivery.signature()).matches("sha256=[0-9a-f]{64}");
            // what a receiver does: HMAC the bytes it got with the shared secret, compare in constant time
            assertThat(receiverAccepts(SECRET, delivery)).as("signed with the hook's secret").isTrue();
            assertThat(receiverAccepts("another-secret", delivery)).as("a wrong secret fails").isFalse();
            byte[] tampered = delivery.body().clone();
            tampered[tampered.length - 2] ^= 1;
            assertThat(receiverAccepts(SECRET, new Delivery(tampered, delivery.signature()))).as("one bit changed").isFalse();
            assertThat(replica.http().get("/hooks").body()).doesNotContain(SECRET);
        }
    }

    /** A receiver's check, written from the contract with the JDK alone (not with Kook's signing class). */
    private static boolean receiverAccepts(String secret, Delivery delivery) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(delivery.body()));
        return java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                delivery.signature().getBytes(StandardCharsets.US_ASCII));
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

    @Test
    void aLeaderDeposedWhileItsHookRanCannotOverwriteItsSuccessorsState() throws Exception {
        Held held = new Held(new CountDownLatch(1), new CountDownLatch(1));
        holdNext.set(held);
        String root = SharedZooKeeper.uniqueRoot("hooks-deposed");
        try (Replica a = replica(root, "300ms", 1, "kook.hooks.timeout=120s");
             Replica b = replica(root, "300ms", 1, "kook.hooks.timeout=120s")) {
            assertThat(held.arrived().await(30, TimeUnit.SECONDS)).as("the first leader's POST in flight").isTrue();
            Replica deposed = a.bean(ChangeHooks.class).leader() ? a : b;
            Replica successor = deposed == a ? b : a;
            expireSession(deposed.bean(CuratorFramework.class));
            Await.until(Duration.ofSeconds(30), "the successor elected", () -> successor.bean(ChangeHooks.class).leader());
            long revision = successor.http().put("/hosts/after-failover", "{}").revision();
            Await.until(Duration.ofSeconds(30), "the successor's run of the newer inventory", () -> {
                JsonNode run = lastRun(successor);
                return "ok".equals(run.path("status").asString("")) && run.path("toRevision").asLong() >= revision;
            });
            JsonNode successorsRun = lastRun(successor);

            held.release().countDown(); // the deposed leader's POST now succeeds, late
            Await.until(Duration.ofSeconds(30), "the deposed leader's late result handled",
                    () -> "deposed".equals(deposed.bean(ChangeHooks.class).lastOutcome()));
            JsonNode stored = lastRun(successor);
            assertThat(stored.path("runId").asString()).isEqualTo(successorsRun.path("runId").asString());
            assertThat(stored.path("digest").asString()).isEqualTo(successorsRun.path("digest").asString());
            assertThat(stored.path("status").asString()).isEqualTo("ok");
        }
    }

    @Test
    void aFailedRunIsRetriedWithBackoffUntilItSucceedsWithoutAnyNewChange() throws Exception {
        failFirst.set(4); // two runs of two attempts each fail; the third run succeeds
        String root = SharedZooKeeper.uniqueRoot("hooks-rerun");
        try (Replica a = replica(root, "200ms", 2, "kook.hooks.max-backoff=400ms")) {
            Await.until(Duration.ofSeconds(30), "the failed run retried until the hook succeeded",
                    () -> received.size() == 1);
            Await.until(Duration.ofSeconds(10), "the run recorded as ok",
                    () -> "ok".equals(lastRun(a).path("status").asString("")));
            assertThat(failFirst.get()).as("every failing answer was used up").isLessThan(0);
            assertThat(received).hasSize(1);
        }
    }

    @Test
    void theWaitBeforeRetryingAFailedRunDoublesFromTheBackoffUpToTheMaximum() {
        KookProperties.Hooks settings = new KookProperties.Hooks(Duration.ofSeconds(5), List.of(), List.of(), false, 5,
                Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(10));
        assertThat(List.of(1, 2, 3, 4, 40).stream().map(n -> ChangeHooks.retryDelayMillis(settings, n)))
                .containsExactly(2_000L, 4_000L, 8_000L, 10_000L, 10_000L);
    }
}
