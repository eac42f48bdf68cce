package io.kook.zookeeper;

import java.time.Duration;

import io.kook.support.Await;
import io.kook.support.Http;
import io.kook.support.Replica;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** A ZooKeeper outage: writes are refused with 503, reads go on marked stale, and nothing acknowledged is lost. */
class OutageTests {

    @Test
    void anOutageRefusesWritesServesStaleReadsAndRecoversWithNothingLost() throws Exception {
        try (TestingServer server = new TestingServer(true);
             Replica replica = Replica.start(server.getConnectString(), "/outage",
                     "spring.cloud.zookeeper.session-timeout=30s", "kook.writes.retry-after=3s")) {
            Http http = replica.http();
            Http.Response before = http.put("/hosts/acknowledged", "{\"vars\":{\"k\":\"v\"}}");
            assertThat(before.status()).isEqualTo(201);
            assertThat(before.header("X-Kook-Stale")).isNull();

            server.stop();
            Await.until(Duration.ofSeconds(20), "reads to be marked stale",
                    () -> "true".equals(http.get("/hosts/acknowledged").header("X-Kook-Stale")));

            Http.Response stale = http.get("/hosts/acknowledged");
            assertThat(stale.status()).isEqualTo(200);
            assertThat(stale.json().get("vars").get("k").asString()).isEqualTo("v");
            Http.Response refused = http.put("/hosts/during-outage", "{}");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("3");
            assertThat(refused.contentType()).startsWith("application/problem+json");
            JsonNode health = http.get("/actuator/health").json();
            assertThat(health.get("components").get("zookeeper").get("status").asString()).isEqualTo("DOWN");
            assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);

            server.restart();
            Await.until(Duration.ofSeconds(30), "the replica to reconnect and catch up",
                    () -> http.get("/hosts/acknowledged").header("X-Kook-Stale") == null);
            assertThat(http.get("/hosts/acknowledged").json().get("vars").get("k").asString()).isEqualTo("v");
            assertThat(http.get("/hosts/during-outage").status()).isEqualTo(404);
            Http.Response after = http.put("/hosts/after-outage", "{}");
            assertThat(after.status()).isEqualTo(201);
            assertThat(after.revision()).isGreaterThan(before.revision());
            assertThat(http.get("/actuator/health").json().get("components").get("zookeeper").get("status").asString())
                    .isEqualTo("UP");
        }
    }

    @Test
    void changesMadeWhileAReplicaWasCutOffReachItAfterReconnecting() throws Exception {
        try (TestingServer server = new TestingServer(true);
             Replica a = Replica.start(server.getConnectString(), "/catch-up");
             Replica b = Replica.start(server.getConnectString(), "/catch-up")) {
            Http.Response seed = a.http().put("/hosts/seed", "{}");
            assertThat(b.http().get("/hosts/seed?minRevision=" + seed.revision()).status()).isEqualTo(200);
            server.stop();
            Await.until(Duration.ofSeconds(20), "both replicas to go stale",
                    () -> "true".equals(a.http().get("/hosts").header("X-Kook-Stale"))
                            && "true".equals(b.http().get("/hosts").header("X-Kook-Stale")));
            server.restart();
            Await.until(Duration.ofSeconds(30), "replica a to reconnect",
                    () -> a.http().put("/hosts/while-b-catches-up", "{}").status() == 201);
            Http.Response deleted = a.http().delete("/hosts/seed");
            assertThat(deleted.status()).isEqualTo(204);
            Http.Response onB = b.http().get("/hosts/seed?minRevision=" + deleted.revision());
            assertThat(onB.status()).as(onB.toString()).isEqualTo(404);
            assertThat(b.http().get("/hosts/while-b-catches-up").status()).isEqualTo(200);
        }
    }
}
