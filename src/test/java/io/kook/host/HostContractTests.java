package io.kook.host;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.kook.support.Http;
import io.kook.support.KookTest;
import io.kook.support.KookTestSupport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Every row of the contract's hosts table, against a real ZooKeeper. */
@KookTest
class HostContractTests extends KookTestSupport {

    private static String uid(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String group(Http http) {
        String g = uid("g");
        assertThat(http.post("/groups", Http.json(Map.of("name", g))).status()).isEqualTo(201);
        return g;
    }

    private static void assertProblem(Http.Response r, int status, String slug) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("type").asString()).isEqualTo("https://kook.dev/problems/" + slug);
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.header("X-Kook-Revision")).isNotNull();
    }

    @Nested
    class Create {
        @Test
        void postCreatesAHostWithLocationETagAndTypedVars() {
            Http http = http();
            String g = group(http);
            String h = uid("web") + ".example.com";
            Http.Response r = http.post("/hosts", "{\"name\":\"" + h + "\",\"vars\":{\"i\":1,\"f\":1.0,\"b\":true,\"s\":\"1\","
                    + "\"big\":123456789012345678901234567890,\"nested\":{\"l\":[1,\"x\",null]}},\"groups\":[\"" + g + "\"]}");
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            assertThat(r.header("Location")).isEqualTo("/hosts/" + h);
            // creation and version: "<czxid>.<version>", so a tag of a deleted host never matches its successor
            assertThat(r.header("ETag")).matches("\"[1-9][0-9]*\\." + r.json().get("version").asInt() + "\"");
            Http.Response got = http.get("/hosts/" + h);
            JsonNode vars = got.json().get("vars");
            assertThat(vars.get("i").isInt()).isTrue();
            assertThat(vars.get("f").isDouble()).isTrue();
            assertThat(vars.get("f").toString()).isEqualTo("1.0");
            assertThat(vars.get("b").isBoolean()).isTrue();
            assertThat(vars.get("s").isString()).isTrue();
            assertThat(vars.get("big").toString()).isEqualTo("123456789012345678901234567890");
            assertThat(vars.get("nested").toString()).isEqualTo("{\"l\":[1,\"x\",null]}");
            assertThat(got.json().get("groups").toString()).isEqualTo("[\"" + g + "\"]");
        }

        @Test
        void postingAnExistingHostIs409() {
            Http http = http();
            String h = uid("h");
            http.post("/hosts", Http.json(Map.of("name", h)));
            assertProblem(http.post("/hosts", Http.json(Map.of("name", h))), 409, "already-exists");
        }

        @Test
        void postingWithAnUnknownGroupIs422AndWritesNothing() {
            Http http = http();
            String h = uid("h");
            Http.Response r = http.post("/hosts", Http.json(Map.of("name", h, "groups", List.of("nope-" + h))));
            assertProblem(r, 422, "unknown-reference");
            assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("groups[0]");
            assertThat(http.get("/hosts/" + h).status()).isEqualTo(404);
        }

        @Test
        void badNamesAre400WithTheRule() {
            Http http = http();
            for (String bad : List.of("a b", "..", ".", "x/y", "é", "a".repeat(254))) {
                Http.Response r = http.post("/hosts", Http.json(Map.of("name", bad)));
                assertProblem(r, 400, "invalid");
                assertThat(r.json().get("detail").asString()).contains("1-253 characters");
            }
        }

        @Test
        void ipv6AndUserAtHostNamesAreAccepted() {
            Http http = http();
            for (String name : List.of("[2001:db8::" + (int) (Math.random() * 9999) + "]", "root@" + uid("h"), "10.0.0." + (int) (Math.random() * 250))) {
                assertThat(http.put("/hosts/" + name.replace("[", "%5B").replace("]", "%5D"), "{}").status()).isIn(200, 201);
                assertThat(http.get("/hosts/" + name.replace("[", "%5B").replace("]", "%5D")).json().get("name").asString()).isEqualTo(name);
            }
        }

        @Test
        void varsThatAreNotAnObjectAre400() {
            Http http = http();
            assertProblem(http.post("/hosts", "{\"name\":\"" + uid("h") + "\",\"vars\":[1]}"), 400, "invalid");
            assertProblem(http.post("/hosts", "{\"name\":\"" + uid("h") + "\",\"vars\":\"x\"}"), 400, "invalid");
        }

        @Test
        void varsOver256KiBAre413AndNothingIsWritten() {
            Http http = http();
            String h = uid("h");
            Http.Response r = http.post("/hosts", Http.json(Map.of("name", h, "vars", Map.of("blob", "x".repeat(300 * 1024)))));
            assertProblem(r, 413, "too-large");
            assertThat(http.get("/hosts/" + h).status()).isEqualTo(404);
        }

        @Test
        void unknownMembersAndInvalidJsonAre400() {
            Http http = http();
            assertProblem(http.post("/hosts", "{\"name\":\"" + uid("h") + "\",\"grups\":[]}"), 400, "invalid");
            assertProblem(http.post("/hosts", "{\"name\":"), 400, "invalid");
            assertProblem(http.post("/hosts", "[1]"), 400, "invalid");
        }

        @Test
        void aBodyThatIsNotJsonIs415() {
            assertProblem(http().send("POST", "/hosts", "text/plain", "name=x"), 415, "unsupported-media-type");
        }
    }

    @Nested
    class Read {
        @Test
        void unknownHostIs404Problem() {
            assertProblem(http().get("/hosts/" + uid("missing")), 404, "not-found");
        }

        @Test
        void listIsSortedAndFiltersTransitivelyByGroup() {
            Http http = http();
            String parent = group(http);
            String child = group(http);
            http.put("/groups/" + parent + "/children/" + child, null);
            String a = uid("b-host");
            String b = uid("a-host");
            http.post("/hosts", Http.json(Map.of("name", a, "groups", List.of(parent))));
            http.post("/hosts", Http.json(Map.of("name", b, "groups", List.of(child))));
            JsonNode list = http.get("/hosts?group=" + parent).json();
            assertThat(list.size()).isEqualTo(2);
            assertThat(list.get(0).get("name").asString()).isEqualTo(b);
            assertThat(list.get(1).get("name").asString()).isEqualTo(a);
            JsonNode all = http.get("/hosts").json();
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i - 1).get("name").asString()).isLessThan(all.get(i).get("name").asString());
            }
            assertProblem(http.get("/hosts?group=" + uid("nope")), 404, "not-found");
        }

        @Test
        void limitAndAfterPageWithALinkHeaderUntilTheEnd() {
            Http http = http();
            String g = group(http);
            for (int i = 0; i < 5; i++) {
                http.post("/hosts", Http.json(Map.of("name", g + "-h" + i, "groups", List.of(g))));
            }
            Http.Response first = http.get("/hosts?group=" + g + "&limit=2");
            assertThat(first.json().size()).isEqualTo(2);
            assertThat(first.header("Link")).contains("after=" + g + "-h1").contains("rel=\"next\"").contains("group=" + g);
            Http.Response last = http.get("/hosts?group=" + g + "&limit=2&after=" + g + "-h3");
            assertThat(last.json().size()).isEqualTo(1);
            assertThat(last.json().get(0).get("name").asString()).isEqualTo(g + "-h4");
            assertThat(last.header("Link")).isNull();
            assertProblem(http.get("/hosts?limit=0"), 400, "invalid");
        }
    }

    @Nested
    class Replace {
        @Test
        void putCreatesWith201ThenReplacesWith200() {
            Http http = http();
            String h = uid("h");
            assertThat(http.put("/hosts/" + h, "{\"vars\":{\"a\":1}}").status()).isEqualTo(201);
            Http.Response replaced = http.put("/hosts/" + h, "{\"vars\":{\"b\":2}}");
            assertThat(replaced.status()).isEqualTo(200);
            assertThat(replaced.json().get("vars").toString()).isEqualTo("{\"b\":2}");
        }

        @Test
        void putWithoutGroupsLeavesMembershipAlone() {
            Http http = http();
            String g = group(http);
            String h = uid("h");
            http.put("/hosts/" + h, "{\"groups\":[\"" + g + "\"]}");
            http.put("/hosts/" + h, "{\"vars\":{\"x\":1}}");
            assertThat(http.get("/hosts/" + h).json().get("groups").toString()).isEqualTo("[\"" + g + "\"]");
            http.put("/hosts/" + h, "{\"groups\":[]}");
            assertThat(http.get("/hosts/" + h).json().get("groups").size()).isZero();
        }

        @Test
        void putNamingAnUnknownGroupIs422AndChangesNothing() {
            Http http = http();
            String h = uid("h");
            http.put("/hosts/" + h, "{\"vars\":{\"keep\":true}}");
            assertProblem(http.put("/hosts/" + h, "{\"vars\":{},\"groups\":[\"" + uid("nope") + "\"]}"), 422, "unknown-reference");
            assertThat(http.get("/hosts/" + h).json().get("vars").get("keep").asBoolean()).isTrue();
        }

        @Test
        void ifMatchMismatchIs412AndIfNoneMatchStarOnAnExistingHostIs412() {
            Http http = http();
            String h = uid("h");
            Http.Response created = http.put("/hosts/" + h, "{}");
            String etag = created.header("ETag");
            assertProblem(http.put("/hosts/" + h, "{}", "If-Match", "\"999\""), 412, "precondition-failed");
            assertProblem(http.put("/hosts/" + h, "{}", "If-None-Match", "*"), 412, "precondition-failed");
            assertThat(http.put("/hosts/" + h, "{}", "If-Match", etag).status()).isEqualTo(200);
            assertThat(http.put("/hosts/" + uid("h"), "{}", "If-None-Match", "*").status()).isEqualTo(201);
        }
    }

    @Nested
    class Patch {
        @Test
        void mergePatchSetsAndRemovesVarsAndKeepsTheRest() {
            Http http = http();
            String h = uid("h");
            http.put("/hosts/" + h, "{\"vars\":{\"a\":1,\"b\":2,\"d\":{\"x\":1,\"y\":2}}}");
            Http.Response r = http.patch("/hosts/" + h, "{\"vars\":{\"a\":null,\"c\":3,\"d\":{\"y\":null}}}");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("vars").toString()).isEqualTo("{\"b\":2,\"d\":{\"x\":1},\"c\":3}");
        }

        @Test
        void patchingGroupsReplacesTheList() {
            Http http = http();
            String g1 = group(http);
            String g2 = group(http);
            String h = uid("h");
            http.put("/hosts/" + h, "{\"groups\":[\"" + g1 + "\"]}");
            Http.Response r = http.patch("/hosts/" + h, "{\"groups\":[\"" + g2 + "\"]}");
            assertThat(r.json().get("groups").toString()).isEqualTo("[\"" + g2 + "\"]");
            assertThat(http.get("/groups/" + g1).json().get("hosts").size()).isZero();
        }

        @Test
        void patchOfAMissingHostIs404AndStaleIfMatchIs412() {
            Http http = http();
            assertProblem(http.patch("/hosts/" + uid("h"), "{\"vars\":{}}"), 404, "not-found");
            String h = uid("h");
            http.put("/hosts/" + h, "{}");
            assertProblem(http.patch("/hosts/" + h, "{\"vars\":{\"a\":1}}", "If-Match", "\"42\""), 412, "precondition-failed");
        }

        @Test
        void patchNeedsTheMergePatchContentType() {
            Http http = http();
            String h = uid("h");
            http.put("/hosts/" + h, "{}");
            assertProblem(http.send("PATCH", "/hosts/" + h, "text/plain", "{}"), 415, "unsupported-media-type");
        }
    }

    @Nested
    class Delete {
        @Test
        void deletingAHostRemovesItFromEveryGroup() {
            Http http = http();
            String g1 = group(http);
            String g2 = group(http);
            String h = uid("h");
            http.put("/hosts/" + h, "{\"groups\":[\"" + g1 + "\",\"" + g2 + "\"]}");
            Http.Response r = http.delete("/hosts/" + h);
            assertThat(r.status()).isEqualTo(204);
            String rev = r.header("X-Kook-Revision");
            assertThat(http.get("/groups/" + g1 + "?minRevision=" + rev).json().get("hosts").size()).isZero();
            assertThat(http.get("/groups/" + g2).json().get("hosts").size()).isZero();
            assertProblem(http.get("/hosts/" + h), 404, "not-found");
            assertProblem(http.delete("/hosts/" + h), 404, "not-found");
        }

        @Test
        void deleteWithAStaleIfMatchIs412AndKeepsTheHost() {
            Http http = http();
            String h = uid("h");
            http.put("/hosts/" + h, "{}");
            assertProblem(http.delete("/hosts/" + h, "If-Match", "\"7\""), 412, "precondition-failed");
            assertThat(http.get("/hosts/" + h).status()).isEqualTo(200);
        }
    }

    @Nested
    class EffectiveVarsOfAHost {
        @Test
        void precedenceIsAllThenShallowThenDeepThenHostAndExplainNamesSources() {
            Http http = http();
            String parent = group(http);
            String child = group(http);
            http.put("/groups/" + parent, "{\"vars\":{\"x\":\"parent\",\"y\":\"parent\",\"z\":\"parent\"},\"children\":[\"" + child + "\"]}");
            http.put("/groups/" + child, "{\"vars\":{\"y\":\"child\",\"z\":\"child\"}}");
            String h = uid("h");
            http.put("/hosts/" + h, "{\"vars\":{\"z\":\"host\"},\"groups\":[\"" + child + "\"]}");
            JsonNode vars = http.get("/hosts/" + h + "/vars").json();
            assertThat(vars.get("x").asString()).isEqualTo("parent");
            assertThat(vars.get("y").asString()).isEqualTo("child");
            assertThat(vars.get("z").asString()).isEqualTo("host");
            JsonNode explained = http.get("/hosts/" + h + "/vars?explain=true").json();
            assertThat(explained.get("sources").get("x").asString()).isEqualTo("group:" + parent);
            assertThat(explained.get("sources").get("y").asString()).isEqualTo("group:" + child);
            assertThat(explained.get("sources").get("z").asString()).isEqualTo("host");
            assertProblem(http.get("/hosts/" + uid("none") + "/vars"), 404, "not-found");
        }
    }

    @Test
    void everyResponseCarriesTheRevisionAndGetsAnswerWithAnETag() {
        Http http = http();
        String h = uid("h");
        Http.Response created = http.put("/hosts/" + h, "{}");
        Http.Response got = http.get("/hosts/" + h + "?minRevision=" + created.revision());
        assertThat(got.revision()).isGreaterThanOrEqualTo(created.revision());
        assertThat(got.header("ETag")).isEqualTo(created.header("ETag"));
        assertThat(http.get("/hosts/" + h, "If-None-Match", got.header("ETag")).status()).isEqualTo(304);
    }
}
