package io.kook.ansible;

import java.util.List;

import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Careless and hostile input on the import, export and vars paths (issue 11): bad input is a 4xx problem that
 * changes nothing, and nothing acknowledged is altered on the way in or out.
 */
class HostileInputTests {

    private static Replica kook;
    /** A replica with a tiny vars limit. */
    private static Replica small;
    /** A replica whose import heap share is so small that a few KiB of inventory exceed it. */
    private static Replica tinyHeap;

    @BeforeAll
    static void start() {
        kook = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("hostile"));
        small = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("hostile-small"),
                "kook.limits.max-vars-size=1KB");
        tinyHeap = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("hostile-heap"),
                "kook.limits.import-heap-share=0.000001");
    }

    @AfterAll
    static void stop() {
        kook.close();
        small.close();
        tinyHeap.close();
    }

    private static Http.Response importAs(Replica r, String contentType, String body) {
        return r.http().send("POST", "/ansible/inventory?mode=replace", contentType, body);
    }

    private static String path(String name) {
        return name.replace("[", "%5B").replace("]", "%5D");
    }

    private static void assertProblem(Http.Response r, int status, String detailPart) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asString()).contains(detailPart).doesNotContain("/kook");
    }

    @Test
    void anImportBeyondWhatTheHeapCanParseIs413StatingTheLimitAndChangesNothing() {
        long revision = tinyHeap.http().get("/hosts").revision();
        String ini = "[web]\n" + "web1 a=1\n".repeat(2000);

        for (String query : List.of("", "&dryRun=true")) {
            Http.Response r = tinyHeap.http().send("POST", "/ansible/inventory?mode=merge" + query, "text/plain", ini);
            assertProblem(r, 413, "bytes");
            assertThat(r.json().get("detail").asString()).containsPattern("at most \\d+ bytes");
        }
        assertThat(tinyHeap.http().get("/hosts").revision()).isEqualTo(revision);
        assertThat(tinyHeap.http().get("/hosts/web1").status()).isEqualTo(404);
    }

    @Test
    void integersOfMoreThanAThousandDigitsAreKeptExactlyWithTheOtherVars() {
        String big = "9".repeat(1500);
        assertThat(importAs(kook, "text/plain", "[g]\nini1 big=" + big + " other=1\n").status()).isEqualTo(200);
        assertThat(kook.http().get("/hosts/ini1").body()).contains("\"vars\":{\"big\":" + big + ",\"other\":1}");

        assertThat(importAs(kook, "application/yaml", "g:\n  hosts:\n    yaml1:\n      big: " + big + "\n      other: 1\n")
                .status()).isEqualTo(200);
        assertThat(kook.http().get("/hosts/yaml1").body()).contains("\"vars\":{\"big\":" + big + ",\"other\":1}");

        assertThat(importAs(kook, "application/json", "{\"g\":{\"hosts\":[\"json1\"],\"vars\":{\"big\":" + big
                + ",\"other\":1}}}").status()).isEqualTo(200);
        assertThat(kook.http().get("/groups/g").body()).contains("\"vars\":{\"big\":" + big + ",\"other\":1}");
    }

    /** Names that YAML or Ansible's host patterns could read as something else, all allowed by the contract. */
    private static final List<String> TRICKY_NAMES = List.of("2001:db8::1", "::1", "a:b", "yes", "no", "on", "null",
            "true", "1", "1.5", "0x1F", "0755", "1e5", ".inf", "-a", "_", "@at", "a@b", "x.", "-", "1_000",
            "2024-01-01", "a-b.c_d");
    /** Names Ansible's YAML and INI inventories cannot hold at all (ranges, ports, brackets). */
    private static final List<String> UNYAMLABLE_NAMES = List.of("[2001:db8::1]", "web01:8080", "web[1:2]", "a]",
            "10.0.0.1:22", "1:20");

    @Test
    void theYamlExportImportsBackToTheSameNamesAndRefusesNamesYamlCannotHold() {
        StringBuilder ini = new StringBuilder("[grp]\n");
        for (String name : TRICKY_NAMES) {
            assertThat(kook.http().put("/hosts/" + path(name), "{\"vars\":{\"n\":\"" + name + "\"}}").status())
                    .as(name).isIn(200, 201);
        }
        assertThat(kook.http().put("/groups/yes", "{\"hosts\":[\"1\",\"a:b\"]}").status()).isIn(200, 201);
        assertThat(kook.http().put("/groups/0755", "{\"hosts\":[\"::1\"],\"children\":[\"yes\"]}").status()).isIn(200, 201);
        JsonNode before = kook.http().get("/ansible/inventory").json();
        Http.Response yaml = kook.http().get("/ansible/inventory?format=yaml");
        assertThat(yaml.status()).as(yaml.body()).isEqualTo(200);
        for (String name : TRICKY_NAMES) {
            kook.http().delete("/hosts/" + path(name));
        }
        assertThat(importAs(kook, "application/yaml", yaml.body()).status()).isEqualTo(200);
        assertThat(kook.http().get("/ansible/inventory").json()).isEqualTo(before);

        for (String name : UNYAMLABLE_NAMES) {
            assertThat(kook.http().put("/hosts/" + path(name), "{\"vars\":{\"n\":1}}").status()).as(name).isIn(200, 201);
        }
        Http.Response refused = kook.http().get("/ansible/inventory?format=yaml");
        assertProblem(refused, 409, "[2001:db8::1]");
        JsonNode withAll = kook.http().get("/ansible/inventory").json();
        assertThat(importAs(kook, "application/json", withAll.toString()).status()).isEqualTo(200);
        assertThat(kook.http().get("/ansible/inventory").json()).isEqualTo(withAll);
        for (String name : UNYAMLABLE_NAMES) {
            assertThat(kook.http().get("/hosts/" + path(name)).status()).as(name).isEqualTo(200);
            kook.http().delete("/hosts/" + path(name));
        }
    }

    @Test
    void numbersAFloatCannotHoldExactlyAre400AndExactOnesAreKept() {
        kook.http().put("/hosts/num1", "{\"vars\":{\"keep\":1}}");
        for (String number : List.of("1e400", "-1e400", "1e-400", "1.00000000000000000000000000001")) {
            Http.Response r = kook.http().put("/hosts/num1", "{\"vars\":{\"x\":" + number + "}}");
            assertProblem(r, 400, "vars.x");
            Http.Response imported = importAs(kook, "application/json",
                    "{\"g\":{\n\"hosts\":[\"num1\"],\n\"vars\":{\"x\":" + number + "}}}");
            assertProblem(imported, 400, "line 3");
        }
        assertThat(kook.http().get("/hosts/num1").json().get("vars").toString()).isEqualTo("{\"keep\":1}");

        assertThat(kook.http().put("/hosts/num1", "{\"vars\":{\"a\":0.1,\"b\":1.0,\"c\":1e300,\"d\":5e-324}}").status())
                .isEqualTo(200);
        assertThat(kook.http().get("/hosts/num1").json().get("vars").toString())
                .isEqualTo("{\"a\":0.1,\"b\":1.0,\"c\":1.0E300,\"d\":4.9E-324}");
    }

    @Test
    void importsKeepTheVarsLimitOfEveryOtherPath() {
        String huge = "x".repeat(2000);
        long revision = small.http().get("/hosts").revision();
        for (String[] source : List.of(
                new String[] {"text/plain", "[g]\nbig1 v=" + huge + "\n"},
                new String[] {"text/plain", "[g]\nbig1\n[g:vars]\nv=" + huge + "\n"},
                new String[] {"application/yaml", "g:\n  hosts:\n    big1:\n      v: " + huge + "\n"},
                new String[] {"application/json", "{\"_meta\":{\"hostvars\":{\"big1\":{\"v\":\"" + huge
                        + "\"}}},\"g\":{\"hosts\":[\"big1\"]}}"})) {
            Http.Response r = small.http().send("POST", "/ansible/inventory", source[0], source[1]);
            assertProblem(r, 413, "limit is 1024");
            assertThat(r.json().get("detail").asString()).containsPattern("(host 'big1'|group 'g')");
        }
        assertThat(small.http().get("/hosts").revision()).isEqualTo(revision);
        assertThat(small.http().get("/hosts/big1").status()).isEqualTo(404);
    }

    @Test
    void anEmptyObjectInAJsonImportIsAnEmptyGroupNotAHost() {
        assertThat(importAs(kook, "application/json", "{\"zz\":{}}").status()).isEqualTo(200);
        assertThat(kook.http().get("/groups/zz").status()).isEqualTo(200);
        assertThat(kook.http().get("/hosts/zz").status()).isEqualTo(404);
    }

    @Test
    void aLoneSurrogateInAVarIsRefusedAndExportsStayReadable() {
        assertProblem(kook.http().put("/hosts/sur1", "{\"vars\":{\"s\":\"a\\ud800b\"}}"), 400, "vars.s");
        assertProblem(kook.http().put("/groups/sur", "{\"vars\":{\"n\":{\"s\":[\"\\udc80\"]}}}"), 400, "vars.n.s[0]");
        assertThat(kook.http().get("/hosts/sur1").status()).isEqualTo(404);
        assertThat(kook.http().put("/hosts/sur2", "{\"vars\":{\"s\":\"\\ud83d\\ude00\"}}").status()).isIn(200, 201);
        assertThat(kook.http().get("/ansible/inventory?format=yaml").status()).isEqualTo(200);
        assertThat(kook.http().get("/ansible/inventory").status()).isEqualTo(200);
    }

    @Test
    void parseFailuresSayWhatIsWrong() {
        assertProblem(importAs(kook, "application/yaml", "g:\n  vars:\n    x: !!int \"abc\"\n"), 400, "line 3");
        assertProblem(importAs(kook, "text/plain", ""), 400, "empty");
        assertProblem(importAs(kook, "text/plain", "\n  \n"), 400, "empty");
        Http.Response deep = importAs(kook, "application/json", "[".repeat(600) + "]".repeat(600));
        assertProblem(deep, 400, "nested");
        assertThat(deep.json().get("detail").asString()).doesNotContain("not valid JSON");
        Http.Response longNumber = importAs(kook, "application/json", "{\"g\":{\"vars\":{\"x\":" + "1".repeat(5000) + "}}}");
        assertProblem(longNumber, 400, "4300 digits");
        assertThat(longNumber.json().get("detail").asString()).doesNotContain("not valid JSON");
    }
}
