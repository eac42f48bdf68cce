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
                "kook.watch.retained=5", "kook.watch.heartbeat=1s", "kook.watch.client-backlog=16");
    }

    @AfterAll
    static void stop() {
        kook.close();
    }

    private static CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return CLIENT.sendAsync(io.kook.support.Http.request(URI.create(kook.http().base() + path)).build(),
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
            watchers.add(client.sendAsync(io.kook.support.Http.request(URI.create(base
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
        return subscribe(kook, lastEventId);
    }

    private static BlockingQueue<String[]> subscribe(Replica replica, String lastEventId) throws Exception {
        HttpRequest.Builder request = io.kook.support.Http.request(URI.create(replica.http().base() + "/events"));
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

    /** Hosts with long names in one import, so that each change event is hundreds of kilobytes. */
    private static String bulkInventory(String prefix, int hosts) {
        StringBuilder ini = new StringBuilder("[bulk]\n");
        String padding = "x".repeat(240);
        for (int i = 0; i < hosts; i++) {
            ini.append(prefix).append('-').append(padding).append('-').append(i).append('\n');
        }
        return ini.toString();
    }

    /** A raw HTTP client that asks for {@code /events} and then reads nothing, with a tiny receive buffer. */
    private static java.net.Socket stalledSubscriber() throws Exception {
        java.net.Socket socket = new java.net.Socket();
        socket.setReceiveBufferSize(1024);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", kook.port()));
        socket.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                + "Authorization: Bearer " + io.kook.support.Http.ADMIN_SECRET + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    @Test
    void aClientThatStopsReadingDelaysNoOtherClientAndIsDroppedWhenTooFarBehind() throws Exception {
        EventHub hub = kook.bean(EventHub.class);
        BlockingQueue<String[]> live = subscribe(null);
        Await.until(Duration.ofSeconds(10), "the reading client subscribed", () -> hub.subscribers() >= 1);
        int before = hub.subscribers();
        try (java.net.Socket stalled = stalledSubscriber()) {
            Await.until(Duration.ofSeconds(10), "the stalled client subscribed", () -> hub.subscribers() > before);
            // rounds of ~300 KB events the stalled client never reads, until its socket buffers are full and it has
            // fallen too far behind; each round the reading client must get its events all the same
            for (int round = 0; hub.subscribers() > before; round++) {
                assertThat(round).as("rounds without the stalled client being dropped").isLessThan(60);
                Http.Response imported = kook.http().send("POST", "/ansible/inventory?mode=merge", "text/plain",
                        bulkInventory("bulk" + round, 1000));
                assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
                long last = imported.revision();
                for (int i = 0; i < 8; i++) {
                    last = kook.http().put("/hosts/after-the-stall", "{\"vars\":{\"i\":" + i + "}}").revision();
                }
                awaitEvent(live, last, Duration.ofSeconds(30));
            }
        }
    }

    /**
     * Reads {@code events} up to the event with id {@code revision}. The bound is generous yet well inside
     * Tomcat's 60 s write timeout, which is what would eventually unblock a sender shared with a stalled client.
     */
    private static void awaitEvent(BlockingQueue<String[]> events, long revision, Duration limit) throws InterruptedException {
        String id = Long.toString(revision);
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            String[] next = events.poll(1, TimeUnit.SECONDS);
            if (next != null && id.equals(next[1])) {
                return;
            }
        }
        throw new AssertionError("no event " + id + " within " + limit);
    }

    @Test
    void aClientThatHangsUpIsNotLoggedAsAnError() throws Exception {
        EventHub hub = kook.bean(EventHub.class);
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try {
            int before = hub.subscribers();
            java.net.Socket gone = stalledSubscriber();
            Await.until(Duration.ofSeconds(10), "the client subscribed", () -> hub.subscribers() > before);
            gone.setSoLinger(true, 0); // a reset, as when a client process dies
            gone.close();
            for (int i = 0; i < 50 && hub.subscribers() > before; i++) {
                kook.http().put("/hosts/hung-up", "{\"vars\":{\"i\":" + i + "}}");
            }
            Await.until(Duration.ofSeconds(20), "the hung-up client noticed", () -> hub.subscribers() == before);
        } finally {
            root.detachAppender(logged);
        }
        assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
                .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).isEmpty();
    }

    @Test
    void resumingAfterARestartFromARevisionTheNewProcessNeverSawGetsAReset() throws Exception {
        String root = SharedZooKeeper.uniqueRoot("watch-restart");
        long seen;
        try (Replica before = Replica.start(SharedZooKeeper.connectString(), root)) {
            seen = before.http().put("/hosts/restart-a", "{}").revision();
            before.http().put("/hosts/restart-b", "{}"); // the client never saw this one
        }
        try (Replica after = Replica.start(SharedZooKeeper.connectString(), root)) {
            BlockingQueue<String[]> resumed = subscribe(after, Long.toString(seen));
            after.http().put("/hosts/restart-c", "{}");
            String[] first = resumed.poll(20, TimeUnit.SECONDS);
            assertThat(first).as("the first event after resuming").isNotNull();
            assertThat(first[0]).as("a resume this process cannot replay exactly").isEqualTo("reset");
        }
    }
}
