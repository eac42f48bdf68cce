package io.kook.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import io.kook.store.ZkLayout;
import io.kook.support.Await;
import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import io.kook.support.TcpProxy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every write leaves exactly one change record, committed in the same ZooKeeper multi: who, why, which request,
 * what; refused and lost-before-commit writes leave none; and {@code GET /changes} finds them.
 */
class ChangeRecordTests {

    private static final String ROOT = SharedZooKeeper.uniqueRoot("history");
    private static Replica kook;
    private static Http admin;

    @BeforeAll
    static void start() {
        kook = Replica.start(SharedZooKeeper.connectString(), ROOT);
        admin = kook.http();
    }

    @AfterAll
    static void stop() {
        kook.close();
    }

    private static String uid(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonNode change(Http http, long revision) {
        Http.Response response = http.get("/changes/" + revision);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static List<String> entities(JsonNode change) {
        List<String> entities = new ArrayList<>();
        change.get("entities").forEach(e -> entities.add(e.get("entity").asString() + ":" + e.get("name").asString()
                + ":" + e.get("kind").asString()));
        return entities;
    }

    @Test
    void aWriteIsRecordedWithItsRevisionActorReasonRequestIdAndWhatItTouched() {
        String group = uid("g");
        String host = uid("h");
        assertThat(admin.post("/groups", "{\"name\":\"" + group + "\"}").status()).isEqualTo(201);
        Instant before = Instant.now().minusSeconds(60);
        Http.Response created = admin.post("/hosts", "{\"name\":\"" + host + "\",\"groups\":[\"" + group + "\"]}",
                "X-Kook-Reason", "rack r7 racked", "X-Request-Id", "req-" + host);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("X-Request-Id")).isEqualTo("req-" + host);

        JsonNode change = change(admin, created.revision());
        assertThat(change.get("revision").asLong()).isEqualTo(created.revision());
        assertThat(change.get("actor").asString()).isEqualTo("bootstrap");
        assertThat(change.get("reason").asString()).isEqualTo("rack r7 racked");
        assertThat(change.get("requestId").asString()).isEqualTo("req-" + host);
        assertThat(change.get("op").asString()).isEqualTo("host.create");
        assertThat(Instant.parse(change.get("time").asString())).isAfter(before).isBefore(Instant.now().plusSeconds(60));
        assertThat(entities(change)).containsExactlyInAnyOrder("host:" + host + ":created", "group:" + group + ":updated");
        assertThat(change.has("part")).as("part only on split writes").isFalse();

        Http.Response deleted = admin.delete("/hosts/" + host);
        assertThat(entities(change(admin, deleted.revision())))
                .containsExactlyInAnyOrder("host:" + host + ":deleted", "group:" + group + ":updated");
    }

    @Test
    void aRequestWithoutAnIdGetsOneAndAUtf8ReasonIsKeptAsSent() throws Exception {
        Http.Response written = admin.put("/hosts/" + uid("h"), "{}", "X-Kook-Reason", "plain");
        String id = written.header("X-Request-Id");
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(change(admin, written.revision()).get("requestId").asString()).isEqualTo(id);
        assertThat(admin.get("/hosts").header("X-Request-Id")).as("reads are tagged too").isNotBlank();

        // what curl sends for a UTF-8 argument: the bytes as they are (the JDK's client would send '?' instead)
        String host = uid("h");
        String head = "PUT /hosts/" + host + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + Http.ADMIN_SECRET
                + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\nX-Kook-Reason: ";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", kook.port())) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write("déployé, ticket ✓".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.write("\r\n\r\n{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 201");
        }
        long revision = admin.get("/hosts/" + host).revision();
        assertThat(change(admin, revision).get("reason").asString()).isEqualTo("déployé, ticket ✓");
    }

    @Test
    void badReasonsAndRequestIdsAre400AndChangeNothing() {
        String host = uid("h");
        Http.Response longReason = admin.put("/hosts/" + host, "{}", "X-Kook-Reason", "x".repeat(1001));
        assertThat(longReason.status()).isEqualTo(400);
        assertThat(longReason.json().get("detail").asString()).contains("X-Kook-Reason");
        Http.Response badId = admin.put("/hosts/" + host, "{}", "X-Request-Id", "has spaces in it");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.contentType()).startsWith("application/problem+json");
        assertThat(admin.get("/hosts/" + host).status()).isEqualTo(404);
    }

    @Test
    void refusedWritesRegistrationsAndTokensLeaveNoRecord() {
        String host = uid("h");
        Http.Response created = admin.put("/hosts/" + host, "{}");
        String tag = uid("refused");
        assertThat(admin.put("/hosts/" + host, "{\"vars\":{\"a\":1}}", "If-Match", "\"0.99\"", "X-Request-Id", tag + "-412")
                .status()).isEqualTo(412);
        assertThat(admin.put("/groups/" + uid("ghost") + "/hosts/" + host, null, "X-Request-Id", tag + "-404").status())
                .isEqualTo(404);
        assertThat(admin.put("/services/web/instances/" + host + ":80", null, "X-Request-Id", tag + "-reg").status())
                .isEqualTo(201);
        assertThat(admin.post("/tokens", "{\"name\":\"" + uid("t") + "\",\"role\":\"read\"}", "X-Request-Id", tag + "-tok")
                .status()).isEqualTo(201);
        assertThat(admin.put("/hosts/" + host, "{}", "X-Request-Id", tag + "-ok").status()).isEqualTo(200);

        List<String> ids = new ArrayList<>();
        admin.get("/changes?since=" + created.revision()).json().forEach(c -> ids.add(c.get("requestId").asString()));
        assertThat(ids).filteredOn(id -> id.startsWith(tag)).containsExactly(tag + "-ok");
    }

    @Test
    void changesAreListedNewestFirstFilteredAndPaged() {
        String host = uid("h");
        String other = uid("h");
        long first = admin.put("/hosts/" + host, "{}").revision();
        for (int i = 0; i < 5; i++) {
            admin.patch("/hosts/" + host, "{\"vars\":{\"n\":" + i + "}}");
            admin.put("/hosts/" + other, "{\"vars\":{\"n\":" + i + "}}");
        }
        Http.Response page = admin.get("/changes?entity=host:" + host + "&limit=4");
        assertThat(page.status()).isEqualTo(200);
        List<Long> revisions = new ArrayList<>();
        page.json().forEach(c -> revisions.add(c.get("revision").asLong()));
        assertThat(revisions).hasSize(4).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        String link = page.header("Link");
        assertThat(link).contains("rel=\"next\"").contains("before=" + revisions.get(3));

        String next = link.substring(link.indexOf("/changes"), link.indexOf('>'));
        List<Long> rest = new ArrayList<>();
        admin.get(next).json().forEach(c -> rest.add(c.get("revision").asLong()));
        assertThat(rest).hasSize(2).allMatch(r -> r < revisions.get(3)).contains(first);
        assertThat(admin.get(next).header("Link")).isNull();

        assertThat(admin.get("/changes?entity=host:" + host + "&since=" + first + "&until=" + revisions.get(1)).json().size())
                .isEqualTo(4);
        assertThat(admin.get("/changes?actor=nobody-" + host).json().size()).isZero();
        assertThat(admin.get("/changes?entity=hst:" + host).status()).isEqualTo(400);
        assertThat(admin.get("/changes?limit=0").status()).isEqualTo(400);
        assertThat(admin.get("/changes/1").status()).isEqualTo(404);
    }

    @Test
    void aReplicaWithRequiredReasonsRefusesWritesWithoutOneButNotRegistrationsOrTokens() {
        try (Replica strict = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("reasons"),
                "kook.history.require-reason=true")) {
            Http http = strict.http();
            Http.Response refused = http.put("/hosts/h1", "{}");
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().get("detail").asString()).contains("X-Kook-Reason").contains("required");
            assertThat(http.get("/hosts/h1").status()).isEqualTo(404);
            assertThat(http.put("/hosts/h1", "{}", "X-Kook-Reason", "new web node").status()).isEqualTo(201);
            assertThat(http.put("/services/web/instances/h1:80", null).status()).isEqualTo(201);
            assertThat(http.post("/tokens", "{\"name\":\"r\",\"role\":\"read\"}").status()).isEqualTo(201);
        }
    }

    @Test
    void aWriteWhoseAnswerIsLostIsSettledWithItsRecordAndOneCutBeforeTheCommitLeavesNeither() throws Exception {
        String root = SharedZooKeeper.uniqueRoot("history-cut");
        try (TcpProxy proxy = new TcpProxy(SharedZooKeeper.connectString());
             Replica b = Replica.start(proxy.connectString(), root, "spring.cloud.zookeeper.session-timeout=60s",
                     "kook.writes.deadline=3s", "kook.writes.lock-timeout=2s");
             CuratorFramework zk = CuratorFrameworkFactory.newClient(SharedZooKeeper.connectString(), new RetryOneTime(100))) {
            zk.start();
            Http http = b.http();
            Http.Response[] answer = new Http.Response[1];
            proxy.holdAnswersAfter("/inventory/hosts/once");
            Thread write = new Thread(() -> answer[0] = http.post("/hosts", "{\"name\":\"once\"}", "X-Request-Id", "lost-answer"));
            write.start();
            Await.until(Duration.ofSeconds(20), "the commit to reach ZooKeeper",
                    () -> exists(zk, new ZkLayout(root).host("once")));
            proxy.cut();
            proxy.restore();
            write.join(30_000);
            assertThat(answer[0].status()).as(answer[0].toString()).isEqualTo(201);
            JsonNode change = change(http, answer[0].revision());
            assertThat(change.get("requestId").asString()).isEqualTo("lost-answer");

            proxy.cut();
            Http.Response cut = http.post("/hosts", "{\"name\":\"never\"}", "X-Request-Id", "cut-before-commit");
            proxy.restore();
            assertThat(cut.status()).as(cut.toString()).isIn(503, 504);
            Await.until(Duration.ofSeconds(30), "the replica to reconnect", () -> http.get("/changes").status() == 200);
            boolean applied = http.get("/hosts/never?minRevision=" + change.get("revision").asLong()).status() == 200;
            List<String> ids = new ArrayList<>();
            http.get("/changes").json().forEach(c -> ids.add(c.get("requestId").asString()));
            assertThat(ids.contains("cut-before-commit")).as("a record exactly when the host exists").isEqualTo(applied);
            assertThat(ids).containsOnlyOnce("lost-answer");
        }
    }

    @Test
    void underConcurrentWritesOnTwoReplicasEveryAppliedWriteHasExactlyOneRecordAtItsRevision() throws Exception {
        String root = SharedZooKeeper.uniqueRoot("history-concurrent");
        try (Replica a = Replica.start(SharedZooKeeper.connectString(), root);
             Replica b = Replica.start(SharedZooKeeper.connectString(), root)) {
            a.http().put("/groups/g", "{}");
            Map<String, Http.Response> answers = new ConcurrentHashMap<>();
            int threads = 6;
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                Http http = (t % 2 == 0 ? a : b).http();
                long seed = 31L * t;
                new Thread(() -> {
                    Random random = new Random(seed);
                    try {
                        for (int i = 0; i < 40; i++) {
                            String id = "w-" + seed + "-" + i;
                            String host = "h" + random.nextInt(8);
                            Http.Response r = switch (random.nextInt(4)) {
                                case 0 -> http.put("/hosts/" + host, "{\"vars\":{\"i\":" + i + "}}", "X-Request-Id", id);
                                case 1 -> http.delete("/hosts/" + host, "X-Request-Id", id);
                                case 2 -> http.put("/groups/g/hosts/" + host, null, "X-Request-Id", id);
                                default -> http.delete("/groups/g/hosts/" + host, "X-Request-Id", id);
                            };
                            answers.put(id, r);
                        }
                    } finally {
                        done.countDown();
                    }
                }).start();
            }
            assertThat(done.await(5, java.util.concurrent.TimeUnit.MINUTES)).isTrue();

            Map<String, Long> recorded = new HashMap<>();
            for (JsonNode change : a.http().get("/changes?limit=10000").json()) {
                String id = change.get("requestId").asString();
                if (id != null && id.startsWith("w-")) {
                    assertThat(recorded.put(id, change.get("revision").asLong())).as("one record per write: " + id).isNull();
                }
            }
            int applied = 0;
            for (Map.Entry<String, Http.Response> answer : answers.entrySet()) {
                Http.Response r = answer.getValue();
                Long revision = recorded.get(answer.getKey());
                if (r.status() >= 400) {
                    assertThat(revision).as("no record for refused " + answer.getKey() + " " + r.status()).isNull();
                } else if (revision != null) {
                    applied++;
                    assertThat(revision).as("the record of " + answer.getKey() + " is at its revision").isEqualTo(r.revision());
                }
                // a 2xx without a record changed nothing (an idempotent member add or remove)
            }
            assertThat(recorded.keySet()).as("every record belongs to an answered write").isSubsetOf(answers.keySet());
            assertThat(applied).isGreaterThan(20);
        }
    }

    @Test
    void anImportTooLargeForOneRequestIsRecordedInParts() {
        try (Replica big = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("history-import"))) {
            Http http = big.http();
            http.put("/hosts/old", "{\"vars\":{\"payload\":\"" + "y".repeat(200) + "\"}}");
            StringBuilder ini = new StringBuilder("[old-group]\nold new_var=1\n");
            int hosts = 6000;
            for (int g = 0; g < 20; g++) {
                ini.append("[big").append(g).append("]\n");
                for (int h = g; h < hosts; h += 20) {
                    ini.append("host-").append(h).append(" payload=\"").append("x".repeat(120)).append("\"\n");
                }
            }
            Http.Response imported = http.send("POST", "/ansible/inventory?mode=merge", "text/plain", ini.toString(),
                    "X-Request-Id", "big-import", "X-Kook-Reason", "migration");
            assertThat(imported.status()).as(imported.toString()).isEqualTo(200);

            List<JsonNode> parts = new ArrayList<>();
            http.get("/changes?limit=10000").json().forEach(c -> {
                if ("big-import".equals(c.get("requestId").asString())) {
                    parts.add(c);
                }
            });
            assertThat(parts.size()).as("one record per request of the import").isGreaterThan(1);
            List<String> created = new ArrayList<>();
            List<String> updated = new ArrayList<>();
            for (JsonNode part : parts) {
                assertThat(part.get("parts").asInt()).isEqualTo(parts.size());
                assertThat(part.get("op").asString()).isEqualTo("ansible.import.merge");
                assertThat(part.get("reason").asString()).isEqualTo("migration");
                for (String e : entities(part)) {
                    (e.endsWith(":created") ? created : updated).add(e);
                }
            }
            assertThat(created).hasSize(hosts + 21).doesNotHaveDuplicates();
            assertThat(updated).contains("host:old:updated");
            assertThat(parts.get(0).get("revision").asLong()).isEqualTo(imported.revision());
        }
    }

    private static boolean exists(CuratorFramework zk, String path) {
        try {
            return zk.checkExists().forPath(path) != null;
        } catch (Exception e) {
            return false;
        }
    }
}
