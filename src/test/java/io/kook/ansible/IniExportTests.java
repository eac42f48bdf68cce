package io.kook.ansible;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code GET /ansible/inventory?format=ini} end to end: what one Kook exports, another imports with
 * {@code mode=replace} into an empty root and then holds the same hosts, groups, edges and vars, types included;
 * the export is served like the other formats (its own ETag, 304, gzip, {@code atRevision}) and refuses with 409
 * what INI cannot say.
 */
class IniExportTests {

    private static Replica kook;
    private static Replica empty;

    @BeforeAll
    static void start() {
        kook = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("ini-export"));
        empty = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("ini-import"));
    }

    @AfterAll
    static void stop() {
        kook.close();
        empty.close();
    }

    private static Http.Response replace(Replica r, String contentType, String body) {
        Http.Response imported = r.http().send("POST", "/ansible/inventory?mode=replace", contentType, body);
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        return imported;
    }

    /** Every host and group object as {@code GET /hosts} and {@code GET /groups} return them, versions aside. */
    private static JsonNode entities(Replica r) {
        ObjectNode both = Http.JSON.createObjectNode();
        both.set("hosts", withoutVersions(r.http().get("/hosts").json()));
        both.set("groups", withoutVersions(r.http().get("/groups").json()));
        return both;
    }

    private static JsonNode withoutVersions(JsonNode list) {
        list.forEach(e -> ((ObjectNode) e).remove("version"));
        return list;
    }

    @Test
    void anInventoryExportedAsIniImportsBackIdentically() {
        long base = new Random().nextLong();
        for (int i = 0; i < 25; i++) {
            long seed = base + i;
            ObjectNode inventory = RandomInventories.inventory(new Random(seed));
            replace(kook, "application/json", inventory.toString());
            Http.Response ini = kook.http().get("/ansible/inventory?format=ini");
            assertThat(ini.status()).as("seed " + seed + ": " + ini).isEqualTo(200);
            replace(empty, "text/plain", ini.body());

            JsonNode original = entities(kook);
            JsonNode copy = entities(empty);
            if (!AnsibleInventoryComparison.sameValue(original, copy)) {
                fail("seed " + seed + " (replay with new Random(" + seed + "L)): the INI\n" + ini.body()
                        + "\nimported as\n" + copy + "\ninstead of\n" + original);
            }
        }
    }

    @Test
    void theIniExportIsUtf8TextWithItsOwnETagA304AndGzipWhenAsked() throws Exception {
        replace(kook, "text/plain", "[g]\nh1 greeting='grüß dich'\n");
        Http.Response ini = kook.http().get("/ansible/inventory?format=ini");
        assertThat(ini.status()).isEqualTo(200);
        assertThat(ini.contentType()).isEqualTo("text/plain;charset=UTF-8");
        assertThat(ini.body()).contains("h1 greeting=\"'grüß dich'\"");
        String etag = ini.header("ETag");
        assertThat(etag).isEqualTo("\"" + ini.revision() + "-ini\"");
        assertThat(kook.http().get("/ansible/inventory?format=ini", "If-None-Match", etag).status()).isEqualTo(304);
        assertThat(kook.http().get("/ansible/inventory", "If-None-Match", etag).status())
                .as("the JSON is another representation, so the INI's ETag does not match it").isEqualTo(200);
        assertThat(kook.http().get("/ansible/inventory?format=yaml", "If-None-Match", etag).status()).isEqualTo(200);

        HttpResponse<byte[]> gz = HttpClient.newHttpClient().send(Http.request(
                        URI.create(kook.http().base() + "/ansible/inventory?format=ini")).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gz.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(gz.headers().firstValue("ETag")).contains(etag);
        assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes(),
                StandardCharsets.UTF_8)).isEqualTo(ini.body());
    }

    @Test
    void atRevisionExportsTheInventoryAsItWasThen() {
        long then = replace(kook, "text/plain", "[old]\nh1 a=1\n").revision();
        String before = kook.http().get("/ansible/inventory?format=ini").body();
        replace(kook, "text/plain", "[new]\nh2 b=2\n");

        Http.Response past = kook.http().get("/ansible/inventory?format=ini&atRevision=" + then);
        assertThat(past.status()).as(past.toString()).isEqualTo(200);
        assertThat(withoutHeaderComment(past.body())).isEqualTo(withoutHeaderComment(before));
        assertThat(past.body()).contains("[old]\nh1 a=1\n").doesNotContain("h2");
    }

    private static String withoutHeaderComment(String ini) {
        return ini.substring(ini.indexOf('\n') + 1);
    }

    @Test
    void anInventoryIniCannotExpressIs409NamingWhatWhileJsonStillServesIt() {
        replace(kook, "application/json", """
                {"_meta": {"hostvars": {"h1": {"a=b": 1, "ok": 2}}},
                 "all": {"children": ["g", "ungrouped"]}, "ungrouped": {"hosts": []},
                 "g": {"hosts": ["h1"], "vars": {"#note": "x"}}}""");
        Http.Response refused = kook.http().get("/ansible/inventory?format=ini");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("type").asString()).isEqualTo("https://kook.dev/problems/conflict");
        assertThat(refused.json().get("detail").asString()).contains("host 'h1' var 'a=b'")
                .contains("group 'g' var '#note'");
        assertThat(kook.http().get("/ansible/inventory").status()).isEqualTo(200);
        assertThat(kook.http().get("/ansible/inventory?format=ini").status()).as("refused again, from the memo")
                .isEqualTo(409);
    }

    @Test
    void anUnknownFormatIs400NamingTheFormats() {
        Http.Response bad = kook.http().get("/ansible/inventory?format=toml");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("json, yaml or ini");
    }
}
