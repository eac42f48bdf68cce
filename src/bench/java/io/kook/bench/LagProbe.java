package io.kook.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Mirror propagation lag between two replicas: merge-patches a host on replica A, takes the write's
 * {@code X-Kook-Revision}, then asks replica B for that host with {@code ?minRevision=} (B answers once its
 * mirror has applied that revision) and times from A's answer to B's. Sequential, {@code writes} times.
 *
 * <pre>
 * java io.kook.bench.LagProbe --token SECRET --a http://127.0.0.1:8080 --b http://127.0.0.1:8081 --hosts hosts.txt [--writes 1000]
 * </pre>
 * prints {@code lag writes=.. p50_ms=.. p99_ms=.. max_ms=.. write_p50_ms=.. errors=..}.
 */
public final class LagProbe {

    private LagProbe() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args);
        String urlA = a.get("a");
        String urlB = a.get("b");
        String authorization = "Bearer " + a.getOrDefault("token", "");
        int writes = Integer.parseInt(a.getOrDefault("writes", "1000"));
        List<String> hosts = Files.readAllLines(Path.of(a.get("hosts"))).subList(0, 50);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        long[] lag = new long[writes];
        long[] write = new long[writes];
        int errors = 0;
        int n = 0;
        for (int i = 0; i < writes; i++) {
            String host = hosts.get(i % hosts.size());
            long t0 = System.nanoTime();
            HttpResponse<Void> w = http.send(HttpRequest.newBuilder(URI.create(urlA + "/hosts/" + host))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/merge-patch+json")
                    .header("Authorization", authorization)
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"vars\":{\"bench_lag\":" + i + "}}"))
                    .build(), HttpResponse.BodyHandlers.discarding());
            long t1 = System.nanoTime();
            String revision = w.headers().firstValue("X-Kook-Revision").orElse(null);
            if (w.statusCode() != 200 || revision == null) {
                errors++;
                continue;
            }
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(
                            URI.create(urlB + "/hosts/" + host + "?minRevision=" + revision))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", authorization).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            long t2 = System.nanoTime();
            long seen = Long.parseLong(r.headers().firstValue("X-Kook-Revision").orElse("-1"));
            if (r.statusCode() != 200 || seen < Long.parseLong(revision)) {
                errors++;
            }
            write[n] = t1 - t0;
            lag[n++] = t2 - t1;
        }
        lag = Arrays.copyOf(lag, Math.max(1, n));
        write = Arrays.copyOf(write, Math.max(1, n));
        Arrays.sort(lag);
        Arrays.sort(write);
        System.out.printf(java.util.Locale.ROOT, "lag writes=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f write_p50_ms=%.2f errors=%d%n",
                writes, Args.percentileMs(lag, 50), Args.percentileMs(lag, 99), lag[lag.length - 1] / 1e6,
                Args.percentileMs(write, 50), errors);
    }
}
