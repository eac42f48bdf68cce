package io.kook.consistency;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.kook.inventory.Snapshot;
import io.kook.mirror.Mirror;
import io.kook.store.ZkLayout;
import io.kook.support.Await;
import io.kook.support.EventThreadBlocker;
import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.TcpProxy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test per failure the consistency review reproduced, each on real ZooKeeper: a replica behind a TCP proxy
 * the test cuts or delays (a partition, a lagging replica), and a foreign client writing straight to ZooKeeper.
 */
class FailureTests {

    private static TestingServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingServer(true);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private static String root() {
        return "/failure-" + java.util.UUID.randomUUID();
    }

    /** A replica behind its own proxy, with a session long enough that a cut is a reconnect, not an expiry. */
    private static Replica behind(TcpProxy proxy, String root, String... extra) {
        String[] props = new String[extra.length + 1];
        props[0] = "spring.cloud.zookeeper.session-timeout=60s";
        System.arraycopy(extra, 0, props, 1, extra.length);
        return Replica.start(proxy.connectString(), root, props);
    }

    private static CuratorFramework foreignClient() {
        CuratorFramework client = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
        client.start();
        return client;
    }

    @Test
    void aReconnectedReplicaNeverPublishesAStateWithoutTheWritesMadeWhileItWasCutOff() throws Exception {
        String root = root();
        try (TcpProxy proxy = new TcpProxy(server.getConnectString());
             Replica a = Replica.start(server.getConnectString(), root);
             Replica b = behind(proxy, root)) {
            Map<String, Long> acked = new ConcurrentHashMap<>();
            List<String> violations = new CopyOnWriteArrayList<>();
            b.bean(Mirror.class).onPublish(p -> {
                Snapshot s = p.current();
                acked.forEach((host, revision) -> {
                    if (revision <= s.revision() && s.host(host) == null) {
                        violations.add("revision " + s.revision() + " lacks " + host + " acknowledged at " + revision);
                    }
                });
            });
            Http.Response seed = a.http().put("/hosts/seed", "{}");
            assertThat(b.http().get("/hosts/seed?minRevision=" + seed.revision()).status()).isEqualTo(200);
            // Curator tells its listeners of the reconnection late, on its own thread, while watch events flow at
            // once: hold that thread back to widen the window in which new events meet the old state
            b.bean(CuratorFramework.class).getConnectionStateListenable().addListener((c, state) -> {
                if (state == org.apache.curator.framework.state.ConnectionState.RECONNECTED) {
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });

            proxy.cut();
            Await.until(Duration.ofSeconds(20), "b to notice the cut",
                    () -> "true".equals(b.http().get("/hosts").header("X-Kook-Stale")));
            for (int i = 0; i < 5; i++) {
                Http.Response r = a.http().put("/hosts/during-" + i, "{}");
                assertThat(r.status()).isEqualTo(201);
                acked.put("during-" + i, r.revision());
            }
            proxy.restore();
            // keep writing through b's reconnection, so that new events reach it while it is reconnecting
            long last = 0;
            String lastHost = null;
            long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            for (int i = 0; i < 40 || System.nanoTime() < until; i++) {
                lastHost = "after-" + i;
                Http.Response r = a.http().put("/hosts/" + lastHost, "{}");
                assertThat(r.status()).isEqualTo(201);
                acked.put(lastHost, r.revision());
                last = r.revision();
            }
            assertThat(b.http().get("/hosts/" + lastHost + "?minRevision=" + last).status()).isEqualTo(200);
            for (int i = 0; i < 5; i++) {
                assertThat(b.http().get("/hosts/during-" + i).status()).isEqualTo(200);
            }
            assertThat(violations).isEmpty();
        }
    }

    @Test
    void aLaggingReplicasMembershipWriteDoesNotPutADeletedHostsVarsOnItsSuccessor() throws Exception {
        String root = root();
        try (Replica a = Replica.start(server.getConnectString(), root);
             Replica b = Replica.start(server.getConnectString(), root)) {
            assertThat(a.http().put("/groups/g", "{}").status()).isEqualTo(201);
            Http.Response first = a.http().put("/hosts/h", "{\"vars\":{\"incarnation\":1}}");
            assertThat(b.http().get("/hosts/h?minRevision=" + first.revision()).status()).isEqualTo(200);

            Http.Response added;
            try (EventThreadBlocker lag = EventThreadBlocker.block(b.bean(CuratorFramework.class))) {
                assertThat(a.http().delete("/hosts/h").status()).isEqualTo(204);
                Http.Response second = a.http().put("/hosts/h", "{\"vars\":{\"incarnation\":2}}");
                assertThat(second.status()).isEqualTo(201);
                // same name, same version: only the creation tells the two hosts apart
                assertThat(second.json().get("version").asInt()).isEqualTo(first.json().get("version").asInt());
                assertThat(b.bean(Mirror.class).snapshot().host("h").vars().get("incarnation").asInt()).isEqualTo(1);
                lag.releaseAfter(1500);
                added = b.http().put("/groups/g/hosts/h", null);
            }
            assertThat(added.status()).as(added.toString()).isEqualTo(204);
            Http.Response h = a.http().get("/hosts/h?minRevision=" + added.revision());
            assertThat(h.json().get("vars").get("incarnation").asInt()).isEqualTo(2);
            assertThat(h.json().get("groups").toString()).isEqualTo("[\"g\"]");
        }
    }

    @Test
    void anETagTakenFromADeletedHostDoesNotMatchTheHostCreatedAfterIt() {
        String root = root();
        try (Replica a = Replica.start(server.getConnectString(), root)) {
            Http http = a.http();
            String old = http.put("/hosts/h", "{\"vars\":{\"n\":1}}").header("ETag");
            assertThat(http.delete("/hosts/h").status()).isEqualTo(204);
            Http.Response again = http.put("/hosts/h", "{\"vars\":{\"n\":2}}");
            assertThat(again.json().get("version").asInt()).isZero();
            assertThat(again.header("ETag")).isNotEqualTo(old);
            Http.Response refused = http.put("/hosts/h", "{\"vars\":{\"n\":3}}", "If-Match", old);
            assertThat(refused.status()).isEqualTo(412);
            assertThat(http.delete("/hosts/h", "If-Match", old).status()).isEqualTo(412);
            assertThat(http.get("/hosts/h").json().get("vars").get("n").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aForeignEditMovesTheRevisionTheInventoryETagAndWakesBlockingReads() throws Exception {
        String root = root();
        try (Replica a = Replica.start(server.getConnectString(), root);
             CuratorFramework zk = foreignClient()) {
            Http http = a.http();
            http.put("/groups/g", "{}");
            Http.Response created = http.put("/hosts/x", "{\"vars\":{\"k\":\"before\"}}");
            Http.Response inventory = http.get("/ansible/inventory?minRevision=" + created.revision());
            String etag = inventory.header("ETag");
            long before = inventory.revision();

            Http.Response[] woke = new Http.Response[1];
            Thread blocking = new Thread(() -> woke[0] = http.get("/hosts/x?index=" + before + "&wait=60s"));
            blocking.start();

            ZkLayout layout = new ZkLayout(root);
            Stat set = zk.setData().forPath(layout.host("x"),
                    "{\"vars\":{\"k\":\"after\"}}".getBytes(StandardCharsets.UTF_8));
            blocking.join(30_000);
            assertThat(woke[0]).as("the blocking read woke").isNotNull();
            assertThat(woke[0].json().get("vars").get("k").asString()).isEqualTo("after");
            assertThat(woke[0].revision()).isEqualTo(set.getMzxid());

            Http.Response changed = http.get("/ansible/inventory", "If-None-Match", etag);
            assertThat(changed.status()).isEqualTo(200);
            assertThat(changed.header("ETag")).isNotEqualTo(etag);
            assertThat(changed.revision()).isEqualTo(set.getMzxid());

            // an edge created by hand: the membership shows, and the revision is the edge's creation
            String edge = zk.create().forPath(layout.member("g", "x"));
            Stat edgeStat = zk.checkExists().forPath(edge);
            Http.Response group = http.get("/groups/g?minRevision=" + edgeStat.getCzxid());
            assertThat(group.json().get("hosts").toString()).isEqualTo("[\"x\"]");
            assertThat(group.revision()).isEqualTo(edgeStat.getCzxid());
        }
    }

    @Test
    void aLaggingReplicaCatchesUpInsteadOfRefusingAWriteAndItsAnswerIsVisibleThere() throws Exception {
        String root = root();
        try (Replica a = Replica.start(server.getConnectString(), root);
             Replica b = Replica.start(server.getConnectString(), root)) {
            Http.Response g = a.http().put("/groups/g", "{}");
            assertThat(b.http().get("/groups/g?minRevision=" + g.revision()).status()).isEqualTo(200);
            Http.Response added;
            try (EventThreadBlocker lag = EventThreadBlocker.block(b.bean(CuratorFramework.class))) {
                assertThat(a.http().post("/hosts", "{\"name\":\"h\"}").status()).isEqualTo(201);
                assertThat(b.bean(Mirror.class).snapshot().host("h")).isNull();
                lag.releaseAfter(1500);
                added = b.http().put("/groups/g/hosts/h", null);
            }
            assertThat(added.status()).as(added.toString()).isEqualTo(204);
            // no minRevision: the 204 waited for b's own mirror
            assertThat(b.http().get("/groups/g").json().get("hosts").toString()).isEqualTo("[\"h\"]");
            assertThat(b.http().put("/groups/g/hosts/nope", null).status()).isEqualTo(404);
        }
    }

    @Test
    void aWriteSentOnceZooKeeperIsGoneAnswers503WithinItsDeadline() throws Exception {
        try (TestingServer own = new TestingServer(true);
             Replica a = Replica.start(own.getConnectString(), root(), "spring.cloud.zookeeper.session-timeout=60s",
                     "kook.writes.deadline=3s", "kook.writes.retry-after=2s")) {
            assertThat(a.http().put("/hosts/before", "{}").status()).isEqualTo(201);
            own.stop();
            // a write racing the death itself may already be on the wire (504, outcome unknown); one sent once the
            // replica's handle has seen the connection go is never sent, so it is refused as not applied
            org.apache.zookeeper.ZooKeeper handle = a.bean(CuratorFramework.class).getZookeeperClient().getZooKeeper();
            Await.until(Duration.ofSeconds(20), "the replica to see the connection go",
                    () -> !handle.getState().isConnected());
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest put = io.kook.support.Http.request(URI.create("http://127.0.0.1:" + a.port() + "/hosts/during"))
                    .timeout(Duration.ofSeconds(20)) // a hang past the deadline fails the test here
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{}")).build();
            HttpResponse<String> answer = client.send(put, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).hasValue("2");

            own.restart();
            Await.until(Duration.ofSeconds(60), "writes to work again",
                    () -> a.http().put("/hosts/after", "{}").status() == 201);
            for (String path : List.of("/hosts", "/hosts/before", "/groups", "/ansible/inventory")) {
                assertThat(a.http().get(path).header("X-Kook-Stale")).as(path).isNull();
            }
            assertThat(a.http().get("/hosts/during").status()).isEqualTo(404);
        }
    }

    @Test
    void aWriteWhoseAnswerIsLostWithTheConnectionIsSettledAsAppliedNotRepeated() throws Exception {
        String root = root();
        try (TcpProxy proxy = new TcpProxy(server.getConnectString());
             Replica b = behind(proxy, root)) {
            Http.Response[] answer = new Http.Response[1];
            // the lock node is locks/host-once: only the commit's multi names inventory/hosts/once
            proxy.holdAnswersAfter("/inventory/hosts/once");
            Thread write = new Thread(() -> answer[0] = b.http().post("/hosts", "{\"name\":\"once\"}"));
            write.start();
            try (CuratorFramework zk = foreignClient()) {
                Await.until(Duration.ofSeconds(20), "the commit to reach ZooKeeper",
                        () -> exists(zk, new ZkLayout(root).host("once")));
            }
            proxy.cut();
            proxy.restore();
            write.join(30_000);
            assertThat(answer[0]).isNotNull();
            // the multi applied and its answer was lost: settled from the commit marker, so 201, not a retry's 409
            assertThat(answer[0].status()).as(answer[0].toString()).isEqualTo(201);
            assertThat(b.http().get("/hosts/once?minRevision=" + answer[0].revision()).status()).isEqualTo(200);
        }
    }

    private static boolean exists(CuratorFramework zk, String path) {
        try {
            return zk.checkExists().forPath(path) != null;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void anEntityWhoseAclLocksKookOutDoesNotKeepAReplicaFromStarting() throws Exception {
        String root = root();
        try (Replica a = Replica.start(server.getConnectString(), root);
             CuratorFramework zk = CuratorFrameworkFactory.builder().connectString(server.getConnectString())
                     .retryPolicy(new RetryOneTime(100))
                     .authorization("digest", "other:secret".getBytes(StandardCharsets.UTF_8)).build()) {
            zk.start();
            a.http().put("/hosts/x", "{\"vars\":{\"k\":1}}");
            a.http().put("/hosts/y", "{}");
            zk.setACL().withACL(List.of(new org.apache.zookeeper.data.ACL(org.apache.zookeeper.ZooDefs.Perms.ALL,
                    new org.apache.zookeeper.data.Id("digest",
                            org.apache.zookeeper.server.auth.DigestAuthenticationProvider.generateDigest("other:secret")))))
                    .forPath(new ZkLayout(root).host("x"));
            try (Replica b = Replica.start(server.getConnectString(), root)) {
                Http http = b.http();
                assertThat(http.get("/hosts/y").status()).isEqualTo(200);
                Http.Response x = http.get("/hosts/x");
                assertThat(x.status()).isEqualTo(200);
                assertThat(x.json().get("vars").size()).isZero();
                Http.Response refused = http.put("/hosts/x", "{\"vars\":{}}");
                assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
                assertThat(refused.json().get("type").asString()).endsWith("/unreadable");
                assertThat(http.delete("/hosts/x").status()).isEqualTo(204);
            }
        }
    }

    @Test
    void unreadableDataIsShownWithoutVarsAndNeverWrittenOver() throws Exception {
        String root = root();
        try (Replica a = Replica.start(server.getConnectString(), root);
             CuratorFramework zk = foreignClient()) {
            Http http = a.http();
            http.put("/groups/g", "{}");
            http.put("/hosts/h", "{\"vars\":{\"k\":1}}");
            ZkLayout layout = new ZkLayout(root);
            byte[] foreign = "rack=r1 # not JSON".getBytes(StandardCharsets.UTF_8);
            Stat stat = zk.setData().forPath(layout.host("h"), foreign);

            Http.Response shown = http.get("/hosts/h?minRevision=" + stat.getMzxid());
            assertThat(shown.status()).isEqualTo(200);
            assertThat(shown.json().get("vars").size()).isZero();
            for (Http.Response refused : List.of(http.put("/groups/g/hosts/h", null),
                    http.patch("/hosts/h", "{\"vars\":{\"x\":1}}"), http.put("/hosts/h", "{\"vars\":{}}"))) {
                assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
                assertThat(refused.json().get("type").asString()).endsWith("/unreadable");
            }
            assertThat(zk.getData().forPath(layout.host("h"))).isEqualTo(foreign);
            assertThat(a.http().get("/actuator/prometheus").body()).containsPattern("kook_mirror_unreadable_reads_total [1-9]");
            assertThat(http.delete("/hosts/h").status()).isEqualTo(204);
        }
    }
}
