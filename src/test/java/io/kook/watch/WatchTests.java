package io.kook.watch;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.kook.support.Await;
import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Blocking reads ({@code ?index=&wait=}) and the {@code /events} stream. */
class WatchTests {

    private static final Logger log = LoggerFactory.getLogger(WatchTests.class);
    private static Replica kook;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        kook = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("watch"),
                "kook.watch.retained=5", "kook.watch.heartbeat=1s");
    }

    @AfterAll
    static void stop() {
        kook.close();
    }

    private static CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(kook.http().base() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBlockedReadWakesOnAWriteWithin100Milliseconds() throws Exception {
        long index = kook.http().put("/hosts/watched", "{}").revision();
        CompletableFuture<HttpResponse<String>> blocked = getAsync("/hosts/watched?index=" + index + "&wait=30s");
        assertThatThrownBy(() -> blocked.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        Http.Response write = kook.http().put("/hosts/watched", "{\"vars\":{\"v\":2}}");
        long acknowledged = System.nanoTime();
        HttpResponse<String> woken = blocked.get(5, TimeUnit.SECONDS);
        long wakeMillis = (System.nanoTime() - acknowledged) / 1_000_000;
        log.info("blocking read woke {} ms after the write was acknowledged", wakeMillis);
        assertThat(wakeMillis).isLessThan(100);
        assertThat(woken.statusCode()).isEqualTo(200);
        assertThat(Long.parseLong(woken.headers().firstValue("X-Kook-Revision").orElseThrow())).isEqualTo(write.revision());
        assertThat(woken.body()).contains("\"v\":2");
    }

    @Test
    void aBlockedReadWithoutChangesReturnsAtTheWait() throws Exception {
        long index = kook.http().get("/ansible/inventory").revision();
        long started = System.nanoTime();
        HttpResponse<String> r = getAsync("/ansible/inventory?index=" + index + "&wait=1s").get(10, TimeUnit.SECONDS);
        long elapsed = (System.nanoTime() - started) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(elapsed).isBetween(900L, 5_000L);
        assertThat(r.headers().firstValue("X-Kook-Revision")).contains(Long.toString(index));
    }

    @Test
    void anIndexBehindTheMirrorAnswersAtOnceAndABadWaitIs400() {
        assertThat(kook.http().get("/groups?index=1&wait=30s").status()).isEqualTo(200);
        Http.Response bad = kook.http().get("/groups?index=1&wait=soon");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aThousandIdleWatchersHoldNoThreads() throws Exception {
        long index = kook.http().put("/hosts/crowd-watch", "{}").revision();
        RevisionWaiters waiters = kook.bean(RevisionWaiters.class);
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        List<CompletableFuture<HttpResponse<String>>> watchers = new ArrayList<>();
        // a client with a small fixed pool, so the JVM's thread count shows the server's threads, not the client's
        java.util.concurrent.ExecutorService clientThreads = java.util.concurrent.Executors.newFixedThreadPool(4);
        HttpClient client = HttpClient.newBuilder().executor(clientThreads).build();
        String base = kook.http().base();
        for (int i = 0; i < 1000; i++) {
            watchers.add(client.sendAsync(HttpRequest.newBuilder(URI.create(base
                    + "/groups?index=" + index + "&wait=60s")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        Await.until(Duration.ofSeconds(60), "1000 parked watchers", () -> waiters.parked() >= 1000);
        int threadsParked = ManagementFactory.getThreadMXBean().getThreadCount();
        log.info("threads before {} with 1000 parked watchers {}", threadsBefore, threadsParked);
        // Tomcat has at most 200 request threads: 1000 parked requests cannot each be holding one
        assertThat(threadsParked - threadsBefore).as("threads added while 1000 watchers wait").isLessThan(250);
        Http.Response write = kook.http().put("/hosts/crowd-watch", "{\"vars\":{\"x\":1}}");
        for (CompletableFuture<HttpResponse<String>> w : watchers) {
            HttpResponse<String> r = w.get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Kook-Revision")).contains(Long.toString(write.revision()));
        }
        assertThat(waiters.parked()).isZero();
        clientThreads.shutdown();
    }

    /** A line-level SSE reader: collects "event/id/data" triples on a background thread. */
    private static BlockingQueue<String[]> subscribe(String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(kook.http().base() + "/events"));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String event = "message";
                String id = null;
                StringBuilder data = new StringBuilder();
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            events.add(new String[]{event, id, data.toString()});
                        }
                        event = "message";
                        id = null;
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    }
                }
            } catch (Exception ignored) {
                // stream closed
            }
        });
        reader.setDaemon(true);
        reader.start();
        return events;
    }

    @Test
    void eventsStreamChangesAndResumeFromLastEventId() throws Exception {
        BlockingQueue<String[]> live = subscribe(null);
        Http.Response first = kook.http().put("/hosts/sse-a", "{}");
        String[] event = live.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("a live change event").isNotNull();
        assertThat(event[0]).isEqualTo("change");
        assertThat(event[1]).isEqualTo(Long.toString(first.revision()));
        assertThat(event[2]).contains("\"entity\":\"host\"").contains("\"name\":\"sse-a\"").contains("\"kind\":\"created\"");

        Http.Response second = kook.http().put("/hosts/sse-a", "{\"vars\":{\"v\":1}}");
        Http.Response third = kook.http().delete("/hosts/sse-a");
        BlockingQueue<String[]> resumed = subscribe(Long.toString(first.revision()));
        String[] a = resumed.poll(10, TimeUnit.SECONDS);
        String[] b = resumed.poll(10, TimeUnit.SECONDS);
        assertThat(a[1]).isEqualTo(Long.toString(second.revision()));
        assertThat(a[2]).contains("\"kind\":\"updated\"");
        assertThat(b[1]).isEqualTo(Long.toString(third.revision()));
        assertThat(b[2]).contains("\"kind\":\"deleted\"");
    }

    @Test
    void resumingFromBeyondTheRetainedWindowGetsAReset() throws Exception {
        long old = kook.http().put("/hosts/sse-window", "{}").revision();
        for (int i = 0; i < 8; i++) {
            kook.http().put("/hosts/sse-window", "{\"vars\":{\"i\":" + i + "}}");
        }
        BlockingQueue<String[]> resumed = subscribe(Long.toString(old));
        String[] event = resumed.poll(10, TimeUnit.SECONDS);
        assertThat(event).isNotNull();
        assertThat(event[0]).isEqualTo("reset");
        assertThat(event[2]).contains("re-read");
    }
}
