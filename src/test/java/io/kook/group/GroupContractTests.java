package io.kook.group;

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

/** Every row of the contract's groups table, the implicit groups and the cycle rules. */
@KookTest
class GroupContractTests extends KookTestSupport {

    private static String uid(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String group(Http http, String body) {
        String g = uid("g");
        Http.Response r = http.put("/groups/" + g, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return g;
    }

    private String host(Http http, String... groups) {
        String h = uid("h");
        assertThat(http.post("/hosts", Http.json(Map.of("name", h, "groups", List.of(groups)))).status()).isEqualTo(201);
        return h;
    }

    static void assertProblem(Http.Response r, int status, String slug) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("type").asString()).isEqualTo("https://kook.dev/problems/" + slug);
    }

    @Nested
    class Crud {
        @Test
        void postCreatesAGroupWithMembersAndChildren() {
            Http http = http();
            String child = group(http, "{}");
            String h = host(http);
            String g = uid("g");
            Http.Response r = http.post("/groups", Http.json(Map.of("name", g, "vars", Map.of("a", 1),
                    "hosts", List.of(h), "children", List.of(child))));
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.header("Location")).isEqualTo("/groups/" + g);
            JsonNode body = r.json();
            assertThat(body.get("hosts").toString()).isEqualTo("[\"" + h + "\"]");
            assertThat(body.get("children").toString()).isEqualTo("[\"" + child + "\"]");
            assertThat(body.get("parents").size()).isZero();
            assertThat(http.get("/groups/" + child).json().get("parents").toString()).isEqualTo("[\"" + g + "\"]");
            assertThat(http.get("/hosts/" + h).json().get("groups").toString()).isEqualTo("[\"" + g + "\"]");
        }

        @Test
        void postingAnExistingGroupIs409AndUnknownReferencesAre422() {
            Http http = http();
            String g = group(http, "{}");
            assertProblem(http.post("/groups", Http.json(Map.of("name", g))), 409, "already-exists");
            assertProblem(http.post("/groups", Http.json(Map.of("name", "all"))), 409, "already-exists");
            String fresh = uid("g");
            assertProblem(http.post("/groups", Http.json(Map.of("name", fresh, "hosts", List.of(uid("ghost"))))), 422, "unknown-reference");
            assertProblem(http.post("/groups", Http.json(Map.of("name", fresh, "children", List.of(uid("ghost"))))), 422, "unknown-reference");
            assertProblem(http.get("/groups/" + fresh), 404, "not-found");
        }

        @Test
        void badGroupNamesAre400() {
            Http http = http();
            for (String bad : List.of("-x", ".x", "a b", "a:b", "x".repeat(256))) {
                Http.Response r = http.post("/groups", Http.json(Map.of("name", bad)));
                assertProblem(r, 400, "invalid");
                assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
            }
        }

        @Test
        void putReplacesVarsAndLeavesAbsentListsUnchanged() {
            Http http = http();
            String child = group(http, "{}");
            String g = group(http, "{\"vars\":{\"a\":1},\"children\":[\"" + child + "\"]}");
            String h = host(http, g);
            Http.Response r = http.put("/groups/" + g, "{\"vars\":{\"b\":2}}");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("vars").toString()).isEqualTo("{\"b\":2}");
            assertThat(r.json().get("hosts").toString()).isEqualTo("[\"" + h + "\"]");
            assertThat(r.json().get("children").toString()).isEqualTo("[\"" + child + "\"]");
            r = http.put("/groups/" + g, "{\"hosts\":[],\"children\":[]}");
            assertThat(r.json().get("hosts").size()).isZero();
            assertThat(r.json().get("children").size()).isZero();
        }

        @Test
        void patchMergesVarsAndReplacesGivenLists() {
            Http http = http();
            String g = group(http, "{\"vars\":{\"a\":1,\"b\":2}}");
            String h = host(http);
            Http.Response r = http.patch("/groups/" + g, "{\"vars\":{\"a\":null,\"c\":3},\"hosts\":[\"" + h + "\"]}");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("vars").toString()).isEqualTo("{\"b\":2,\"c\":3}");
            assertThat(r.json().get("hosts").toString()).isEqualTo("[\"" + h + "\"]");
        }

        @Test
        void preconditionsApplyToGroups() {
            Http http = http();
            String g = group(http, "{}");
            String etag = http.get("/groups/" + g).header("ETag");
            assertProblem(http.put("/groups/" + g, "{}", "If-Match", "\"99\""), 412, "precondition-failed");
            assertProblem(http.put("/groups/" + g, "{}", "If-None-Match", "*"), 412, "precondition-failed");
            assertProblem(http.delete("/groups/" + g, "If-Match", "\"99\""), 412, "precondition-failed");
            assertThat(http.put("/groups/" + g, "{}", "If-Match", etag).status()).isEqualTo(200);
        }

        @Test
        void deletingAGroupRemovesItsEdgesAndMembershipsButKeepsHosts() {
            Http http = http();
            String parent = group(http, "{}");
            String child = group(http, "{}");
            String g = group(http, "{\"children\":[\"" + child + "\"]}");
            http.put("/groups/" + parent + "/children/" + g, null);
            String h = host(http, g);
            Http.Response r = http.delete("/groups/" + g);
            assertThat(r.status()).isEqualTo(204);
            assertProblem(http.get("/groups/" + g), 404, "not-found");
            assertThat(http.get("/hosts/" + h).json().get("groups").size()).isZero();
            assertThat(http.get("/groups/" + parent).json().get("children").size()).isZero();
            assertThat(http.get("/groups/" + child).json().get("parents").size()).isZero();
            assertProblem(http.delete("/groups/" + g), 404, "not-found");
        }

        @Test
        void listIsSortedAndIncludesTheImplicitGroups() {
            JsonNode list = http().get("/groups").json();
            List<String> names = new java.util.ArrayList<>();
            list.forEach(n -> names.add(n.get("name").asString()));
            assertThat(names).contains("all", "ungrouped").isSorted();
        }
    }

    @Nested
    class Members {
        @Test
        void addingAndRemovingAMemberIs204AndIdempotent() {
            Http http = http();
            String g = group(http, "{}");
            String h = host(http);
            assertThat(http.put("/groups/" + g + "/hosts/" + h, null).status()).isEqualTo(204);
            assertThat(http.put("/groups/" + g + "/hosts/" + h, null).status()).isEqualTo(204);
            assertThat(http.get("/groups/" + g + "/hosts").json().toString()).isEqualTo("[\"" + h + "\"]");
            assertThat(http.delete("/groups/" + g + "/hosts/" + h).status()).isEqualTo(204);
            assertThat(http.delete("/groups/" + g + "/hosts/" + h).status()).isEqualTo(204);
            assertThat(http.get("/groups/" + g + "/hosts").json().size()).isZero();
        }

        @Test
        void unknownHostOrGroupIs404() {
            Http http = http();
            String g = group(http, "{}");
            String h = host(http);
            assertProblem(http.put("/groups/" + g + "/hosts/" + uid("ghost"), null), 404, "not-found");
            assertProblem(http.put("/groups/" + uid("ghost") + "/hosts/" + h, null), 404, "not-found");
            assertProblem(http.delete("/groups/" + uid("ghost") + "/hosts/" + h), 404, "not-found");
        }

        @Test
        void transitiveMembersIncludeDescendants() {
            Http http = http();
            String leaf = group(http, "{}");
            String mid = group(http, "{\"children\":[\"" + leaf + "\"]}");
            String top = group(http, "{\"children\":[\"" + mid + "\"]}");
            String a = host(http, top);
            String b = host(http, leaf);
            assertThat(http.get("/groups/" + top + "/hosts").json().toString()).isEqualTo("[\"" + a + "\"]");
            JsonNode transitive = http.get("/groups/" + top + "/hosts?transitive=true").json();
            assertThat(transitive.toString()).isEqualTo(List.of(a, b).stream().sorted()
                    .map(s -> "\"" + s + "\"").toList().toString().replace(" ", ""));
        }
    }

    @Nested
    class Nesting {
        @Test
        void childThatWouldCloseACycleIsRejectedWith409() {
            Http http = http();
            String a = group(http, "{}");
            String b = group(http, "{}");
            String c = group(http, "{}");
            assertThat(http.put("/groups/" + a + "/children/" + b, null).status()).isEqualTo(204);
            assertThat(http.put("/groups/" + b + "/children/" + c, null).status()).isEqualTo(204);
            assertProblem(http.put("/groups/" + c + "/children/" + a, null), 409, "cycle");
            assertProblem(http.put("/groups/" + a + "/children/" + a, null), 409, "cycle");
            assertThat(http.get("/groups/" + c).json().get("children").size()).isZero();
        }

        @Test
        void aCycleThroughABodyIs409AndWritesNothing() {
            Http http = http();
            String a = group(http, "{}");
            String b = group(http, "{\"children\":[\"" + a + "\"]}");
            assertProblem(http.put("/groups/" + a, "{\"vars\":{\"x\":1},\"children\":[\"" + b + "\"]}"), 409, "cycle");
            assertThat(http.get("/groups/" + a).json().get("vars").size()).isZero();
            String self = uid("g");
            assertProblem(http.post("/groups", Http.json(Map.of("name", self, "children", List.of(self)))), 409, "cycle");
            assertProblem(http.get("/groups/" + self), 404, "not-found");
        }

        @Test
        void aGroupCreatedWithParentsIsNestedInTheSameWriteAndParentsReplaceLikeTheOtherLists() {
            Http http = http();
            String a = group(http, "{}");
            String b = group(http, "{}");
            String g = uid("g");
            Http.Response created = http.post("/groups", Http.json(Map.of("name", g, "parents", List.of(a))));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(created.json().get("parents").toString()).isEqualTo("[\"" + a + "\"]");
            assertThat(http.get("/groups/" + a).json().get("children").toString()).isEqualTo("[\"" + g + "\"]");
            assertThat(http.patch("/groups/" + g, "{\"parents\":[\"" + b + "\"]}").status()).isEqualTo(200);
            assertThat(http.get("/groups/" + g).json().get("parents").toString()).isEqualTo("[\"" + b + "\"]");
            assertThat(http.get("/groups/" + a).json().get("children").size()).isZero();
            assertThat(http.put("/groups/" + g, "{\"vars\":{\"x\":1}}").status()).as("absent parents stay").isEqualTo(200);
            assertThat(http.get("/groups/" + g).json().get("parents").toString()).isEqualTo("[\"" + b + "\"]");
            assertProblem(http.post("/groups", Http.json(Map.of("name", uid("g"), "parents", List.of(uid("ghost"))))),
                    422, "unknown-reference");
        }

        @Test
        void parentsThatWouldCloseACycleAre409AlsoTogetherWithTheBodysChildren() {
            Http http = http();
            String a = group(http, "{}");
            String b = group(http, "{\"children\":[\"" + a + "\"]}");
            assertProblem(http.put("/groups/" + b, "{\"parents\":[\"" + a + "\"]}"), 409, "cycle");
            String c = group(http, "{}");
            String g = uid("g");
            assertProblem(http.post("/groups", Http.json(Map.of("name", g, "parents", List.of(c),
                    "children", List.of(c)))), 409, "cycle");
            assertProblem(http.get("/groups/" + g), 404, "not-found");
            assertProblem(http.post("/groups", Http.json(Map.of("name", g, "parents", List.of(g)))), 409, "cycle");
            assertThat(http.get("/groups/" + a).json().get("children").size()).isZero();
        }

        @Test
        void removingAChildIs204AndIdempotentAndUnknownIs404() {
            Http http = http();
            String a = group(http, "{}");
            String b = group(http, "{}");
            http.put("/groups/" + a + "/children/" + b, null);
            assertThat(http.delete("/groups/" + a + "/children/" + b).status()).isEqualTo(204);
            assertThat(http.delete("/groups/" + a + "/children/" + b).status()).isEqualTo(204);
            assertThat(http.get("/groups/" + b).json().get("parents").size()).isZero();
            assertProblem(http.put("/groups/" + a + "/children/" + uid("ghost"), null), 404, "not-found");
        }
    }

    @Nested
    class ImplicitGroups {
        @Test
        void allHoldsVarsButNoMembersOrChildrenAndCannotBeDeleted() {
            Http http = http();
            assertThat(http.get("/groups/all").status()).isEqualTo(200);
            Http.Response r = http.patch("/groups/all", "{\"vars\":{\"ntp\":\"pool.ntp.org\"}}");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("vars").get("ntp").asString()).isEqualTo("pool.ntp.org");
            String h = host(http);
            String g = group(http, "{}");
            assertProblem(http.put("/groups/all/hosts/" + h, null), 400, "invalid");
            assertProblem(http.put("/groups/all/children/" + g, null), 400, "invalid");
            assertProblem(http.put("/groups/" + g + "/children/all", null), 400, "invalid");
            assertProblem(http.put("/groups/all", "{\"hosts\":[\"" + h + "\"]}"), 400, "invalid");
            assertProblem(http.delete("/groups/all"), 400, "invalid");
            assertThat(http.get("/hosts/" + h + "/vars").json().get("ntp").asString()).isEqualTo("pool.ntp.org");
            assertThat(http.get("/groups/all").json().get("children").toString()).contains("\"" + g + "\"");
        }

        @Test
        void ungroupedIsComputedAndReadOnly() {
            Http http = http();
            String h = host(http);
            assertThat(http.get("/groups/ungrouped/hosts").json().toString()).contains("\"" + h + "\"");
            String g = group(http, "{}");
            http.put("/groups/" + g + "/hosts/" + h, null);
            assertThat(http.get("/groups/ungrouped/hosts").json().toString()).doesNotContain("\"" + h + "\"");
            assertProblem(http.put("/groups/ungrouped", "{}"), 400, "invalid");
            assertProblem(http.put("/groups/ungrouped/hosts/" + h, null), 400, "invalid");
            assertProblem(http.delete("/groups/ungrouped"), 400, "invalid");
            assertProblem(http.post("/hosts", Http.json(Map.of("name", uid("h"), "groups", List.of("ungrouped")))), 400, "invalid");
        }
    }
}
