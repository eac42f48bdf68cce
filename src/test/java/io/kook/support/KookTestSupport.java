package io.kook.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Base of {@link KookTest} classes: wires the shared ZooKeeper and a unique root, and offers {@link #http}. */
public abstract class KookTestSupport {

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void zookeeper(DynamicPropertyRegistry registry) {
        String root = SharedZooKeeper.uniqueRoot("kook-test");
        registry.add("spring.cloud.zookeeper.connect-string", SharedZooKeeper::connectString);
        registry.add("kook.zookeeper.root", () -> root);
    }

    @BeforeEach
    void awaitReadiness() {
        Await.until(java.time.Duration.ofSeconds(30), "the replica to be ready",
                () -> http().get("/actuator/health/readiness").status() == 200);
    }

    protected Http http() {
        return new Http(port);
    }
}
