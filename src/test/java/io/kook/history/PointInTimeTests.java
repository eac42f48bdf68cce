package io.kook.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.kook.support.Await;
import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The past, read back: {@code ?atRevision=N} answers exactly what the same read answered right after N, on both
 * replicas, for a random workload (hosts, groups, nesting, memberships, deletes, re-creates, imports); a diff is
 * the difference of two such reads; reverts restore exactly and refuse what they would break; retention answers
 * 410 past its horizon.
 */
class PointInTimeTests {

    private static final Logger log = LoggerFactory.getLogger(PointInTimeTests.class);
    private static final String ROOT = SharedZooKeeper.uniqueRoot("point-in-time");
    private static Replica a;
    private static Replica b;

    @BeforeAll
    static void start() {
        a = Replica.start(SharedZooKeeper.connectString(), ROOT);
        b = Replica.start(SharedZooKeeper.connectString(), ROOT);
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    /** What the reads answered right after one write. */
    private record Saved(String inventory, String hosts, String groups) {
    }

    private static Saved save(Http http, long revision) {
        String at = "?minRevision=" + revision;
        return new Saved(http.get("/ansible/inventory" + at).body(), http.get("/hosts" + at).body(),
                http.get("/groups" + at).body());
    }

    private static Saved past(Http http, long revision) {
        String at = "?atRevision=" + revision;
        Http.Response inventory = http.get("/ansible/inventory" + at);
        assertThat(inventory.status()).as(inventory.toString()).isEqualTo(200);
        return new Saved(inventory.body(), http.get("/hosts" + at).body(), http.get("/groups" + at).body());
    }

    @Test
    void atRevisionAnswersWhatTheSameReadsAnsweredThenForRandomRevisionsOfARandomWorkloadOnBothReplicas() {
        long seed = Long.getLong("kook.history.seed", System.nanoTime());
        log.info("point-in-time workload seed={} (rerun with -Dkook.history.seed={})", seed, seed);
        Random random = new Random(seed);
        String p = "pit" + Long.toHexString(seed & 0xffff) + "-";
        TreeMap<Long, Saved> saved = new TreeMap<>();
        for (int step = 0; step < 160; step++) {
            Http http = (random.nextBoolean() ? a : b).http();
            String host = p + "h" + random.nextInt(12);
            String group = p + "g" + random.nextInt(6);
            String other = p + "g" + random.nextInt(6);
            Http.Response r = switch (random.nextInt(10)) {
                case 0, 1 -> http.put("/hosts/" + host, "{\"vars\":{\"n\":" + step + ",\"nested\":{\"list\":[" + step
                        + ",\"x\"]}}}");
                case 2 -> http.delete("/hosts/" + host);
                case 3 -> http.put("/groups/" + group, "{\"vars\":{\"g\":" + step + "}}");
                case 4 -> http.delete("/groups/" + group);
                case 5, 6 -> http.put("/groups/" + group + "/hosts/" + host, null);
                case 7 -> http.delete("/groups/" + group + "/hosts/" + host);
                case 8 -> http.put("/groups/" + group + "/children/" + other, null);
                default -> http.send("POST", "/ansible/inventory?mode=merge", "text/plain",
                        "[" + group + "]\n" + host + " imported=" + step + "\n" + p + "new" + step + "\n");
            };
            if (r.status() < 300) {
                saved.put(r.revision(), save(http, r.revision()));
            }
        }
        assertThat(saved.size()).isGreaterThan(80);
        List<Long> revisions = new ArrayList<>(saved.keySet());
        for (int i = 0; i < 200; i++) {
            long revision = revisions.get(random.nextInt(revisions.size()));
            // every second probe asks for a revision between writes: the state of the last write at or before it
            long asked = i % 2 == 0 ? revision : Math.min(revision + 1 + random.nextInt(3), saved.lastKey());
            Map.Entry<Long, Saved> expected = saved.floorEntry(asked);
            Saved onA = past(a.http(), asked);
            assertThat(onA).as("state at %d (seed %d)", asked, seed).isEqualTo(expected.getValue());
            assertThat(past(b.http(), asked)).as("replica b at %d", asked).isEqualTo(onA);
        }

        // a diff is the difference of two atRevision reads: every host or group whose object differs, and no other
        for (int i = 0; i < 20; i++) {
            long from = revisions.get(random.nextInt(revisions.size()));
            long to = revisions.get(random.nextInt(revisions.size()));
            JsonNode diff = a.http().get("/changes/diff?from=" + from + "&to=" + to).json();
            Map<String, JsonNode> before = objects(a.http(), from);
            Map<String, JsonNode> after = objects(a.http(), to);
            Map<String, String> expectedKinds = new TreeMap<>();
            for (String key : union(before, after)) {
                JsonNode x = before.get(key);
                JsonNode y = after.get(key);
                if (x == null) {
                    expectedKinds.put(key, "created");
                } else if (y == null) {
                    expectedKinds.put(key, "deleted");
                } else if (!withoutVersion(x).equals(withoutVersion(y))) {
                    expectedKinds.put(key, "updated");
                }
            }
            Map<String, String> kinds = new TreeMap<>();
            for (JsonNode entry : diff.get("entities")) {
                String key = entry.get("entity").asString() + ":" + entry.get("name").asString();
                kinds.put(key, entry.get("kind").asString());
                assertThat(nullable(entry.get("before"))).as("before of " + key).isEqualTo(before.get(key));
                assertThat(nullable(entry.get("after"))).as("after of " + key).isEqualTo(after.get(key));
            }
            assertThat(kinds).as("diff %d..%d (seed %d)", from, to, seed).isEqualTo(expectedKinds);
        }
    }

    private static JsonNode nullable(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    private static String withoutVersion(JsonNode object) {
        return ((tools.jackson.databind.node.ObjectNode) object.deepCopy()).without(List.of("version")).toString();
    }

    private static List<String> union(Map<String, JsonNode> x, Map<String, JsonNode> y) {
        List<String> keys = new ArrayList<>(x.keySet());
        y.keySet().stream().filter(k -> !x.containsKey(k)).forEach(keys::add);
        return keys;
    }

    /** Every host and stored group object at a revision, keyed {@code host:name} / {@code group:name}. */
    private static Map<String, JsonNode> objects(Http http, long revision) {
        Map<String, JsonNode> objects = new LinkedHashMap<>();
        http.get("/hosts?atRevision=" + revision).json().forEach(h -> objects.put("host:" + h.get("name").asString(), h));
        http.get("/groups?atRevision=" + revision).json().forEach(g -> {
            String name = g.get("name").asString();
            if (!name.equals("ungrouped") && !name.equals("all")) {
                objects.put("group:" + name, g);
            }
        });
        return objects;
    }

    @Test
    void aRevertPutsBackExactlyWhatTheChangeTouchedAndIsItselfRecorded() {
        Http http = a.http();
        http.put("/groups/rv-web", "{}");
        Http.Response created = http.put("/hosts/rv1", "{\"vars\":{\"port\":80,\"keep\":true},\"groups\":[\"rv-web\"]}");
        Http.Response patched = http.patch("/hosts/rv1", "{\"vars\":{\"port\":8080}}");
        Http.Response reverted = http.post("/changes/" + patched.revision() + "/revert", null);
        assertThat(reverted.status()).as(reverted.toString()).isEqualTo(201);
        assertThat(reverted.header("Location")).isEqualTo("/changes/" + reverted.revision());
        assertThat(reverted.json().get("op").asString()).isEqualTo("change.revert");
        assertThat(reverted.json().get("reason").asString()).isEqualTo("revert of change " + patched.revision());
        JsonNode host = http.get("/hosts/rv1").json();
        assertThat(host.get("vars").toString()).isEqualTo("{\"port\":80,\"keep\":true}");

        Http.Response deleted = http.delete("/hosts/rv1");
        assertThat(http.post("/changes/" + deleted.revision() + "/revert", null).status()).isEqualTo(201);
        JsonNode back = b.http().get("/hosts/rv1?minRevision=" + http.get("/changes?limit=1").json().get(0)
                .get("revision").asLong()).json();
        assertThat(back.get("vars").toString()).isEqualTo("{\"port\":80,\"keep\":true}");
        assertThat(back.get("groups").toString()).isEqualTo("[\"rv-web\"]");

        Http.Response again = http.post("/changes/" + deleted.revision() + "/revert", null);
        assertThat(again.status()).as("already reverted: nothing to do").isEqualTo(409);
        assertThat(again.json().get("type").asString()).isEqualTo("https://kook.dev/problems/conflict");
        assertThat(created.status()).isEqualTo(201);
    }

    @Test
    void aRevertIsRefusedWhenALaterChangeTouchedTheSameEntitiesUnlessForced() {
        Http http = a.http();
        Http.Response first = http.put("/hosts/rv-c", "{\"vars\":{\"v\":1}}");
        Http.Response second = http.put("/hosts/rv-c", "{\"vars\":{\"v\":2}}");
        http.put("/hosts/rv-c", "{\"vars\":{\"v\":3}}");
        Http.Response refused = http.post("/changes/" + second.revision() + "/revert", null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).contains("force=true").contains("host rv-c");
        assertThat(http.get("/hosts/rv-c").json().get("vars").get("v").asInt()).isEqualTo(3);

        Http.Response forced = http.post("/changes/" + second.revision() + "/revert?force=true", null);
        assertThat(forced.status()).isEqualTo(201);
        assertThat(http.get("/hosts/rv-c").json().get("vars").get("v").asInt()).isEqualTo(1);

        Http.Response undoCreate = http.post("/changes/" + first.revision() + "/revert?force=true", null);
        assertThat(undoCreate.status()).isEqualTo(201);
        assertThat(http.get("/hosts/rv-c").status()).isEqualTo(404);

        String reader = http.post("/tokens", "{\"name\":\"rv-writer\",\"role\":\"write\"}").json().get("secret").asString();
        assertThat(http.as(reader).post("/changes/" + first.revision() + "/revert", null).status()).isEqualTo(403);
        assertThat(http.post("/changes/1/revert", null).status()).isEqualTo(404);
    }

    @Test
    void readsOfLiveStateRefuseAtRevisionAndARevisionBeforeHistoryIs410() {
        Http http = a.http();
        Http.Response gone = http.get("/ansible/inventory?atRevision=1");
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.json().get("type").asString()).isEqualTo("https://kook.dev/problems/gone");
        assertThat(http.get("/services?atRevision=1").status()).isEqualTo(400);
        assertThat(http.get("/hosts?atRevision=abc").status()).isEqualTo(400);
    }

    @Test
    void retentionKeepsTheNewestChangesAndAnswers410BeforeThem() {
        try (Replica small = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("retention"),
                "kook.history.retention=5", "kook.history.compact-interval=200ms")) {
            Http http = small.http();
            List<Long> revisions = new ArrayList<>();
            Map<Long, String> vars = new HashMap<>();
            for (int i = 0; i < 12; i++) {
                Http.Response r = http.put("/hosts/kept", "{\"vars\":{\"i\":" + i + "}}");
                revisions.add(r.revision());
                vars.put(r.revision(), "{\"i\":" + i + "}");
            }
            Await.until(Duration.ofSeconds(30), "the elected replica to compact history",
                    () -> http.get("/changes").json().size() <= 5);
            assertThat(http.get("/changes").json().size()).isEqualTo(5);
            assertThat(http.get("/hosts/kept?atRevision=" + revisions.get(2)).status()).isEqualTo(410);
            long oldestKept = revisions.get(7);
            Http.Response kept = http.get("/hosts/kept?atRevision=" + oldestKept);
            assertThat(kept.status()).as(kept.toString()).isEqualTo(200);
            assertThat(kept.json().get("vars").toString()).isEqualTo(vars.get(oldestKept));
        }
    }

    @Test
    void compactingHistoryHoldsNoRecordInMemory() {
        try (Replica small = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("lean-compact"),
                "kook.history.retention=3", "kook.history.compact-interval=200ms")) {
            Http http = small.http();
            for (int i = 0; i < 8; i++) {
                http.put("/hosts/lean", "{\"vars\":{\"i\":" + i + "}}");
            }
            HistoryStore store = small.bean(HistoryStore.class);
            Await.until(Duration.ofSeconds(30), "the elected replica to compact history",
                    () -> store.stampsNewestFirst().size() <= 3);
            // retention ran on stamps alone: no record body was fetched before anyone asked for history
            assertThat(store.recordsHeld()).isZero();
            assertThat(http.get("/changes").json().size()).isEqualTo(3);
            assertThat(store.recordsHeld()).isEqualTo(3);
        }
    }
}
