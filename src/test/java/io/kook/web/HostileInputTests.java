package io.kook.web;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.kook.support.Http;
import io.kook.support.KookTest;
import io.kook.support.KookTestSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 11, web layer: hostile or careless requests get a clear 4xx problem and change nothing. */
@KookTest
class HostileInputTests extends KookTestSupport {

    private static void assertProblem(Http.Response r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.json().get("detail").asString()).doesNotContain("/kook");
    }

    // item 8
    @Test
    void ifNoneMatchStarOnDeleteAndPatchOfAnExistingEntityIs412AndChangesNothing() {
        Http http = http();
        assertThat(http.put("/hosts/inm1", "{\"vars\":{\"a\":1}}").status()).isEqualTo(201);
        assertProblem(http.delete("/hosts/inm1", "If-None-Match", "*"), 412);
        assertProblem(http.patch("/hosts/inm1", "{\"vars\":{\"a\":2}}", "If-None-Match", "*"), 412);
        Http.Response host = http.get("/hosts/inm1");
        assertThat(host.status()).isEqualTo(200);
        assertThat(host.json().get("vars").get("a").asInt()).isEqualTo(1);
        // a matching tag in If-None-Match fails the same way
        assertProblem(http.delete("/hosts/inm1", "If-None-Match", host.header("ETag")), 412);

        assertThat(http.put("/groups/inmg", "{\"vars\":{\"a\":1}}").status()).isEqualTo(201);
        assertProblem(http.delete("/groups/inmg", "If-None-Match", "*"), 412);
        assertProblem(http.patch("/groups/inmg", "{\"vars\":{\"a\":2}}", "If-None-Match", "*"), 412);
        assertThat(http.get("/groups/inmg").json().get("vars").get("a").asInt()).isEqualTo(1);
        // a tag that does not match lets the write through
        assertThat(http.delete("/hosts/inm1", "If-None-Match", "\"1.1\"").status()).isEqualTo(204);
    }

    // item 10
    @Test
    void anEmptyRepeatedOrMisspelledDryRunIs400AndImportsNothing() {
        Http http = http();
        for (String query : new String[]{"dryRun=", "dryRun=false&dryRun=true", "dryrun=true", "dryRun=yes",
                "mode=", "mode=merge&mode=merge"}) {
            Http.Response r = http.send("POST", "/ansible/inventory?" + query, "text/plain", "[dry]\ndryhost\n");
            assertProblem(r, 400);
            assertThat(http.get("/hosts/dryhost").status()).as(query).isEqualTo(404);
        }
        Http.Response dry = http.send("POST", "/ansible/inventory?dryRun=true", "text/plain", "[dry]\ndryhost\n");
        assertThat(dry.status()).isEqualTo(200);
        assertThat(dry.json().get("dryRun").asBoolean()).isTrue();
        assertThat(dry.json().get("hostsCreated").asInt()).isEqualTo(1);
        assertThat(http.get("/hosts/dryhost").status()).isEqualTo(404);
        Http.Response real = http.send("POST", "/ansible/inventory?dryRun=false", "text/plain", "[dry]\ndryhost\n");
        assertThat(real.json().get("dryRun").asBoolean()).isFalse();
        assertThat(http.get("/hosts/dryhost").status()).isEqualTo(200);
        // other writes refuse unknown and repeated parameters as well
        assertProblem(http.put("/hosts/dryhost2?force=true", "{}"), 400);
        assertThat(http.get("/hosts/dryhost2").status()).isEqualTo(404);
        assertProblem(http.put("/services/web/instances/dryhost:80?ttl=30s&ttl=1s", null), 400);
    }

    // item 11
    @Test
    void dotServiceNamesAre400AndNoProblemShowsAZnodePath() {
        Http http = http();
        for (String service : new String[]{"%2E", "%2E%2E", ".", ".."}) {
            Http.Response r = http.put("/services/" + service + "/instances/web01:80", null);
            assertThat(r.status()).as(service + " " + r).isBetween(400, 499);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asString()).doesNotContain("/").doesNotContain("KeeperErrorCode");
        }
        assertThat(registry400(".")).isTrue();
        assertThat(registry400("..")).isTrue();
        assertThat(Problems.scrub("KeeperErrorCode = NoNode for /kook-x/services/./a"))
                .isEqualTo("ZooKeeper error NoNode").doesNotContain("/");
        assertThat(Problems.scrub("Invalid path string \"/kook/services/.\" caused by relative paths"))
                .doesNotContain("/kook");
        assertThat(Problems.scrub("Content-Type 'application/json' is not supported"))
                .contains("application/json");
    }

    private static boolean registry400(String service) {
        try {
            io.kook.registry.Registry.requireServiceName(service);
            return false;
        } catch (io.kook.inventory.KookException.Invalid e) {
            return true;
        }
    }

    // item 13
    @Test
    void aHostsOwnServicePortVarWinsInListAndHostAlike() {
        Http http = http();
        assertThat(http.put("/hosts/svc-own", "{\"vars\":{\"service_api_port\":9999}}").status()).isEqualTo(201);
        assertThat(http.put("/hosts/svc-plain", "{}").status()).isEqualTo(201);
        assertThat(http.put("/services/api/instances/svc-own:8080?ttl=60s", null).status()).isEqualTo(201);
        long revision = http.put("/services/api/instances/svc-plain:8081?ttl=60s", null).revision();
        JsonNode list = http.get("/ansible/inventory?minRevision=" + revision).json();
        JsonNode ownList = list.get("_meta").get("hostvars").get("svc-own");
        JsonNode ownHost = http.get("/ansible/inventory/hosts/svc-own?minRevision=" + revision).json();
        assertThat(ownList.get("service_api_port").asInt()).isEqualTo(9999);
        assertThat(ownHost).isEqualTo(ownList);
        JsonNode plainList = list.get("_meta").get("hostvars").get("svc-plain");
        assertThat(plainList.get("service_api_port").asInt()).isEqualTo(8081);
        assertThat(http.get("/ansible/inventory/hosts/svc-plain").json()).isEqualTo(plainList);
    }

    // item 14: a non-canonical port is refused (one instance, one name)
    @Test
    void aNonCanonicalPortIs400AndRegistersNothing() {
        Http http = http();
        for (String port : new String[]{"080", "+80", "0080", "8080 "}) {
            Http.Response r = http.put("/services/canon/instances/web01:" + port.replace(" ", "%20") + "?ttl=60s", null);
            assertProblem(r, 400);
            assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("port");
        }
        assertThat(http.get("/services/canon").json().size()).isZero();
        Http.Response ok = http.put("/services/canon/instances/web01:80?ttl=60s", null);
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.json().get("port").asInt()).isEqualTo(80);
    }

    // item 15
    @Test
    void theContainersOwnErrorsAreProblemDocuments() throws Exception {
        String[] requests = {
                "GET /hosts/a%2Fb HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /hosts/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /hosts/%C0%AF HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /hosts/a\u0001b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /hosts/a{b} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /hosts HTTP/1.1 extra\r\nHost: x\r\nConnection: close\r\n\r\n",
                "G(T /hosts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /hosts HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n",
                "GET /hosts HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\nConnection: close\r\n\r\n",
                "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /error HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        };
        for (String request : requests) {
            String response = raw(request);
            String head = response.substring(0, Math.max(0, response.indexOf("\r\n\r\n")));
            String label = request.substring(0, Math.min(60, request.length()));
            assertThat(head).as(label + " -> " + response).matches("(?s)HTTP/1\\.1 4\\d\\d .*");
            assertThat(head.toLowerCase()).as(label + " -> " + response)
                    .contains("content-type: application/problem+json");
            assertThat(response).as(label).contains("\"type\":\"https://kook.dev/problems/")
                    .doesNotContain("<html").doesNotContain("Exception");
        }
    }

    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    read.write(buffer, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // Tomcat may reset after answering a request it will not read further
            }
            return read.toString(StandardCharsets.ISO_8859_1);
        }
    }

    // item 16
    @Test
    void messagesSayWhatIsWrong() {
        Http http = http();
        Http.Response noType = http.send("POST", "/hosts", null, "{\"name\":\"nt\"}");
        assertProblem(noType, 415);
        assertThat(noType.json().get("detail").asString()).doesNotContain("'null'").contains("no Content-Type")
                .contains("application/json");

        Http.Response accept = http.get("/hosts", "Accept", ";;;/");
        assertProblem(accept, 406);
        assertThat(accept.json().get("detail").asString()).contains("Accept");

        Http.Response deep = http.post("/hosts", "{\"name\":\"deep\",\"vars\":{\"a\":" + "[".repeat(2000)
                + "]".repeat(2000) + "}}");
        assertProblem(deep, 400);
        assertThat(deep.json().get("detail").asString()).contains("deeper than").doesNotContain("not valid JSON");

        Http.Response digits = http.post("/hosts", "{\"name\":\"digits\",\"vars\":{\"a\":1" + "0".repeat(2000) + "}}");
        assertProblem(digits, 400);
        assertThat(digits.json().get("detail").asString()).contains("number").doesNotContain("not valid JSON");

        Http.Response broken = http.post("/hosts", "{\"name\":");
        assertProblem(broken, 400);
        Http.Response empty = http.post("/hosts", "");
        assertProblem(empty, 400);
        assertThat(empty.json().get("detail").asString()).contains("missing");
        assertThat(http.get("/hosts/deep").status()).isEqualTo(404);
        assertThat(http.get("/hosts/digits").status()).isEqualTo(404);
    }
}
