package io.kook.ansible;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;

import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /ansible/inventory}: rendering, caching headers, import modes and errors, and snapshot consistency. */
class InventoryEndpointTests {

    private static Replica kook;

    @BeforeAll
    static void start() {
        kook = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("inventory"));
    }

    @AfterAll
    static void stop() {
        kook.close();
    }

    private static Http.Response importIni(String mode, String ini) {
        return kook.http().send("POST", "/ansible/inventory?mode=" + mode, "text/plain", ini);
    }

    @Test
    void theInventoryHasMetaHostvarsEmptyGroupsAsHostListsAndAllWithUngrouped() {
        assertThat(importIni("replace", "loner a=1\n[web]\nw1 x=\"y\"\n[empty]\n[parent:children]\nweb\n[all:vars]\nntp=pool\n")
                .status()).isEqualTo(200);
        JsonNode inv = kook.http().get("/ansible/inventory").json();
        assertThat(inv.get("_meta").get("hostvars").get("w1").toString()).isEqualTo("{\"x\":\"y\"}");
        assertThat(inv.get("_meta").get("hostvars").get("loner").toString()).isEqualTo("{\"a\":1}");
        assertThat(inv.get("empty").toString()).isEqualTo("{\"hosts\":[]}");
        assertThat(inv.get("ungrouped").get("hosts").toString()).isEqualTo("[\"loner\"]");
        assertThat(inv.get("all").get("children").toString()).contains("\"parent\"").contains("\"ungrouped\"")
                .doesNotContain("\"web\"");
        assertThat(inv.get("all").get("vars").get("ntp").asString()).isEqualTo("pool");
        assertThat(inv.get("parent").get("children").toString()).isEqualTo("[\"web\"]");
        assertThat(kook.http().get("/ansible/inventory/hosts/w1").json().toString()).isEqualTo("{\"x\":\"y\"}");
        assertThat(kook.http().get("/ansible/inventory/hosts/nobody").json().toString()).isEqualTo("{}");
    }

    @Test
    void aMatchingETagIs304AndGzipIsServedWhenAsked() throws Exception {
        importIni("replace", "[g]\nh1\n");
        Http.Response first = kook.http().get("/ansible/inventory");
        assertThat(first.header("ETag")).isEqualTo("\"" + first.revision() + "\"");
        assertThat(kook.http().get("/ansible/inventory", "If-None-Match", first.header("ETag")).status()).isEqualTo(304);
        HttpResponse<byte[]> gz = HttpClient.newHttpClient().send(io.kook.support.Http.request(
                URI.create(kook.http().base() + "/ansible/inventory")).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gz.headers().firstValue("Content-Encoding")).contains("gzip");
        String unzipped = new String(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(unzipped).isEqualTo(first.body());
    }

    @Test
    void mergeAddsAndReplaceRemovesAndDryRunWritesNothing() {
        importIni("replace", "[a]\nh1 v=1\n[b]\nh2\n");
        Http.Response merged = importIni("merge", "[a]\nh3\n[c]\nh1 w=2\n");
        assertThat(merged.status()).isEqualTo(200);
        JsonNode report = merged.json();
        assertThat(report.get("hostsCreated").asInt()).isEqualTo(1);
        assertThat(report.get("groupsCreated").asInt()).isEqualTo(1);
        assertThat(report.get("hostsDeleted").asInt()).isZero();
        JsonNode h1 = kook.http().get("/hosts/h1").json();
        assertThat(h1.get("vars").toString()).isEqualTo("{\"v\":1,\"w\":2}");
        assertThat(h1.get("groups").toString()).isEqualTo("[\"a\",\"c\"]");

        long before = kook.http().get("/ansible/inventory").revision();
        Http.Response dry = kook.http().send("POST", "/ansible/inventory?mode=replace&dryRun=true", "text/plain", "[z]\nonly\n");
        assertThat(dry.status()).isEqualTo(200);
        assertThat(dry.json().get("hostsDeleted").asInt()).isEqualTo(3);
        assertThat(dry.json().get("hostsCreated").asInt()).isEqualTo(1);
        assertThat(kook.http().get("/ansible/inventory").revision()).isEqualTo(before);
        assertThat(kook.http().get("/hosts/h2").status()).isEqualTo(200);

        Http.Response replaced = importIni("replace", "[z]\nonly\n");
        assertThat(replaced.json().get("hostsDeleted").asInt()).isEqualTo(3);
        assertThat(replaced.json().get("groupsDeleted").asInt()).isEqualTo(3);
        assertThat(kook.http().get("/hosts").json().size()).isEqualTo(1);
    }

    @Test
    void brokenIniAndYamlAre400NamingTheLineAndChangeNothing() {
        importIni("replace", "[keep]\nstays\n");
        long before = kook.http().get("/ansible/inventory").revision();
        Http.Response ini = importIni("replace", "[ok]\nh1\n[broken:children]\nnever_defined\n");
        assertThat(ini.status()).as(ini.toString()).isEqualTo(400);
        assertThat(ini.contentType()).startsWith("application/problem+json");
        assertThat(ini.json().get("line").asInt()).isEqualTo(4);
        assertThat(ini.json().get("detail").asString()).contains("line 4");
        Http.Response yaml = kook.http().send("POST", "/ansible/inventory", "application/yaml",
                "all:\n  hosts:\n    a:\n  children: [oops\n");
        assertThat(yaml.status()).as(yaml.toString()).isEqualTo(400);
        assertThat(yaml.json().has("line")).isTrue();
        assertThat(kook.http().get("/ansible/inventory").revision()).isEqualTo(before);
        assertThat(kook.http().get("/hosts/stays").status()).isEqualTo(200);
        assertThat(kook.http().send("POST", "/ansible/inventory?mode=wipe", "text/plain", "[a]\n").status()).isEqualTo(400);
        assertThat(kook.http().send("POST", "/ansible/inventory", "image/png", "x").status()).isEqualTo(415);
    }

    @Test
    void anImportTooBigForOneRequestIsCommittedInBatchesThatReadersNeverSeeHalfOf() throws Exception {
        importIni("replace", "[seed]\nseed1\n");
        StringBuilder ini = new StringBuilder();
        int hosts = 6000;
        for (int g = 0; g < 20; g++) {
            ini.append("[big").append(g).append("]\n");
            for (int h = g; h < hosts; h += 20) {
                ini.append("host-").append(h).append(".example.com payload=\"").append("x".repeat(120)).append("\" n=").append(h).append('\n');
            }
        }
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        Future<List<Integer>> seen = reader.submit(() -> {
            List<Integer> sizes = new ArrayList<>();
            while (!done.get()) {
                JsonNode inv = kook.http().get("/ansible/inventory").json();
                sizes.add(inv.get("_meta").get("hostvars").size());
            }
            return sizes;
        });
        Http.Response r = importIni("replace", ini.toString());
        done.set(true);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("hostsCreated").asInt()).isEqualTo(hosts);
        List<Integer> sizes = seen.get(60, TimeUnit.SECONDS);
        reader.shutdown();
        assertThat(sizes).as("host counts readers saw").allMatch(n -> n == 1 || n == hosts);
        JsonNode inv = kook.http().get("/ansible/inventory?minRevision=" + r.revision()).json();
        assertThat(inv.get("_meta").get("hostvars").size()).isEqualTo(hosts);
        assertThat(inv.get("big7").get("hosts").size()).isEqualTo(hosts / 20);
        assertThat(kook.http().put("/hosts/after-import", "{}").status()).isEqualTo(201);
    }

    @Test
    void underConcurrentWritesTheInventoryNeverShowsAHostInTwoPlacesOrNone() throws Exception {
        importIni("replace", "[left]\n[right]\n");
        for (int i = 0; i < 10; i++) {
            kook.http().put("/hosts/mover" + i, "{\"groups\":[\"left\"]}");
        }
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int offset = w;
            writers.add(pool.submit(() -> {
                for (int round = 0; round < 15; round++) {
                    for (int i = offset; i < 10; i += 2) {
                        String to = round % 2 == 0 ? "right" : "left";
                        assertThat(kook.http().put("/hosts/mover" + i, "{\"groups\":[\"" + to + "\"]}").status()).isEqualTo(200);
                    }
                }
            }));
        }
        Future<Integer> checks = pool.submit(() -> {
            int n = 0;
            while (!done.get()) {
                JsonNode inv = kook.http().get("/ansible/inventory").json();
                List<String> left = new ArrayList<>();
                inv.get("left").get("hosts").forEach(h -> left.add(h.asString()));
                List<String> right = new ArrayList<>();
                inv.get("right").get("hosts").forEach(h -> right.add(h.asString()));
                for (int i = 0; i < 10; i++) {
                    String h = "mover" + i;
                    assertThat(left.contains(h) ^ right.contains(h)).as("%s in exactly one group at revision %s", h,
                            inv).isTrue();
                    assertThat(inv.get("_meta").get("hostvars").has(h)).isTrue();
                }
                n++;
            }
            return n;
        });
        for (Future<?> w : writers) {
            w.get(2, TimeUnit.MINUTES);
        }
        done.set(true);
        assertThat(checks.get(1, TimeUnit.MINUTES)).isPositive();
        pool.shutdown();
    }

    @Test
    void theScriptFailsWithOneLineWhenKookIsUnreachable() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("python3", AnsibleTool.SCRIPT.toString(), "--list");
        pb.environment().put("KOOK_URL", "http://127.0.0.1:9");
        pb.environment().put("KOOK_TIMEOUT", "5");
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(err.strip().lines().count()).isEqualTo(1);
        assertThat(err).startsWith("kook-inventory: cannot reach Kook");
    }

    @Test
    void theScriptAnswersHostAndIsServedForDownload() throws Exception {
        importIni("replace", "[g]\nweb1 port=8080\n");
        ProcessBuilder pb = new ProcessBuilder("python3", AnsibleTool.SCRIPT.toString(), "--host", "web1");
        pb.environment().put("KOOK_URL", kook.http().base());
        pb.environment().put("KOOK_TOKEN", Http.ADMIN_SECRET);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Http.JSON.readTree(out).get("port").asInt()).isEqualTo(8080);
        Http.Response script = kook.http().get("/ansible/kook-inventory.py");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.body()).startsWith("#!/usr/bin/env python3");
        assertThat(Path.of("src/main/resources/static/ansible/kook-inventory.py").toFile().canExecute()).isTrue();
    }
}
