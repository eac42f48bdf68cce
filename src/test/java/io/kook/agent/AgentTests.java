package io.kook.agent;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.kook.store.ZkLayout;
import io.kook.support.Await;
import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent keeps an ephemeral registration while its check passes, and only then. */
class AgentTests {

    private static final String ROOT = SharedZooKeeper.uniqueRoot("agent");
    private static Replica kook;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kook = Replica.start(SharedZooKeeper.connectString(), ROOT);
    }

    @AfterAll
    static void stop() {
        kook.close();
    }

    private Path config(String host, String check, String extra) throws Exception {
        Path file = dir.resolve("agent.ini");
        Files.writeString(file, "[main]\nzookeeper: " + SharedZooKeeper.connectString() + "\nroot: " + ROOT
                + "\nhost: " + host + "\nsession_timeout: 4\n" + extra
                + "\n[ssh]\ncmd: " + check + "\nrefresh: 1\nservice_port: 22\nmetadata: {\"zone\": \"eu-1\"}\n",
                StandardCharsets.UTF_8);
        return file;
    }

    private static JsonNode instances(String service) {
        return kook.http().get("/services/" + service).json();
    }

    @Test
    void aPassingCheckRegistersAndAFailingOneDeregistersWithinAnInterval() throws Exception {
        Path healthy = dir.resolve("healthy");
        Files.writeString(healthy, "ok");
        try (Agent agent = new Agent(AgentConfig.read(config("box1", "test -f " + healthy, "")))) {
            agent.start();
            Await.until(Duration.ofSeconds(15), "registration", () -> instances("ssh").toString().contains("box1"));
            JsonNode instance = instances("ssh").get(0);
            assertThat(instance.get("source").asString()).isEqualTo("agent");
            assertThat(instance.get("metadata").get("zone").asString()).isEqualTo("eu-1");
            assertThat(instance.get("ttlMillis").isNull()).isTrue();

            Files.delete(healthy);
            long failed = System.nanoTime();
            Await.until(Duration.ofSeconds(15), "deregistration", () -> !instances("ssh").toString().contains("box1"));
            assertThat(Duration.ofNanos(System.nanoTime() - failed)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void aKilledAgentsRegistrationVanishesWithItsSession() throws Exception {
        Path config = config("box2", "true", "");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process agent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.kook.KookApplication",
                "agent", "--config", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile()).start();
        try {
            Await.until(Duration.ofSeconds(30), "the agent process to register",
                    () -> instances("ssh").toString().contains("box2"));
            agent.destroyForcibly().waitFor();
            Await.until(Duration.ofSeconds(30), "session expiry to remove the registration",
                    () -> !instances("ssh").toString().contains("box2"));
        } finally {
            agent.destroyForcibly();
        }
    }

    @Test
    void digestCredentialsProtectTheRegistrationFromOtherClients() throws Exception {
        try (Agent agent = new Agent(AgentConfig.read(config("box3", "true", "[auth]\nuser: agent\npassword: s3cret\n")))) {
            agent.start();
            Await.until(Duration.ofSeconds(15), "registration", () -> instances("ssh").toString().contains("box3"));
            ZkLayout layout = new ZkLayout(ROOT);
            String path = layout.registration("ssh", "box3:22");
            try (CuratorFramework stranger = CuratorFrameworkFactory.newClient(SharedZooKeeper.connectString(),
                    new RetryOneTime(100))) {
                stranger.start();
                List<ACL> acls = stranger.getACL().forPath(path);
                assertThat(acls).anyMatch(a -> a.getId().getScheme().equals("digest")
                        && a.getId().getId().startsWith("agent:"));
                assertThat(stranger.getData().forPath(path)).isNotEmpty();
                assertThatThrownBy(() -> stranger.setData().forPath(path, new byte[0])).isInstanceOf(KeeperException.NoAuthException.class);
            }
        }
        Await.until(Duration.ofSeconds(15), "deregistration on close", () -> !instances("ssh").toString().contains("box3"));
    }

}
