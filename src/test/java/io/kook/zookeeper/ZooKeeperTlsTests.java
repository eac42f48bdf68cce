package io.kook.zookeeper;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.TestCertificates;
import io.kook.support.TlsZooKeeper;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code kook.zookeeper.tls.*}, Kook talks to a ZooKeeper that accepts nothing but TLS. */
class ZooKeeperTlsTests {

    @TempDir
    static Path dir;
    private static TestCertificates certs;
    private static TlsZooKeeper zookeeper;
    private static Path clientStore;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create(dir.resolve("certs"));
        Path serverStore = certs.issue("zookeeper");
        clientStore = certs.issue("kook");
        zookeeper = new TlsZooKeeper(dir.resolve("data"), serverStore, certs.trustStore(), certs.password());
    }

    @AfterAll
    static void stop() throws Exception {
        zookeeper.close();
    }

    @Test
    void kookWritesAndReadsOverTls() {
        try (Replica kook = Replica.start(zookeeper.connectString(), "/kook-tls",
                "kook.zookeeper.tls.enabled=true",
                "kook.zookeeper.tls.key-store-location=" + clientStore,
                "kook.zookeeper.tls.key-store-password=" + certs.password(),
                "kook.zookeeper.tls.trust-store-location=" + certs.trustStore(),
                "kook.zookeeper.tls.trust-store-password=" + certs.password())) {
            Http http = kook.http();
            assertThat(http.put("/hosts/tls1", "{\"vars\":{\"secure\":true}}").status()).isIn(200, 201);
            assertThat(http.get("/hosts/tls1").json().get("vars").get("secure").asBoolean()).isTrue();
            assertThat(http.get("/actuator/health").json().get("status").asString()).isEqualTo("UP");
        }
    }

    @Test
    void aPlainTextClientCannotConnectToTheTlsPort() throws Exception {
        try (CuratorFramework plain = CuratorFrameworkFactory.builder().connectString(zookeeper.connectString())
                .sessionTimeoutMs(4_000).connectionTimeoutMs(2_000).retryPolicy(new RetryOneTime(100)).build()) {
            plain.start();
            assertThat(plain.blockUntilConnected(6, TimeUnit.SECONDS)).isFalse();
        }
    }
}
