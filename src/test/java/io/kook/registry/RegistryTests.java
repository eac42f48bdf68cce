package io.kook.registry;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.kook.KookProperties;
import io.kook.mirror.Mirror;
import io.kook.store.InventoryWriter;
import io.kook.store.ZkLayout;
import io.kook.zookeeper.ZooKeeperConnection;
import org.apache.curator.framework.CuratorFramework;

import io.kook.support.Await;
import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP registrations with a TTL: listed while renewed, in the inventory as service groups, gone when they lapse. */
class RegistryTests {

    @Test
    void registrationMetadataOverTheVarsLimitIsRefusedWith413AndNothingIsRegistered() {
        try (Replica kook = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("registry"))) {
            Http http = kook.http();
            String big = "x".repeat(300 * 1024);
            Http.Response refused = http.put("/services/web/instances/h1:80?ttl=60s",
                    "{\"metadata\":{\"blob\":\"" + big + "\"}}");
            assertThat(refused.status()).as(refused.toString()).isEqualTo(413);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            String huge = "x".repeat(3 * 1024 * 1024);
            Http.Response body = http.put("/services/web/instances/h1:80?ttl=60s",
                    "{\"metadata\":{\"blob\":\"" + huge + "\"}}");
            assertThat(body.status()).isEqualTo(413);
            assertThat(http.get("/services/web").json().size()).isZero();
            assertThat(http.put("/services/web/instances/h1:80?ttl=60s", "{\"metadata\":{\"ok\":1}}").status())
                    .isEqualTo(201);
        }
    }

    @Test
    void aRegistrationIsListedAndAppearsInTheInventoryForKnownHostsOnly() {
        try (Replica kook = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("registry"))) {
            Http http = kook.http();
            assertThat(http.put("/hosts/web1.example.com", "{\"vars\":{\"a\":1}}").status()).isEqualTo(201);
            Http.Response created = http.put("/services/web/instances/web1.example.com:8080?ttl=60s",
                    "{\"metadata\":{\"version\":\"1.2\"}}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(created.json().get("ttlMillis").asLong()).isEqualTo(60_000);
            assertThat(http.put("/services/web/instances/web1.example.com:8080?ttl=60s", null).status()).isEqualTo(200);
            assertThat(http.put("/services/web/instances/stranger:9000?ttl=60s", null).status()).isEqualTo(201);

            JsonNode instances = http.get("/services/web").json();
            assertThat(instances.size()).isEqualTo(2);
            assertThat(instances.get(1).get("host").asString()).isEqualTo("web1.example.com");
            assertThat(instances.get(1).get("port").asInt()).isEqualTo(8080);
            assertThat(instances.get(1).get("source").asString()).isEqualTo("http");
            assertThat(http.get("/services").json().toString()).contains("\"name\":\"web\"").contains("\"instances\":2");

            JsonNode inventory = http.get("/ansible/inventory").json();
            assertThat(inventory.get("service_web").get("hosts").toString()).isEqualTo("[\"web1.example.com\"]");
            assertThat(inventory.get("_meta").get("hostvars").get("web1.example.com").get("service_web_port").asInt())
                    .isEqualTo(8080);
            assertThat(inventory.get("_meta").get("hostvars").has("stranger")).isFalse();
            assertThat(inventory.get("all").get("children").toString()).contains("service_web");

            assertThat(http.delete("/services/web/instances/stranger:9000").status()).isEqualTo(204);
            assertThat(http.delete("/services/web/instances/stranger:9000").status()).isEqualTo(204);
            assertThat(http.get("/services/web").json().size()).isEqualTo(1);
            assertThat(http.put("/services/web/instances/no-port?ttl=5s", null).status()).isEqualTo(400);
            assertThat(http.put("/services/bad%20name/instances/h:1", null).status()).isIn(400, 404);
            assertThat(http.put("/services/web/instances/h:1?ttl=forever", null).status()).isEqualTo(400);
        }
    }

    @Test
    void aRegistrationThatIsNotRenewedExpiresEvenWhenItsReplicaIsGone() {
        String root = SharedZooKeeper.uniqueRoot("registry-ttl");
        try (Replica survivor = Replica.start(SharedZooKeeper.connectString(), root)) {
            Http.Response registered;
            try (Replica accepting = Replica.start(SharedZooKeeper.connectString(), root)) {
                registered = accepting.http().put("/services/cache/instances/c1:6379?ttl=2s", null);
                assertThat(registered.status()).isEqualTo(201);
            }
            JsonNode seen = survivor.http().get("/services/cache?minRevision=" + registered.revision()).json();
            assertThat(seen.size()).isEqualTo(1);
            Await.until(Duration.ofSeconds(15), "the lapsed registration to disappear",
                    () -> survivor.http().get("/services/cache").json().isEmpty());
            Await.until(Duration.ofSeconds(15), "the reaper to delete the node",
                    () -> !survivor.http().get("/services").body().contains("\"cache\""));
        }
    }

    @Test
    void aRenewalThatChangesNothingMovesNeitherTheRevisionNorTheInventoryETag() throws Exception {
        try (Replica kook = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("registry-renew"))) {
            Http http = kook.http();
            assertThat(http.put("/hosts/web1.example.com", "{}").status()).isEqualTo(201);
            String renewal = "{\"metadata\":{\"version\":\"1.2\",\"zone\":\"a\"}}";
            Http.Response created = http.put("/services/web/instances/web1.example.com:8080?ttl=60s", renewal);
            assertThat(created.status()).isEqualTo(201);
            Http.Response before = http.get("/ansible/inventory?minRevision=" + created.revision());
            String etag = before.header("ETag");
            long revision = before.revision();
            assertThat(before.body()).contains("service_web");

            // a blocking read parked at the current revision must not be woken by renewals
            HttpClient client = HttpClient.newHttpClient();
            var blocked = client.sendAsync(io.kook.support.Http.request(URI.create(http.base()
                    + "/ansible/inventory?index=" + revision + "&wait=3s")).build(), HttpResponse.BodyHandlers.ofString());
            for (int i = 0; i < 5; i++) {
                Http.Response renewed = http.put("/services/web/instances/web1.example.com:8080?ttl=60s",
                        i % 2 == 0 ? renewal : "{\"metadata\":{\"zone\":\"a\",\"version\":\"1.2\"}}");
                assertThat(renewed.status()).as(renewed.toString()).isEqualTo(200);
                assertThat(renewed.revision()).isLessThanOrEqualTo(revision);
            }
            HttpResponse<String> woken = blocked.get(30, TimeUnit.SECONDS);
            assertThat(woken.headers().firstValue("X-Kook-Revision")).contains(Long.toString(revision));
            assertThat(woken.headers().firstValue("ETag")).contains(etag);

            Http.Response after = http.get("/ansible/inventory");
            assertThat(after.revision()).isEqualTo(revision);
            assertThat(after.header("ETag")).isEqualTo(etag);
            assertThat(http.get("/ansible/inventory", "If-None-Match", etag).status()).isEqualTo(304);

            // a renewal that changes what readers see is a change
            Http.Response changed = http.put("/services/web/instances/web1.example.com:8080?ttl=60s",
                    "{\"metadata\":{\"version\":\"1.3\"}}");
            assertThat(changed.status()).isEqualTo(200);
            assertThat(changed.revision()).isGreaterThan(revision);
            assertThat(http.get("/services/web?minRevision=" + changed.revision()).body()).contains("1.3");
        }
    }

    @Test
    void aTtlChangeIsAChangeReadersSeeAtTheRevisionItAnswered() {
        try (Replica kook = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("registry-ttl"))) {
            Http http = kook.http();
            Http.Response created = http.put("/services/web/instances/web1.example.com:8080?ttl=60s", null);
            assertThat(created.status()).isEqualTo(201);
            Http.Response longer = http.put("/services/web/instances/web1.example.com:8080?ttl=120s", null);
            assertThat(longer.status()).as(longer.toString()).isEqualTo(200);
            assertThat(longer.revision()).isGreaterThan(created.revision());
            Http.Response seen = http.get("/services/web?minRevision=" + longer.revision());
            assertThat(seen.status()).as(seen.toString()).isEqualTo(200);
            assertThat(seen.json().get(0).get("ttlMillis").asLong()).isEqualTo(120_000);
        }
    }

    @Test
    void aReaperWhoseWallClockRunsFastLeavesLiveRegistrationsAlone() {
        // the replica's own reaper is slowed right down, so only the skewed one below acts
        try (Replica kook = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("registry-skew"),
                "kook.services.reap-interval=1h")) {
            Http http = kook.http();
            Registry fast = new Registry(kook.bean(CuratorFramework.class), kook.bean(ZkLayout.class),
                    kook.bean(Mirror.class), kook.bean(ZooKeeperConnection.class),
                    kook.bean(KookProperties.class).services(), Clock.offset(Clock.systemUTC(), Duration.ofHours(2)),
                    kook.bean(InventoryWriter.class).writeMetrics());
            long live = http.put("/services/db/instances/db1:5432?ttl=10m", null).revision();
            long lapsing = http.put("/services/db/instances/db2:5432?ttl=1s", null).revision();
            assertThat(http.get("/services/db?minRevision=" + Math.max(live, lapsing)).json().size()).isEqualTo(2);

            Await.until(Duration.ofSeconds(30), "the skewed reaper to expire the lapsed registration", () -> {
                fast.reap();
                return !http.get("/services/db").body().contains("db2");
            });
            assertThat(fast.reap()).isZero();
            assertThat(http.get("/services/db").body()).contains("db1");
            assertThat(http.get("/services/db").json().size()).isEqualTo(1);
        }
    }

    @Test
    void registrationCreatesChangesAndExpiriesAppearOnEvents() throws Exception {
        try (Replica kook = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("registry-events"))) {
            Http http = kook.http();
            BlockingQueue<String> events = subscribe(http.base() + "/events");
            Http.Response created = http.put("/services/queue/instances/mq1:5672?ttl=2s", null);
            assertThat(created.status()).isEqualTo(201);
            String first = events.poll(30, TimeUnit.SECONDS);
            assertThat(first).as("an event for the registration").isNotNull()
                    .contains("\"entity\":\"registration\"").contains("\"name\":\"queue/mq1:5672\"")
                    .contains("\"kind\":\"created\"").contains("\"revision\":" + created.revision());
            String expired = events.poll(30, TimeUnit.SECONDS);
            assertThat(expired).as("an event for the expiry").isNotNull()
                    .contains("\"name\":\"queue/mq1:5672\"").contains("\"kind\":\"deleted\"");
            assertThat(http.get("/services/queue").json().isEmpty()).isTrue();
        }
    }

    /** The data lines of {@code change} events, collected on a background thread. */
    private static BlockingQueue<String> subscribe(String url) throws Exception {
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(io.kook.support.Http.request(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                boolean change = false;
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("event:")) {
                        change = line.substring(6).trim().equals("change");
                    } else if (line.startsWith("data:") && change) {
                        events.add(line.substring(5).trim());
                    } else if (line.isEmpty()) {
                        change = false;
                    }
                }
            } catch (Exception ignored) {
                // stream closed
            }
        });
        reader.setDaemon(true);
        reader.start();
        return events;
    }
}
