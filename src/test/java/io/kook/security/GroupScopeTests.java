package io.kook.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.kook.mirror.Mirror;
import io.kook.support.Await;
import io.kook.support.EventThreadBlocker;
import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A write token limited to groups changes only what lies inside them, before and after each write, on every path in.
 * Each test builds its own tree (names prefixed) on one replica:
 *
 * <pre>
 *   org (outside)            other (outside)
 *    └ team  (the scope)       hosts: o1, shared
 *       ├ web                 lone: in no group
 *       │  └ web-eu
 *       └ db
 *   hosts: w1 in web; w2 in web-eu; d1 in db and web; shared in web and other
 * </pre>
 */
class GroupScopeTests {

    private static final String ROOT = SharedZooKeeper.uniqueRoot("scopes");
    private static Replica kook;
    private static Http admin;

    private String p;
    private Http scoped;

    @BeforeAll
    static void start() {
        kook = Replica.start(SharedZooKeeper.connectString(), ROOT);
        admin = kook.http();
    }

    @AfterAll
    static void stop() {
        kook.close();
    }

    @BeforeEach
    void tree() {
        p = "s" + UUID.randomUUID().toString().substring(0, 6) + "-";
        created(admin.post("/groups", group("org", List.of())));
        created(admin.post("/groups", group("team", List.of("org"))));
        created(admin.post("/groups", group("web", List.of("team"))));
        created(admin.post("/groups", group("web-eu", List.of("web"))));
        created(admin.post("/groups", group("db", List.of("team"))));
        created(admin.post("/groups", group("other", List.of())));
        created(admin.post("/hosts", host("w1", "web")));
        created(admin.post("/hosts", host("w2", "web-eu")));
        created(admin.post("/hosts", host("d1", "db", "web")));
        created(admin.post("/hosts", host("shared", "web", "other")));
        created(admin.post("/hosts", host("o1", "other")));
        created(admin.post("/hosts", host("lone")));
        Http.Response token = admin.post("/tokens", Http.json(Map.of("name", p + "team-writer", "role", "write",
                "groups", List.of(p + "team"))));
        created(token);
        scoped = admin.as(token.json().get("secret").asString());
    }

    private String group(String name, List<String> parents) {
        return Http.json(Map.of("name", p + name, "parents", parents.stream().map(g -> p + g).toList()));
    }

    private String host(String name, String... groups) {
        return Http.json(Map.of("name", p + name, "groups", List.of(groups).stream().map(g -> p + g).toList()));
    }

    private String names(String... names) {
        return Http.json(Map.of("groups", List.of(names).stream().map(g -> p + g).toList()));
    }

    private static void created(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    private static void ok(Http.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
    }

    private static void forbidden(Http.Response response, String... inDetail) {
        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.json().get("type").asString()).isEqualTo("https://kook.dev/problems/forbidden");
        assertThat(response.json().get("detail").asString()).contains("nothing was changed");
        for (String expected : inDetail) {
            assertThat(response.json().get("detail").asString()).contains(expected);
        }
    }

    private String inventory() {
        return admin.get("/ansible/inventory").body();
    }

    @Test
    void aScopedTokenChangesWhatIsInsideItsScopeAtEveryLevel() {
        String vars = "{\"vars\":{\"owner\":\"team\"}}";
        for (String group : List.of("team", "web", "web-eu", "db")) {
            ok(scoped.patch("/groups/" + p + group, vars), 200);
        }
        ok(scoped.patch("/hosts/" + p + "w2", vars), 200);
        ok(scoped.patch("/hosts/" + p + "d1", vars), 200);
        created(scoped.post("/hosts", host("new", "web-eu", "db")));
        created(scoped.post("/groups", group("web-us", List.of("web"))));
        ok(scoped.put("/groups/" + p + "web-us/hosts/" + p + "new", null), 204);
        ok(scoped.put("/groups/" + p + "db/children/" + p + "web-us", null), 204);
        ok(scoped.patch("/hosts/" + p + "w1", names("web", "db")), 200);
        ok(scoped.delete("/hosts/" + p + "w1"), 204);
        ok(scoped.delete("/groups/" + p + "web-us"), 204);

        assertThat(admin.get("/hosts/" + p + "new").json().get("groups").toString())
                .isEqualTo("[\"" + p + "db\",\"" + p + "web-eu\"]");
        assertThat(admin.get("/groups/" + p + "team").json().get("vars").get("owner").asString()).isEqualTo("team");
        assertThat(admin.get("/hosts/" + p + "w1").status()).isEqualTo(404);
    }

    @Test
    void anythingOutsideTheScopeIsRefusedAndLeftAsItWas() {
        String before = inventory();
        String vars = "{\"vars\":{\"owner\":\"team\"}}";
        forbidden(scoped.patch("/groups/" + p + "org", vars), "group " + p + "org is outside it");
        forbidden(scoped.patch("/groups/" + p + "other", vars), "group " + p + "other is outside it");
        forbidden(scoped.patch("/groups/all", vars), "group all is outside it");
        forbidden(scoped.patch("/hosts/" + p + "o1", vars), "host " + p + "o1 is outside it");
        forbidden(scoped.patch("/hosts/" + p + "shared", vars), "it is in group " + p + "other, which is not inside");
        forbidden(scoped.patch("/hosts/" + p + "lone", vars), "it is in no group");
        forbidden(scoped.delete("/hosts/" + p + "shared"), "host " + p + "shared is outside it");
        forbidden(scoped.delete("/groups/" + p + "other"));
        assertThat(inventory()).isEqualTo(before);
    }

    @Test
    void movesAcrossTheBoundaryAreRefusedInBothDirections() {
        String before = inventory();
        // out of the scope
        forbidden(scoped.patch("/hosts/" + p + "w1", names("other")), "this write would take host " + p + "w1 out of it");
        forbidden(scoped.put("/groups/" + p + "other/hosts/" + p + "w1", null));
        forbidden(scoped.delete("/groups/" + p + "web/hosts/" + p + "w1"), "it is in no group");
        forbidden(scoped.delete("/groups/" + p + "web/children/" + p + "web-eu"),
                "this write would take group " + p + "web-eu out of it");
        forbidden(scoped.put("/groups/" + p + "other/children/" + p + "web-eu", null), "group " + p + "other is outside it");
        forbidden(scoped.patch("/groups/" + p + "web-eu", "{\"parents\":[\"" + p + "other\"]}"),
                "this write would take group " + p + "web-eu out of it");
        forbidden(scoped.delete("/groups/" + p + "web"), "host " + p + "shared is outside it");
        forbidden(scoped.delete("/groups/" + p + "team"));
        // into the scope
        forbidden(scoped.put("/groups/" + p + "web/hosts/" + p + "o1", null), "host " + p + "o1 is outside it");
        forbidden(scoped.put("/groups/" + p + "web/hosts/" + p + "lone", null), "host " + p + "lone is outside it");
        forbidden(scoped.put("/groups/" + p + "web/children/" + p + "other", null), "group " + p + "other is outside it");
        forbidden(scoped.patch("/groups/" + p + "org", "{\"children\":[]}"));
        // created outside
        forbidden(scoped.post("/groups", Http.json(Map.of("name", p + "top"))), "a scoped token creates groups only as children");
        forbidden(scoped.post("/groups", group("under-other", List.of("other"))));
        forbidden(scoped.put("/groups/" + p + "beside", "{\"parents\":[\"" + p + "web\",\"" + p + "other\"]}"));
        forbidden(scoped.post("/hosts", host("nowhere")), "host " + p + "nowhere would be created outside it");
        forbidden(scoped.post("/hosts", host("half", "web", "other")));
        assertThat(inventory()).as("every refused write left the inventory as it was").isEqualTo(before);

        // the same writes are valid for an unscoped writer: the scope refused them, nothing else
        ok(admin.patch("/hosts/" + p + "w1", names("other")), 200);
        ok(admin.put("/groups/" + p + "web/children/" + p + "other", null), 204);
    }

    @Test
    void theScopeFollowsNestingAsItChanges() {
        forbidden(scoped.patch("/hosts/" + p + "o1", "{\"vars\":{\"a\":1}}"));
        ok(admin.put("/groups/" + p + "db/children/" + p + "other", null), 204);
        ok(scoped.patch("/hosts/" + p + "o1", "{\"vars\":{\"a\":1}}"), 200);
        ok(scoped.patch("/hosts/" + p + "shared", "{\"vars\":{\"a\":1}}"), 200);
        ok(admin.delete("/groups/" + p + "db/children/" + p + "other"), 204);
        forbidden(scoped.patch("/hosts/" + p + "o1", "{\"vars\":{\"a\":2}}"));
        assertThat(admin.get("/hosts/" + p + "o1").json().get("vars").get("a").asInt()).isEqualTo(1);
    }

    @Test
    void aScopedImportChangesOnlyItsScopeOrNothingAtAll() {
        String inside = """
                [%1$sweb-eu]
                %1$sw2 imported=1
                %1$simp1
                [%1$sweb:children]
                %1$snew-team
                [%1$snew-team]
                %1$simp2
                """.formatted(p);
        Http.Response report = scoped.send("POST", "/ansible/inventory?mode=merge", "text/plain", inside);
        assertThat(report.status()).as(report.toString()).isEqualTo(200);
        assertThat(admin.get("/hosts/" + p + "imp2").json().get("groups").toString()).isEqualTo("[\"" + p + "new-team\"]");
        assertThat(admin.get("/groups/" + p + "new-team").json().get("parents").toString()).isEqualTo("[\"" + p + "web\"]");

        String before = inventory();
        String crossing = """
                [%1$sweb-eu]
                %1$simp3
                [%1$sother]
                %1$so1 b=2
                """.formatted(p);
        forbidden(scoped.send("POST", "/ansible/inventory?mode=merge", "text/plain", crossing), p + "other");
        forbidden(scoped.send("POST", "/ansible/inventory?mode=merge", "text/plain", "[" + p + "solo]\n" + p + "x\n"),
                "it is in group " + p + "solo, which is not inside");
        forbidden(scoped.send("POST", "/ansible/inventory?mode=merge", "text/plain", p + "ungrouped-host\n"));
        assertThat(scoped.send("POST", "/ansible/inventory?mode=replace", "text/plain", inside).status())
                .as("replace imports are for admins").isEqualTo(403);
        assertThat(inventory()).isEqualTo(before);
        assertThat(admin.get("/hosts/" + p + "imp3").status()).isEqualTo(404);
    }

    @Test
    void aScopedTokenRegistersInstancesOnlyForHostsInsideItsScope() {
        ok(scoped.put("/services/app/instances/" + p + "w2:8080", null), 201);
        forbidden(scoped.put("/services/app/instances/" + p + "o1:8080", null), "host " + p + "o1 is outside it");
        forbidden(scoped.put("/services/app/instances/" + p + "unknown:8080", null), "not in the inventory");
        ok(admin.put("/services/app/instances/" + p + "o1:8080", null), 201);
        forbidden(scoped.delete("/services/app/instances/" + p + "o1:8080"));
        ok(scoped.delete("/services/app/instances/" + p + "w2:8080"), 204);
    }

    @Test
    void aLaggingReplicaJudgesAScopedWriteByTheScopeItCommitsToNotTheOneItLastSaw() throws Exception {
        String root = SharedZooKeeper.uniqueRoot("scopes-lag");
        try (Replica a = Replica.start(SharedZooKeeper.connectString(), root);
             Replica b = Replica.start(SharedZooKeeper.connectString(), root)) {
            Http onA = a.http();
            created(onA.post("/groups", "{\"name\":\"team\"}"));
            created(onA.post("/groups", "{\"name\":\"web\",\"parents\":[\"team\"]}"));
            Http.Response host = onA.post("/hosts", "{\"name\":\"w\",\"vars\":{\"n\":0},\"groups\":[\"web\"]}");
            created(host);
            Http.Response token = onA.post("/tokens", "{\"name\":\"team\",\"role\":\"write\",\"groups\":[\"team\"]}");
            created(token);
            Http scopedOnB = b.http().as(token.json().get("secret").asString());
            Await.until(Duration.ofSeconds(30), "replica b knows the token and the host",
                    () -> scopedOnB.get("/hosts/w?minRevision=" + host.revision()).status() == 200);

            // b's mirror stops while a takes web (and w with it) out of the scope: b's plan must not be the last word
            Http.Response refused;
            try (EventThreadBlocker lag = EventThreadBlocker.block(b.bean(CuratorFramework.class))) {
                ok(onA.delete("/groups/team/children/web"), 204);
                assertThat(b.bean(Mirror.class).snapshot().group("web").parents()).containsExactly("team");
                lag.releaseAfter(1500);
                refused = scopedOnB.patch("/hosts/w", "{\"vars\":{\"n\":1}}");
            }
            forbidden(refused, "host w is outside it");
            assertThat(onA.get("/hosts/w").json().get("vars").get("n").asInt()).isZero();

            // and the other way: a lagging replica does not refuse what another replica has just put inside
            try (EventThreadBlocker lag = EventThreadBlocker.block(b.bean(CuratorFramework.class))) {
                ok(onA.put("/groups/team/children/web", null), 204);
                assertThat(b.bean(Mirror.class).snapshot().group("web").parents()).isEmpty();
                lag.releaseAfter(1500);
                ok(scopedOnB.patch("/hosts/w", "{\"vars\":{\"n\":2}}"), 200);
            }
            assertThat(onA.get("/hosts/w").json().get("vars").get("n").asInt()).isEqualTo(2);
        }
    }

    @Test
    void onlyWriteTokensTakeGroupsAndNeverTheImplicitOnes() {
        for (String role : List.of("read", "register", "admin")) {
            Http.Response response = admin.post("/tokens", Http.json(Map.of("name", p + role, "role", role,
                    "groups", List.of(p + "team"))));
            assertThat(response.status()).as(response.toString()).isEqualTo(400);
            assertThat(response.body()).contains("only a write token can be limited to groups");
        }
        for (String implicit : List.of("all", "ungrouped")) {
            Http.Response response = admin.post("/tokens", Http.json(Map.of("name", p + implicit, "role", "write",
                    "groups", List.of(implicit))));
            assertThat(response.status()).as(response.toString()).isEqualTo(400);
        }
    }
}
