package io.kook.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * What recording history costs a write: sequential writes of the kinds operators make most (a var patch, a
 * membership added, one removed) against a running Kook, timed one by one, and the bytes their change records take
 * in ZooKeeper (data and path of every record the run created, read back). Run against a build with history and
 * one without ({@code src/bench/history-cost.sh} does both, one after the other) to compare.
 *
 * <pre>
 * java io.kook.bench.HistoryCostBench --url http://127.0.0.1:8080 --token SECRET --connect 127.0.0.1:2181
 *      [--root /kook] [--writes 3000] [--warmup 300]
 * </pre>
 * prints {@code history-cost writes=.. writes_per_s=.. p50_ms=.. p99_ms=.. records=.. record_bytes_per_change=..}.
 */
public final class HistoryCostBench {

    private HistoryCostBench() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = Args.parse(argv);
        String url = args.getOrDefault("url", "http://127.0.0.1:8080");
        String token = args.getOrDefault("token", "");
        String root = args.getOrDefault("root", "/kook");
        int writes = Integer.parseInt(args.getOrDefault("writes", "3000"));
        int warmup = Integer.parseInt(args.getOrDefault("warmup", "300"));
        HttpClient http = HttpClient.newHttpClient();
        send(http, url, token, "PUT", "/groups/hc-g", "{}");
        for (int h = 0; h < 100; h++) {
            send(http, url, token, "PUT", "/hosts/hc-" + h, "{\"vars\":{\"rack\":\"r0\"}}");
        }
        for (int i = 0; i < warmup; i++) {
            write(http, url, token, i);
        }
        long startRevision = Long.parseLong(send(http, url, token, "GET", "/hosts/hc-0", null)
                .headers().firstValue("X-Kook-Revision").orElse("0"));
        long[] nanos = new long[writes];
        long started = System.nanoTime();
        for (int i = 0; i < writes; i++) {
            long t = System.nanoTime();
            write(http, url, token, warmup + i);
            nanos[i] = System.nanoTime() - t;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Arrays.sort(nanos);
        long[] records = recordBytes(args.getOrDefault("connect", "127.0.0.1:2181"), root, startRevision);
        System.out.printf(Locale.ROOT, "history-cost writes=%d writes_per_s=%.0f p50_ms=%.2f p99_ms=%.2f records=%d"
                        + " record_bytes_per_change=%.0f%n", writes, writes / seconds, Args.percentileMs(nanos, 50),
                Args.percentileMs(nanos, 99), records[0], records[0] == 0 ? 0.0 : (double) records[1] / records[0]);
    }

    /** One write of the mix: a var patch, a membership added, the same membership removed. */
    private static void write(HttpClient http, String url, String token, int i) throws Exception {
        String host = "hc-" + (i % 100);
        switch (i % 3) {
            case 0 -> send(http, url, token, "PATCH", "/hosts/" + host, "{\"vars\":{\"rack\":\"r" + (i % 10)
                    + "\",\"deployed\":" + i + "}}");
            case 1 -> send(http, url, token, "PUT", "/groups/hc-g/hosts/" + host, null);
            default -> send(http, url, token, "DELETE", "/groups/hc-g/hosts/" + host, null);
        }
    }

    private static HttpResponse<String> send(HttpClient http, String url, String token, String method, String path,
                                             String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + " " + response.body());
        }
        return response;
    }

    /** Count and bytes (data and full path) of the change records created after {@code startRevision}. */
    private static long[] recordBytes(String connect, String root, long startRevision) throws Exception {
        ZooKeeper zk = new ZooKeeper(connect, 30_000, event -> { });
        try {
            String history = root + "/history";
            if (zk.exists(history, false) == null) {
                return new long[]{0, 0};
            }
            long count = 0;
            long bytes = 0;
            for (String bucket : zk.getChildren(history, false)) {
                String dir = history + "/" + bucket;
                for (String child : zk.getChildren(dir, false)) {
                    Stat stat = new Stat();
                    byte[] data = zk.getData(dir + "/" + child, false, stat);
                    if (stat.getCzxid() > startRevision) {
                        count++;
                        bytes += data.length + (dir + "/" + child).length();
                    }
                }
            }
            return new long[]{count, bytes};
        } finally {
            zk.close();
        }
    }
}
