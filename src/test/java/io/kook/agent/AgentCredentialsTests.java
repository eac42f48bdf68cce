package io.kook.agent;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.kook.store.ZkAcls;
import io.kook.store.ZkLayout;
import io.kook.support.Await;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import io.kook.support.ZooKeeperClients;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Against a Kook with ZooKeeper credentials, an agent registers with its own digest identity, which may add its
 * registration and nothing else.
 */
class AgentCredentialsTests {

    private static final String ROOT = SharedZooKeeper.uniqueRoot("agent-acl");
    private static final ZkLayout LAYOUT = new ZkLayout(ROOT);
    private static final String KOOK_PASSWORD = "kook-zk-secret";
    private static Replica kook;
    private static CuratorFramework owner;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kook = Replica.start(SharedZooKeeper.connectString(), ROOT, "kook.zookeeper.auth.username=kook",
                "kook.zookeeper.auth.password=" + KOOK_PASSWORD,
                "kook.zookeeper.auth.agents[0]=" + ZkAcls.digestId("agent1", "agent1-secret"),
                "kook.zookeeper.auth.agents[1]=" + ZkAcls.digestId("agent2", "agent2-secret"));
        owner = ZooKeeperClients.digest(SharedZooKeeper.connectString(), "kook", KOOK_PASSWORD);
    }

    @AfterAll
    static void stop() {
        owner.close();
        kook.close();
    }

    private Agent agent(String user, String host, String check) throws Exception {
        Path file = dir.resolve(host + ".ini");
        Files.writeString(file, "[main]\nzookeeper: " + SharedZooKeeper.connectString() + "\nroot: " + ROOT
                + "\nhost: " + host + "\nsession_timeout: 4\n\n[auth]\nuser: " + user + "\npassword: " + user + "-secret\n"
                + "\n[ssh]\ncmd: " + check + "\nrefresh: 1\nservice_port: 22\n", StandardCharsets.UTF_8);
        return new Agent(AgentConfig.read(file));
    }

    private static boolean served(String host) {
        return kook.http().get("/services/ssh").body().contains(host);
    }

    @Test
    void anAgentWithItsOwnCredentialsRegistersAndItsRegistrationGoesWhenItsCheckFailsOrItStops() throws Exception {
        assertThat(kook.http().put("/hosts/box1", "{}").status()).isIn(200, 201);
        Path healthy = Files.writeString(dir.resolve("healthy"), "ok");
        try (Agent agent = agent("agent1", "box1", "test -f " + healthy)) {
            agent.start();
            Await.until(Duration.ofSeconds(20), "the registration to be served", () -> served("box1"));
            assertThat(kook.http().get("/ansible/inventory").json().get("service_ssh").get("hosts").toString())
                    .contains("box1");
            assertThat(owner.getACL().forPath(LAYOUT.registration("ssh", "box1:22"))).containsExactlyInAnyOrder(
                    new ACL(ZooDefs.Perms.ALL, new Id("digest", ZkAcls.digestId("kook", KOOK_PASSWORD))),
                    new ACL(ZooDefs.Perms.ALL, new Id("digest", ZkAcls.digestId("agent1", "agent1-secret"))));

            Files.delete(healthy);
            Await.until(Duration.ofSeconds(20), "a failing check to deregister", () -> !served("box1"));
            Files.writeString(healthy, "ok");
            Await.until(Duration.ofSeconds(20), "a passing check to register again", () -> served("box1"));
        }
        Await.until(Duration.ofSeconds(20), "a stopped agent's registration to go", () -> !served("box1"));
    }

    @Test
    void anAgentsCredentialsCanChangeNeitherKooksNodesNorAnotherAgentsRegistration() throws Exception {
        assertThat(kook.http().put("/hosts/box2", "{}").status()).isIn(200, 201);
        assertThat(kook.http().put("/services/ssh/instances/web9:22?ttl=60s", "{}").status()).isIn(200, 201);
        try (Agent other = agent("agent2", "box3", "true");
             CuratorFramework agent1 = ZooKeeperClients.digest(SharedZooKeeper.connectString(), "agent1", "agent1-secret")) {
            other.start();
            Await.until(Duration.ofSeconds(20), "the other agent's registration", () -> served("box3"));
            String othersRegistration = LAYOUT.registration("ssh", "box3:22");
            String kooksRegistration = LAYOUT.registration("ssh", "web9:22");

            assertNoAuth(() -> agent1.setData().forPath(LAYOUT.host("box2"), "{\"vars\":{}}".getBytes(StandardCharsets.UTF_8)));
            assertNoAuth(() -> agent1.delete().forPath(LAYOUT.host("box2")));
            assertNoAuth(() -> agent1.create().forPath(LAYOUT.host("forged")));
            assertNoAuth(() -> agent1.getData().forPath(LAYOUT.token("bootstrap")));
            assertNoAuth(() -> agent1.delete().forPath(othersRegistration));
            assertNoAuth(() -> agent1.setData().forPath(othersRegistration, new byte[0]));
            assertNoAuth(() -> agent1.delete().forPath(kooksRegistration));
            assertNoAuth(() -> agent1.setData().forPath(kooksRegistration, new byte[0]));
            assertNoAuth(() -> agent1.delete().forPath(LAYOUT.service("ssh")));
            assertNoAuth(() -> agent1.setData().forPath(LAYOUT.registrationAcl(), new byte[0]));

            assertThat(owner.checkExists().forPath(othersRegistration)).isNotNull();
            assertThat(owner.checkExists().forPath(kooksRegistration)).isNotNull();
            assertThat(kook.http().get("/hosts/box2").status()).isEqualTo(200);
        }
    }

    @Test
    void anAgentKookDoesNotListCanNeitherLearnTheAclsNorRegister() throws Exception {
        try (CuratorFramework stranger = ZooKeeperClients.digest(SharedZooKeeper.connectString(), "agent3", "agent3-secret")) {
            assertNoAuth(() -> stranger.getData().forPath(LAYOUT.registrationAcl()));
            assertNoAuth(() -> stranger.create().creatingParentContainersIfNeeded()
                    .withMode(org.apache.zookeeper.CreateMode.EPHEMERAL).forPath(LAYOUT.registration("ssh", "box9:22")));
        }
    }

    private static void assertNoAuth(Executable call) {
        assertThatThrownBy(call::execute).isInstanceOf(KeeperException.NoAuthException.class);
    }
}
