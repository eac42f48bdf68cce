package io.kook.registry;

import java.time.Duration;

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
    void aRegistrationIsListedAndAppearsInTheInventoryForKnownHostsOnly() {
        try (Replica kook = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("registry"))) {
            Http http = kook.http();
            assertThat(http.put("/hosts/web1.example.com", "{\"vars\":{\"a\":1}}").status()).isEqualTo(201);
            Http.Response created = http.put("/services/web/instances/web1.example.com:8080?ttl=60s",
                    "{\"metadata\":{\"version\":\"1.2\"}}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(created.json().get("expiresAt").isString()).isTrue();
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
}
