package io.kook.bench;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The inventory served while the inventory changes: one writer merge-patches random hosts at a fixed rate and
 * records when each write was acknowledged and at which revision; {@code readers} clients fetch
 * {@code GET /ansible/inventory} (gzip, as Ansible's plugin asks) back to back. A document's age is how long
 * before its answer began the oldest write it lacks had been acknowledged (0 when it lacks none): a render that
 * takes seconds delivers a document seconds old.
 *
 * <pre>
 * java io.kook.bench.ServeUnderWrites --url http://127.0.0.1:8080 --token SECRET --hosts hosts.txt \
 *      [--writes-per-second 10] [--readers 2] [--seconds 60]
 * </pre>
 * prints {@code serve reads=.. reads_per_s=.. age_p50_ms=.. age_p99_ms=.. age_max_ms=.. read_p50_ms=..
 * read_max_ms=.. mb_per_read=.. writes=.. write_errors=.. read_errors=..}.
 */
public final class ServeUnderWrites {

    private record Write(long ackNanos, long revision) {
    }

    private record Read(long sentNanos, long headersNanos, long doneNanos, long revision, long bytes) {
    }

    private ServeUnderWrites() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args);
        String url = a.get("url");
        String authorization = "Bearer " + a.getOrDefault("token", "");
        int rate = Integer.parseInt(a.getOrDefault("writes-per-second", "10"));
        int readers = Integer.parseInt(a.getOrDefault("readers", "2"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "60"));
        List<String> hosts = Files.readAllLines(Path.of(a.get("hosts")));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        List<Write> writes = Collections.synchronizedList(new ArrayList<>());
        List<Read> reads = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger writeErrors = new AtomicInteger();
        AtomicInteger readErrors = new AtomicInteger();
        AtomicInteger seq = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);

        ScheduledExecutorService writer = Executors.newScheduledThreadPool(4);
        writer.scheduleAtFixedRate(() -> {
            int i = seq.getAndIncrement();
            String host = hosts.get(Math.floorMod(i * 7919, hosts.size()));
            try {
                HttpResponse<Void> w = http.send(HttpRequest.newBuilder(URI.create(url + "/hosts/" + host))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/merge-patch+json")
                        .header("Authorization", authorization)
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"vars\":{\"bench_serve\":" + i + "}}"))
                        .build(), HttpResponse.BodyHandlers.discarding());
                long acked = System.nanoTime();
                String revision = w.headers().firstValue("X-Kook-Revision").orElse(null);
                if (w.statusCode() == 200 && revision != null) {
                    writes.add(new Write(acked, Long.parseLong(revision)));
                } else {
                    writeErrors.incrementAndGet();
                }
            } catch (Exception e) {
                writeErrors.incrementAndGet();
            }
        }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);

        List<Thread> readerThreads = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[1 << 16];
                while (System.nanoTime() < end) {
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<InputStream> response = http.send(
                                HttpRequest.newBuilder(URI.create(url + "/ansible/inventory"))
                                        .timeout(Duration.ofSeconds(120)).header("Authorization", authorization)
                                        .header("Accept-Encoding", "gzip").GET().build(),
                                HttpResponse.BodyHandlers.ofInputStream());
                        long headers = System.nanoTime();
                        long bytes = 0;
                        try (InputStream in = response.body()) {
                            for (int n; (n = in.read(buffer)) > 0; ) {
                                bytes += n;
                            }
                        }
                        String etag = response.headers().firstValue("ETag").orElse("\"-1\"");
                        if (response.statusCode() != 200) {
                            readErrors.incrementAndGet();
                            continue;
                        }
                        reads.add(new Read(sent, headers, System.nanoTime(), Long.parseLong(etag.replace("\"", "")),
                                bytes));
                    } catch (Exception e) {
                        readErrors.incrementAndGet();
                    }
                }
            }, "reader-" + r);
            t.start();
            readerThreads.add(t);
        }
        for (Thread t : readerThreads) {
            t.join();
        }
        writer.shutdown();
        writer.awaitTermination(60, TimeUnit.SECONDS);

        List<Write> acked = new ArrayList<>(writes);
        acked.sort((x, y) -> Long.compare(x.ackNanos(), y.ackNanos()));
        List<Read> done = new ArrayList<>(reads);
        long[] ages = new long[Math.max(1, done.size())];
        long[] latencies = new long[Math.max(1, done.size())];
        long totalBytes = 0;
        for (int i = 0; i < done.size(); i++) {
            Read read = done.get(i);
            long age = 0;
            for (Write w : acked) {
                if (w.ackNanos() >= read.headersNanos()) {
                    break;
                }
                if (w.revision() > read.revision()) {
                    age = read.headersNanos() - w.ackNanos();
                    break;
                }
            }
            ages[i] = age;
            latencies[i] = read.doneNanos() - read.sentNanos();
            totalBytes += read.bytes();
        }
        Arrays.sort(ages);
        Arrays.sort(latencies);
        System.out.printf(Locale.ROOT, "serve reads=%d reads_per_s=%.2f age_p50_ms=%.0f age_p99_ms=%.0f age_max_ms=%.0f"
                        + " read_p50_ms=%.0f read_max_ms=%.0f mb_per_read=%.1f writes=%d write_errors=%d read_errors=%d%n",
                done.size(), done.size() / (double) seconds, Args.percentileMs(ages, 50), Args.percentileMs(ages, 99),
                ages[ages.length - 1] / 1e6, Args.percentileMs(latencies, 50), latencies[latencies.length - 1] / 1e6,
                done.isEmpty() ? 0.0 : totalBytes / 1e6 / done.size(), acked.size(), writeErrors.get(),
                readErrors.get());
    }
}
