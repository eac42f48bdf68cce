package io.kook.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Two replicas on one real ZooKeeper: read-your-writes across replicas and no lost updates under contention. */
class ReplicaConcurrencyTests {

    private static Replica a;
    private static Replica b;

    @BeforeAll
    static void startReplicas() {
        String root = SharedZooKeeper.uniqueRoot("replicas");
        a = Replica.start(SharedZooKeeper.connectString(), root);
        b = Replica.start(SharedZooKeeper.connectString(), root);
    }

    @AfterAll
    static void stopReplicas() {
        a.close();
        b.close();
    }

    @Test
    void aWriteOnOneReplicaIsVisibleOnTheOtherWithMinRevision() {
        Http.Response created = a.http().post("/hosts", Http.json(Map.of("name", "ryw-1", "vars", Map.of("x", 1))));
        assertThat(created.status()).isEqualTo(201);
        Http.Response read = b.http().get("/hosts/ryw-1?minRevision=" + created.revision());
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.revision()).isGreaterThanOrEqualTo(created.revision());
        assertThat(read.json().get("vars").get("x").asInt()).isEqualTo(1);
        Http.Response viaHeader = b.http().get("/hosts/ryw-1", "X-Kook-Min-Revision", Long.toString(created.revision()));
        assertThat(viaHeader.status()).isEqualTo(200);
    }

    @Test
    void aRevisionNoReplicaHasReachedIs503WithRetryAfter() {
        Http.Response r = b.http().get("/hosts?minRevision=" + Long.MAX_VALUE / 2);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("Retry-After")).isNotNull();
        assertThat(r.contentType()).startsWith("application/problem+json");
    }

    @Test
    void replicasThatAppliedTheSameChangesReportTheSameRevision() {
        Http.Response w = a.http().put("/hosts/same-rev", "{}");
        long ra = a.http().get("/hosts/same-rev?minRevision=" + w.revision()).revision();
        long rb = b.http().get("/hosts/same-rev?minRevision=" + w.revision()).revision();
        assertThat(ra).isGreaterThanOrEqualTo(w.revision());
        assertThat(rb).isGreaterThanOrEqualTo(w.revision());
    }

    @Test
    void twoReplicasTimesSixteenWritersAdding400MembersToOneGroupLoseNoneAndNeverGiveUp() throws Exception {
        assertThat(a.http().post("/groups", Http.json(Map.of("name", "crowd"))).status()).isEqualTo(201);
        int members = 400;
        long last = 0;
        for (int i = 0; i < members; i++) {
            last = Math.max(last, a.http().put("/hosts/m" + i, "{}").revision());
        }
        assertThat(b.http().get("/hosts/m0?minRevision=" + last).status()).isEqualTo(200);
        int writers = 32; // 16 per replica, every one of them contending for the same group
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < writers; t++) {
            Http http = (t % 2 == 0 ? a : b).http();
            int thread = t;
            results.add(pool.submit(() -> {
                int ok = 0;
                for (int i = thread; i < members; i += writers) {
                    Http.Response r = http.put("/groups/crowd/hosts/m" + i, null);
                    if (r.status() == 204) {
                        ok++;
                    } else {
                        throw new AssertionError("member m" + i + ": " + r);
                    }
                }
                return ok;
            }));
        }
        int total = 0;
        for (Future<Integer> f : results) {
            total += f.get();
        }
        pool.shutdown();
        assertThat(total).isEqualTo(members);
        long rev = Math.max(a.http().get("/groups/crowd").revision(), b.http().get("/groups/crowd").revision());
        JsonNode onA = a.http().get("/groups/crowd/hosts?minRevision=" + rev).json();
        JsonNode onB = b.http().get("/groups/crowd/hosts?minRevision=" + rev).json();
        assertThat(onA.size()).isEqualTo(members);
        assertThat(onB.size()).isEqualTo(members);
        assertThat(a.http().get("/hosts/m7").json().get("groups").toString()).isEqualTo("[\"crowd\"]");
    }

    @Test
    void aReadModifyWriteRaceWithIfMatchEndsWithTheExactCount() throws Exception {
        assertThat(a.http().put("/groups/counter", "{\"vars\":{\"n\":0}}").status()).isEqualTo(201);
        int workers = 8;
        int incrementsEach = 10;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<Integer>> conflicts = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Http http = (w % 2 == 0 ? a : b).http();
            conflicts.add(pool.submit(() -> {
                int refused = 0;
                long seen = 0;
                for (int done = 0; done < incrementsEach; ) {
                    Http.Response got = http.get("/groups/counter?minRevision=" + seen);
                    int n = got.json().get("vars").get("n").asInt();
                    Http.Response put = http.put("/groups/counter", "{\"vars\":{\"n\":" + (n + 1) + "}}",
                            "If-Match", got.header("ETag"));
                    if (put.status() == 200) {
                        done++;
                        seen = put.revision();
                    } else if (put.status() == 412) {
                        refused++;
                    } else {
                        throw new AssertionError(put.toString());
                    }
                }
                return refused;
            }));
        }
        int refused = 0;
        for (Future<Integer> f : conflicts) {
            refused += f.get();
        }
        pool.shutdown();
        long rev = Math.max(a.http().get("/groups/counter").revision(), b.http().get("/groups/counter").revision());
        int n = b.http().get("/groups/counter?minRevision=" + rev).json().get("vars").get("n").asInt();
        assertThat(n).isEqualTo(workers * incrementsEach);
        assertThat(refused).as("concurrent writers must have collided at least once").isPositive();
    }
}
