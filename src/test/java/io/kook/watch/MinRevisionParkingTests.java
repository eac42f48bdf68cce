package io.kook.watch;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.kook.support.Await;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 11 item 9: reads waiting for {@code minRevision} are parked like blocking queries and hold no thread. */
class MinRevisionParkingTests {

    private static final int THREADS = 4;
    private static Replica kook;

    @BeforeAll
    static void start() {
        kook = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("min-revision"),
                "server.tomcat.threads.max=" + THREADS, "server.tomcat.threads.min-spare=1",
                "kook.mirror.max-revision-wait=60s");
    }

    @AfterAll
    static void stop() {
        kook.close();
    }

    @Test
    void moreWaitingMinRevisionReadsThanRequestThreadsLeaveTheServerAnswering() throws Exception {
        long next = kook.http().put("/hosts/parked-base", "{}").revision() + 1;
        RevisionWaiters waiters = kook.bean(RevisionWaiters.class);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int parked = THREADS * 3;
        List<CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>();
        for (int i = 0; i < parked; i++) {
            String path = i % 2 == 0 ? "/hosts?minRevision=" + next : "/ansible/inventory";
            HttpRequest.Builder request = io.kook.support.Http.request(URI.create(kook.http().base() + path))
                    .timeout(Duration.ofSeconds(120));
            if (i % 2 == 1) {
                request.header("X-Kook-Min-Revision", Long.toString(next));
            }
            reads.add(client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
        }
        Await.until(Duration.ofSeconds(60), parked + " parked minRevision reads", () -> waiters.parked() >= parked);
        assertThat(reads).noneMatch(CompletableFuture::isDone);

        // every request thread would be taken by now if the waits held one; these still get answers
        assertThat(kook.http().get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(kook.http().put("/hosts/parked-release", "{}").status()).isEqualTo(201);

        for (CompletableFuture<HttpResponse<String>> read : reads) {
            HttpResponse<String> response = read.get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(Long.parseLong(response.headers().firstValue("X-Kook-Revision").orElseThrow()))
                    .isGreaterThanOrEqualTo(next);
        }
        assertThat(waiters.parked()).isZero();
    }

    @Test
    void aParkedReadThatIsNeverSatisfiedStill503sAfterTheWait() throws Exception {
        try (Replica quick = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("min-rev-503"),
                "kook.mirror.max-revision-wait=1s")) {
            long far = quick.http().get("/hosts").revision() + 1_000_000;
            var response = quick.http().get("/hosts?minRevision=" + far);
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.header("Retry-After")).isNotNull();
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
    }
}
