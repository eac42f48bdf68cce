package io.kook.agent;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.kook.store.ZkAcls;
import io.kook.support.Await;
import io.kook.support.Replica;
import io.kook.support.TestCertificates;
import io.kook.support.TlsZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent with a {@code [tls]} section registers through a ZooKeeper that speaks TLS only, with its own credentials. */
class AgentTlsTests {

    @TempDir
    Path dir;

    @Test
    void anAgentRegistersOverTlsWithItsOwnCredentials() throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        Path serverStore = certs.issue("zookeeper");
        Path kookStore = certs.issue("kook");
        Path agentStore = certs.issue("agent");
        try (TlsZooKeeper zookeeper = new TlsZooKeeper(dir.resolve("data"), serverStore, certs.trustStore(), certs.password());
             Replica kook = Replica.start(zookeeper.connectString(), "/kook",
                     "kook.zookeeper.tls.enabled=true",
                     "kook.zookeeper.tls.key-store-location=" + kookStore,
                     "kook.zookeeper.tls.key-store-password=" + certs.password(),
                     "kook.zookeeper.tls.trust-store-location=" + certs.trustStore(),
                     "kook.zookeeper.tls.trust-store-password=" + certs.password(),
                     "kook.zookeeper.auth.username=kook", "kook.zookeeper.auth.password=kook-zk-secret",
                     "kook.zookeeper.auth.agents[0]=" + ZkAcls.digestId("agent1", "agent1-secret"))) {
            Path config = dir.resolve("agent.ini");
            Files.writeString(config, "[main]\nzookeeper: " + zookeeper.connectString() + "\nroot: /kook\nhost: tlsbox\n"
                    + "session_timeout: 4\n\n[auth]\nuser: agent1\npassword: agent1-secret\n\n[tls]\n"
                    + "key_store: " + agentStore + "\nkey_store_password: " + certs.password() + "\n"
                    + "trust_store: " + certs.trustStore() + "\ntrust_store_password: " + certs.password() + "\n"
                    + "\n[ssh]\ncmd: true\nrefresh: 1\nservice_port: 22\n", StandardCharsets.UTF_8);
            try (Agent agent = new Agent(AgentConfig.read(config))) {
                agent.start();
                Await.until(Duration.ofSeconds(30), "the registration over TLS to be served",
                        () -> kook.http().get("/services/ssh").body().contains("tlsbox"));
            }
            Await.until(Duration.ofSeconds(30), "the stopped agent's registration to go",
                    () -> !kook.http().get("/services/ssh").body().contains("tlsbox"));
        }
    }
}
