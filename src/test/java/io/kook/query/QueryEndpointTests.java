package io.kook.query;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.kook.support.Await;
import io.kook.support.Http;
import io.kook.support.KookTest;
import io.kook.support.KookTestSupport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /hosts?pattern=&filter=} and {@code GET /groups?filter=} over HTTP, against a real ZooKeeper. */
@KookTest
class QueryEndpointTests extends KookTestSupport {

    /** A prefix of names of this test's own, so tests sharing the replica never see each other's hosts. */
    private final String p = "q" + UUID.randomUUID().toString().substring(0, 8);

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<String> names(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        r.json().forEach(o -> names.add(o.get("name").asString()));
        return names;
    }

    private long group(Http http, String name, String vars, String... children) {
        Http.Response r = http.post("/groups", "{\"name\":\"" + name + "\",\"vars\":" + vars + ",\"children\":"
                + Http.JSON.writeValueAsString(List.of(children)) + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.revision();
    }

    private long host(Http http, String name, String vars, String... groups) {
        Http.Response r = http.post("/hosts", "{\"name\":\"" + name + "\",\"vars\":" + vars + ",\"groups\":"
                + Http.JSON.writeValueAsString(List.of(groups)) + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.revision();
    }

    private void assertInvalid(Http.Response r, String field, String detail) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("type").asString()).isEqualTo("https://kook.dev/problems/invalid");
        assertThat(r.json().get("detail").asString()).isEqualTo(detail);
        assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
    }

    @Nested
    class HostFilter {
        @Test
        void selectsOnOwnVarsEffectiveVarsAndDirectGroups() {
            Http http = http();
            group(http, p + "-web", "{\"region\":\"eu-west-1\",\"cpus\":1}");
            host(http, p + "-1", "{\"env\":\"prod\",\"cpus\":8}", p + "-web");
            host(http, p + "-2", "{\"env\":\"dev\"}", p + "-web");
            host(http, p + "-3", "{\"env\":\"prod\",\"cpus\":16}");
            String mine = "name matches \"^" + p + "-\"";
            assertThat(names(http.get("/hosts?filter=" + q(mine + " and vars.env == \"prod\""))))
                    .containsExactly(p + "-1", p + "-3");
            assertThat(names(http.get("/hosts?filter=" + q(mine + " and effective.region == `eu-west-1`"))))
                    .containsExactly(p + "-1", p + "-2");
            // effective: the host's own cpus beats its group's; p-2 inherits 1
            assertThat(names(http.get("/hosts?filter=" + q(mine + " and effective.cpus < 8"))))
                    .containsExactly(p + "-2");
            assertThat(names(http.get("/hosts?filter=" + q(mine + " and not \"" + p + "-web\" in groups"))))
                    .containsExactly(p + "-3");
            assertThat(names(http.get("/hosts?group=" + p + "-web&filter=" + q("vars.env != \"prod\""))))
                    .containsExactly(p + "-2");
        }

        @Test
        void pagesTheFilteredListWithALinkThatKeepsTheFilter() {
            Http http = http();
            for (int i = 0; i < 6; i++) {
                host(http, p + "-h" + i, "{\"n\":" + i + "}");
            }
            String filter = q("name matches \"^" + p + "-h\\\\d+\" and vars.n >= 1"); // a + and \\ survive the Link
            Http.Response first = http.get("/hosts?filter=" + filter + "&limit=2");
            assertThat(names(first)).containsExactly(p + "-h1", p + "-h2");
            String link = first.header("Link");
            assertThat(link).contains("rel=\"next\"").contains("after=" + p + "-h2").contains("filter=");
            String next = link.substring(link.indexOf('<') + 1, link.indexOf('>'));
            Http.Response second = http.get(next.substring(next.indexOf("/hosts")));
            assertThat(names(second)).containsExactly(p + "-h3", p + "-h4");
            Http.Response last = http.get("/hosts?filter=" + filter + "&limit=2&after=" + p + "-h4");
            assertThat(names(last)).containsExactly(p + "-h5");
            assertThat(last.header("Link")).isNull();
        }

        @Test
        void readsThePastAtARevision() {
            Http http = http();
            long before = host(http, p + "-1", "{\"env\":\"prod\"}");
            assertThat(http.patch("/hosts/" + p + "-1", "{\"vars\":{\"env\":\"dev\"}}").status()).isEqualTo(200);
            String filter = q("name == \"" + p + "-1\" and vars.env == \"prod\"");
            assertThat(names(http.get("/hosts?filter=" + filter))).isEmpty();
            assertThat(names(http.get("/hosts?filter=" + filter + "&atRevision=" + before))).containsExactly(p + "-1");
        }

        @Test
        void aMalformedFilterIs400NamingThePosition() {
            assertInvalid(http().get("/hosts?filter=" + q("vars.env ==")), "filter",
                    "filter: expected a value at position 12 (the end of the expression)");
            assertInvalid(http().get("/hosts?filter=" + q("vars.env == \"a\" or nope == 1")), "filter",
                    "filter: unknown selector 'nope' at position 20; expected one of effective, groups, name, vars, version");
            assertInvalid(http().get("/hosts?filter=" + q("name matches \"(\"")), "filter",
                    "filter: invalid regular expression at position 14: Unclosed group");
        }
    }

    @Nested
    class GroupFilter {
        @Test
        void selectsOnVarsNestingMembersAndEffectiveVars() {
            Http http = http();
            group(http, p + "-b", "{\"tier\":2}");
            group(http, p + "-a", "{\"tier\":1,\"site\":\"fra\"}", p + "-b");
            group(http, p + "-c", "{}");
            host(http, p + "-h", "{}", p + "-c");
            String mine = "name matches \"^" + p + "-\"";
            assertThat(names(http.get("/groups?filter=" + q(mine + " and \"" + p + "-a\" in parents"))))
                    .containsExactly(p + "-b");
            assertThat(names(http.get("/groups?filter=" + q(mine + " and children contains \"" + p + "-b\""))))
                    .containsExactly(p + "-a");
            assertThat(names(http.get("/groups?filter=" + q(mine + " and hosts is not empty"))))
                    .containsExactly(p + "-c");
            // effective: a child's own tier wins, the parent's site is inherited
            assertThat(names(http.get("/groups?filter=" + q(mine + " and effective.site == \"fra\" and effective.tier == 2"))))
                    .containsExactly(p + "-b");
            assertThat(names(http.get("/groups?filter=" + q(mine + " and vars is empty")))).containsExactly(p + "-c");
        }

        @Test
        void pagesAndReadsThePast() {
            Http http = http();
            long before = group(http, p + "-x", "{\"keep\":true}");
            group(http, p + "-y", "{\"keep\":true}");
            group(http, p + "-z", "{\"keep\":true}");
            String filter = q("name matches \"^" + p + "\" and vars.keep == true");
            Http.Response first = http.get("/groups?filter=" + filter + "&limit=2");
            assertThat(names(first)).containsExactly(p + "-x", p + "-y");
            assertThat(first.header("Link")).contains("after=" + p + "-y").contains("filter=");
            assertThat(names(http.get("/groups?filter=" + filter + "&atRevision=" + before))).containsExactly(p + "-x");
        }

        @Test
        void aMalformedFilterIs400NamingThePosition() {
            assertInvalid(http().get("/groups?filter=" + q("(vars.a == 1")), "filter",
                    "filter: expected ')' at position 13 (the end of the expression)");
            assertInvalid(http().get("/groups?filter=" + q("groups contains \"a\"")), "filter",
                    "filter: unknown selector 'groups' at position 1; expected one of children, effective, hosts, name,"
                            + " parents, vars, version");
        }
    }

    @Nested
    class HostPattern {
        @Test
        void combinesWithGroupFilterAndPaging() {
            Http http = http();
            group(http, p + "-web", "{}");
            group(http, p + "-prod", "{}");
            host(http, p + "-w1", "{\"n\":1}", p + "-web", p + "-prod");
            host(http, p + "-w2", "{\"n\":2}", p + "-web", p + "-prod");
            host(http, p + "-w3", "{\"n\":3}", p + "-web");
            host(http, p + "-db1", "{\"n\":4}", p + "-prod");
            assertThat(names(http.get("/hosts?pattern=" + q(p + "-web:&" + p + "-prod"))))
                    .containsExactly(p + "-w1", p + "-w2");
            assertThat(names(http.get("/hosts?pattern=" + q(p + "-prod:!" + p + "-web"))))
                    .containsExactly(p + "-db1");
            assertThat(names(http.get("/hosts?pattern=" + q("~" + p + "-w[13]")))).containsExactly(p + "-w1", p + "-w3");
            assertThat(names(http.get("/hosts?pattern=" + q(p + "-web[1:]")))).containsExactly(p + "-w2", p + "-w3");
            assertThat(names(http.get("/hosts?group=" + p + "-prod&pattern=" + q(p + "-w*"))))
                    .containsExactly(p + "-w1", p + "-w2");
            assertThat(names(http.get("/hosts?pattern=" + q(p + "-*") + "&filter=" + q("vars.n > 2"))))
                    .containsExactly(p + "-db1", p + "-w3");
            Http.Response page = http.get("/hosts?pattern=" + q(p + "-web") + "&limit=2");
            assertThat(names(page)).containsExactly(p + "-w1", p + "-w2");
            assertThat(page.header("Link")).contains("pattern=").contains("after=" + p + "-w2");
            assertThat(names(http.get("/hosts?pattern=" + q("nope-" + p)))).isEmpty();
        }

        @Test
        void readsThePastAtARevision() {
            Http http = http();
            group(http, p + "-g", "{}");
            long before = host(http, p + "-1", "{}");
            assertThat(http.put("/groups/" + p + "-g/hosts/" + p + "-1", null).status()).isEqualTo(204);
            assertThat(names(http.get("/hosts?pattern=" + p + "-g"))).containsExactly(p + "-1");
            assertThat(names(http.get("/hosts?pattern=" + p + "-g&atRevision=" + before))).isEmpty();
        }

        @Test
        void registeredServicesAreGroupsAsAnsibleSeesThem() {
            Http http = http();
            host(http, p + "-1", "{}");
            assertThat(http.put("/services/" + p + "/instances/" + p + "-1:8080?ttl=60s", null).status()).isEqualTo(201);
            Await.until(Duration.ofSeconds(10), "the registration to reach the mirror",
                    () -> names(http.get("/hosts?pattern=service_" + p)).equals(List.of(p + "-1")));
        }

        @Test
        void anInvalidPatternIs400() {
            assertInvalid(http().get("/hosts?pattern=" + q("~(")), "pattern",
                    "pattern: '~(' is not a valid host pattern: missing ), unterminated subpattern at position 1");
            assertInvalid(http().get("/hosts?pattern=" + q("@limit.txt")), "pattern",
                    "pattern: '@limit.txt' reads a limit file, which only a command line can do");
            assertThat(http().get("/hosts?group=nope-" + p + "&pattern=all").status()).isEqualTo(404);
        }
    }
}
