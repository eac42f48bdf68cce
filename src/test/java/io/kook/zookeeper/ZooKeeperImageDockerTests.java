package io.kook.zookeeper;

import io.kook.support.Http;
import io.kook.support.Replica;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kook against the official {@code zookeeper} image, the server operators run. Needs Docker; everything it
 * checks is also covered against curator-test servers elsewhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class ZooKeeperImageDockerTests {

    @Container
    static final GenericContainer<?> ZOOKEEPER = new GenericContainer<>("zookeeper:3.9").withExposedPorts(2181);

    @Test
    void kookWritesAndReadsAgainstTheOfficialImage() {
        String connect = ZOOKEEPER.getHost() + ":" + ZOOKEEPER.getMappedPort(2181);
        try (Replica replica = Replica.start(connect, "/kook")) {
            Http http = replica.http();
            Http.Response created = http.put("/hosts/in-docker", "{\"vars\":{\"a\":1}}");
            assertThat(created.status()).isEqualTo(201);
            assertThat(http.get("/hosts/in-docker?minRevision=" + created.revision()).json().get("vars").get("a").asInt())
                    .isEqualTo(1);
        }
    }
}
