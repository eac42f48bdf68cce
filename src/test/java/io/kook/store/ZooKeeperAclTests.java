package io.kook.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.kook.support.Await;
import io.kook.support.Http;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With {@code kook.zookeeper.auth.*} set, Kook's tree belongs to Kook's digest identity and nobody else. */
class ZooKeeperAclTests {

    static final String USER = "kook";
    static final String PASSWORD = "kook-zk-secret";
    private static final String AGENT_ID = ZkAcls.digestId("agent1", "agent1-secret");
    private static final String ROOT = SharedZooKeeper.uniqueRoot("acl");
    private static final ZkLayout LAYOUT = new ZkLayout(ROOT);
    private static final List<ACL> KOOK_ONLY = List.of(new ACL(ZooDefs.Perms.ALL,
            new Id("digest", ZkAcls.digestId(USER, PASSWORD))));

    private static Replica kook;
    private static CuratorFramework owner;

    @BeforeAll
    static void start() {
        kook = Replica.start(SharedZooKeeper.connectString(), ROOT, credentials(
                "kook.hooks.webhooks[0].name=nowhere", "kook.hooks.webhooks[0].url=http://127.0.0.1:9/hook",
                "kook.hooks.webhooks[0].secret=acl-test-hook-secret",
                "kook.hooks.debounce=100ms", "kook.hooks.max-attempts=1"));
        owner = ZooKeeperClients.digest(SharedZooKeeper.connectString(), USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        owner.close();
        kook.close();
    }

    static String[] credentials(String... more) {
        List<String> all = new java.util.ArrayList<>(List.of("kook.zookeeper.auth.username=" + USER,
                "kook.zookeeper.auth.password=" + PASSWORD, "kook.zookeeper.auth.agents[0]=" + AGENT_ID));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void everyNodeKookCreatesGivesOnlyKooksIdentityAccess() throws Exception {
        Http http = kook.http();
        assertThat(http.put("/hosts/web1", "{\"vars\":{\"a\":1}}").status()).isIn(200, 201);
        assertThat(http.put("/hosts/gone1", "{}").status()).isIn(200, 201);
        assertThat(http.post("/groups", "{\"name\":\"web\",\"hosts\":[\"web1\"]}").status()).isEqualTo(201);
        assertThat(http.post("/groups", "{\"name\":\"prod\",\"children\":[\"web\"]}").status()).isEqualTo(201);
        assertThat(http.delete("/hosts/gone1").status()).isIn(200, 204);
        assertThat(http.post("/tokens", "{\"name\":\"reader\",\"role\":\"read\"}").status()).isEqualTo(201);
        assertThat(http.put("/services/web/instances/web1:80?ttl=60s", "{}").status()).isIn(200, 201);
        // uncontended writes take no lock: take one as a contended write would, on the replica's own client
        org.apache.curator.framework.recipes.locks.InterProcessMutex lock =
                new org.apache.curator.framework.recipes.locks.InterProcessMutex(kook.bean(CuratorFramework.class),
                        LAYOUT.locks() + "/" + InventoryWriter.hostLock("web1"));
        lock.acquire();
        lock.release();
        Await.until(Duration.ofSeconds(30), "the hook state to be written",
                () -> exists(ROOT + "/hooks/state"));

        Map<String, List<ACL>> tree = ZooKeeperClients.acls(owner, ROOT);
        assertThat(tree.keySet()).contains(LAYOUT.host("web1"), LAYOUT.member("web", "web1"), LAYOUT.child("prod", "web"),
                LAYOUT.token("reader"), LAYOUT.registration("web", "web1:80"), LAYOUT.lease("web", "web1:80"),
                ROOT + "/hooks/state", LAYOUT.locks(), LAYOUT.graveyard(), LAYOUT.registrationAcl());
        assertThat(tree.keySet()).anyMatch(p -> p.startsWith(LAYOUT.graveyard() + "/"));
        tree.forEach((path, acl) -> {
            assertThat(acl).as(path).noneMatch(a -> a.getId().getScheme().equals("world"));
            assertThat(acl).as(path).contains(KOOK_ONLY.get(0));
            if (path.equals(LAYOUT.services()) || path.equals(LAYOUT.service("web"))) {
                assertThat(acl).as(path).containsExactlyInAnyOrder(KOOK_ONLY.get(0),
                        new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.CREATE, new Id("digest", AGENT_ID)));
            } else if (path.equals(LAYOUT.registrationAcl())) {
                assertThat(acl).as(path).containsExactlyInAnyOrder(KOOK_ONLY.get(0),
                        new ACL(ZooDefs.Perms.READ, new Id("digest", AGENT_ID)));
            } else {
                assertThat(acl).as(path).isEqualTo(KOOK_ONLY);
            }
        });
    }

    @Test
    void aClientWithoutKooksCredentialsCanNeitherReadNorChangeItsNodes() throws Exception {
        assertThat(kook.http().put("/hosts/secret1", "{\"vars\":{\"k\":\"v\"}}").status()).isIn(200, 201);
        try (CuratorFramework stranger = ZooKeeperClients.anonymous(SharedZooKeeper.connectString())) {
            assertLockedOut(stranger);
        }
    }

    @Test
    void aClientWithWrongCredentialsCanNeitherReadNorChangeItsNodes() throws Exception {
        assertThat(kook.http().put("/hosts/secret1", "{\"vars\":{\"k\":\"v\"}}").status()).isIn(200, 201);
        try (CuratorFramework impostor = ZooKeeperClients.digest(SharedZooKeeper.connectString(), USER, "guess")) {
            assertLockedOut(impostor);
        }
    }

    private static void assertLockedOut(CuratorFramework client) {
        String host = LAYOUT.host("secret1");
        assertThatThrownBy(() -> client.getData().forPath(host)).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> client.getChildren().forPath(LAYOUT.hosts())).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> client.getData().forPath(LAYOUT.token("bootstrap"))).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> client.setData().forPath(host, new byte[0])).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> client.create().forPath(LAYOUT.host("intruder"))).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> client.delete().forPath(host)).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> client.setACL().withACL(ZooDefs.Ids.OPEN_ACL_UNSAFE).forPath(host))
                .isInstanceOf(KeeperException.NoAuthException.class);
    }

    @Test
    void theReplicaReadsAndWritesThroughItsOwnCredentials() {
        Http http = kook.http();
        assertThat(http.put("/hosts/crud1", "{\"vars\":{\"x\":1}}").status()).isIn(200, 201);
        assertThat(http.get("/hosts/crud1").json().get("vars").get("x").asInt()).isEqualTo(1);
        assertThat(http.put("/hosts/crud1", "{\"vars\":{\"x\":2}}").status()).isEqualTo(200);
        assertThat(http.get("/hosts/crud1").json().get("vars").get("x").asInt()).isEqualTo(2);
        assertThat(http.get("/ansible/inventory").body()).contains("crud1");
        assertThat(http.delete("/hosts/crud1").status()).isIn(200, 204);
        assertThat(http.get("/hosts/crud1").status()).isEqualTo(404);
    }

    @Test
    void aTreeWrittenWithoutCredentialsIsProtectedWhenKookRestartsWithThem() throws Exception {
        String root = SharedZooKeeper.uniqueRoot("acl-upgrade");
        ZkLayout layout = new ZkLayout(root);
        try (Replica open = Replica.start(SharedZooKeeper.connectString(), root)) {
            assertThat(open.http().put("/hosts/old1", "{}").status()).isIn(200, 201);
            assertThat(open.http().post("/groups", "{\"name\":\"old\",\"hosts\":[\"old1\"]}").status()).isEqualTo(201);
        }
        try (CuratorFramework stranger = ZooKeeperClients.anonymous(SharedZooKeeper.connectString())) {
            assertThat(stranger.getData().forPath(layout.host("old1"))).isNotNull();
        }
        try (Replica secured = Replica.start(SharedZooKeeper.connectString(), root, credentials());
             CuratorFramework stranger = ZooKeeperClients.anonymous(SharedZooKeeper.connectString())) {
            assertThat(secured.http().get("/groups/old").body()).contains("old1");
            ZooKeeperClients.acls(owner, root).forEach((path, acl) ->
                    assertThat(acl).as(path).noneMatch(a -> a.getId().getScheme().equals("world")));
            assertThatThrownBy(() -> stranger.getData().forPath(layout.member("old", "old1")))
                    .isInstanceOf(KeeperException.NoAuthException.class);
        }
    }

    private static boolean exists(String path) {
        try {
            return owner.checkExists().forPath(path) != null;
        } catch (Exception e) {
            return false;
        }
    }
}
