package io.kook.ansible.collection;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.kook.ansible.AnsibleInventoryComparison;
import io.kook.ansible.AnsibleTool;
import io.kook.support.Await;
import io.kook.support.Http;
import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import io.kook.support.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Ansible collection {@code kook.kook} through the real ansible-core: installed from the tarball a Kook
 * replica serves without a token, then its inventory plugin and modules run against that replica.
 */
class KookCollectionTests {

    static final Path SOURCES = Path.of("src/main/ansible/ansible_collections/kook/kook");

    private static Replica kook;
    private static Ansible ansible;
    private static Path tarball;

    @BeforeAll
    static void installTheCollectionKookServes() throws Exception {
        AnsibleTool.requireAnsible();
        kook = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("collection"));
        ansible = new Ansible(kook.port());
        tarball = ansible.home().resolve("kook-kook.tar.gz");
        HttpResponse<Path> download = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(kook.http().base() + "/ansible/kook-kook.tar.gz"))
                        .timeout(Duration.ofSeconds(30)).build(),  // no Authorization: the download is open
                HttpResponse.BodyHandlers.ofFile(tarball));
        assertThat(download.statusCode()).as("GET /ansible/kook-kook.tar.gz without a token").isEqualTo(200);
        ansible.installCollection(tarball);
    }

    @AfterAll
    static void stop() {
        if (kook != null) {
            kook.close();
        }
    }

    private static Path write(String name, String content) throws IOException {
        return Files.writeString(ansible.home().resolve(name), content);
    }

    private static void importInventory(Path file) throws IOException {
        String type = file.toString().endsWith(".ini") ? "text/plain" : "application/yaml";
        Http.Response imported = kook.http().send("POST", "/ansible/inventory?mode=replace", type, Files.readString(file));
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
    }

    private static JsonNode json(String text) {
        return Http.JSON.readTree(text);
    }

    @Nested
    class Artifact {

        @Test
        void theServedTarballHoldsWhatAnsibleGalaxyBuildMakesOfTheSources() throws Exception {
            Path out = Files.createTempDirectory(ansible.home(), "build");
            ansible.run(List.of("ansible-galaxy", "collection", "build", "--output-path", out.toString(),
                    SOURCES.toAbsolutePath().toString()), Map.of()).ok();
            Path built;
            try (Stream<Path> files = Files.list(out)) {
                built = files.filter(p -> p.toString().endsWith(".tar.gz")).findFirst().orElseThrow();
            }
            Map<String, byte[]> ours = Tarballs.read(tarball);
            Map<String, byte[]> galaxy = Tarballs.read(built);

            assertThat(ours.keySet()).containsExactlyInAnyOrderElementsOf(galaxy.keySet());
            List<String> names = new ArrayList<>(ours.keySet());
            assertThat(names.subList(0, 2)).containsExactly("MANIFEST.json", "FILES.json");
            assertThat(names.subList(2, names.size())).isSorted();
            for (String name : ours.keySet()) {
                if (!name.endsWith(".json") || name.contains("/")) {
                    assertThat(ours.get(name)).as(name).isEqualTo(galaxy.get(name));
                }
            }
            JsonNode manifest = json(Tarballs.utf8(ours.get("MANIFEST.json")));
            assertThat(manifest.get("collection_info"))
                    .isEqualTo(json(Tarballs.utf8(galaxy.get("MANIFEST.json"))).get("collection_info"));
            assertThat(manifest.at("/file_manifest_file/chksum_sha256").asString())
                    .isEqualTo(sha256(ours.get("FILES.json")));
            assertThat(fileEntries(ours.get("FILES.json"))).isEqualTo(fileEntries(galaxy.get("FILES.json")));
        }

        @Test
        void theTarballIsByteForByteTheSameWhenBuiltAgain() throws Exception {
            Path again = ansible.home().resolve("again.tar.gz");
            String classPath = System.getProperty("java.class.path");
            ansible.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                    Path.of("src/build/java/CollectionTarball.java").toAbsolutePath().toString(),
                    SOURCES.toAbsolutePath().toString(), again.toString()), Map.of()).ok();
            assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(tarball));
        }

        @Test
        void theSourceDirectoryInstallsTheSameFiles() throws Exception {
            Path elsewhere = Files.createTempDirectory(ansible.home(), "from-dir");
            ansible.run(List.of("ansible-galaxy", "collection", "install", "-p", elsewhere.toString(),
                    SOURCES.toAbsolutePath().toString()), Map.of()).ok();
            Path fromDir = elsewhere.resolve("ansible_collections/kook/kook/FILES.json");
            Path fromTarball = ansible.collections().resolve("ansible_collections/kook/kook/FILES.json");
            assertThat(fileEntries(Files.readAllBytes(fromDir))).isEqualTo(fileEntries(Files.readAllBytes(fromTarball)));
        }

        @Test
        void everyPluginAndModuleHasItsDocumentationExamplesAndReturnValues() throws Exception {
            JsonNode modules = json(ansible.run(List.of("ansible-doc", "--json", "kook.kook.host", "kook.kook.group",
                    "kook.kook.registration"), Map.of()).ok().out());
            for (String module : List.of("kook.kook.host", "kook.kook.group", "kook.kook.registration")) {
                JsonNode doc = modules.get(module);
                assertThat(doc).as(module).isNotNull();
                assertThat(doc.at("/doc/short_description").asString()).as(module).isNotBlank();
                assertThat(doc.at("/doc/options/url").isMissingNode()).as(module + " has the connection options").isFalse();
                assertThat(doc.at("/doc/attributes/check_mode/support").asString()).isEqualTo("full");
                assertThat(doc.get("examples").asString()).as(module).contains(module);
                assertThat(doc.get("return").isObject()).as(module).isTrue();
            }
            JsonNode plugin = json(ansible.run(List.of("ansible-doc", "--json", "-t", "inventory",
                    "kook.kook.inventory"), Map.of()).ok().out()).get("kook.kook.inventory");
            assertThat(plugin.at("/doc/options").propertyNames()).contains("url", "token", "validate_certs", "ca_path",
                    "timeout", "pattern", "filter", "at_revision", "compose", "keyed_groups", "groups", "strict",
                    "cache", "cache_plugin");
            assertThat(plugin.get("examples").asString()).contains("plugin: kook.kook.inventory");
            assertThat(ansible.run(List.of("ansible-doc", "-t", "inventory", "kook.kook.inventory"), Map.of()).ok().out())
                    .contains("If-None-Match");
        }

        private static String sha256(byte[] bytes) throws Exception {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }

        /** FILES.json's entries by name (the order of a directory walk is the file system's, not ours). */
        private static Map<String, JsonNode> fileEntries(byte[] filesJson) {
            Map<String, JsonNode> entries = new TreeMap<>();
            json(Tarballs.utf8(filesJson)).get("files").forEach(e -> entries.put(e.get("name").asString(), e));
            return entries;
        }
    }

    @Nested
    class InventoryPlugin {

        /** Kook's own inventories and the shared ones, as paths relative to src/test/resources/ansible. */
        static Stream<String> inventories() throws IOException {
            List<String> all = new ArrayList<>();
            for (Path folder : List.of(AnsibleTool.OWN, AnsibleTool.SHARED)) {
                try (Stream<Path> files = Files.list(folder)) {
                    files.map(p -> folder.getFileName() + "/" + p.getFileName())
                            .filter(n -> n.endsWith(".ini") || n.endsWith(".yml")).sorted().forEach(all::add);
                }
            }
            return all.stream();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("inventories")
        void listsAnImportedInventoryExactlyAsAnsibleListsTheFile(String file) throws Exception {
            Path source = AnsibleTool.OWN.getParent().resolve(file);
            importInventory(source);
            Path config = write("plain.kook.yml", "plugin: kook.kook.inventory\n");
            AnsibleInventoryComparison.assertSame(file, AnsibleTool.listFile(source), "the plugin",
                    AnsibleTool.json(ansible.inventoryList(config).ok().out()));
        }

        @Test
        void composeGroupsAndKeyedGroupsSeeEachHostsEffectiveVars() throws Exception {
            importInventory(write("constructed.ini", """
                    [web]
                    web1 os=debian
                    web2 os=rhel
                    [web:vars]
                    tier=front
                    [db]
                    db1 os=debian
                    """));
            Path config = write("constructed.kook.yml", """
                    plugin: kook.kook.inventory
                    strict: true
                    keyed_groups:
                      - key: os
                        prefix: os
                    groups:
                      front: tier | default('') == 'front'
                    compose:
                      fqdn: inventory_hostname ~ '.example.com'
                    """);
            JsonNode list = json(ansible.inventoryList(config).ok().out());
            assertThat(names(list.at("/os_debian/hosts"))).containsExactlyInAnyOrder("web1", "db1");
            assertThat(names(list.at("/os_rhel/hosts"))).containsExactly("web2");
            assertThat(names(list.at("/front/hosts"))).containsExactlyInAnyOrder("web1", "web2");
            assertThat(list.at("/_meta/hostvars/db1/fqdn").asString()).isEqualTo("db1.example.com");
        }

        @Test
        void atRevisionListsTheInventoryAsItWasThen() throws Exception {
            Path before = AnsibleTool.OWN.resolve("group_priority.ini");
            importInventory(before);
            long revision = kook.http().get("/hosts").revision();
            importInventory(AnsibleTool.OWN.resolve("yaml_types.yml"));
            Path config = write("past.kook.yml", "plugin: kook.kook.inventory\nat_revision: " + revision + "\n");
            AnsibleInventoryComparison.assertSame("group_priority.ini", AnsibleTool.listFile(before),
                    "the plugin at revision " + revision, AnsibleTool.json(ansible.inventoryList(config).ok().out()));
        }

        @Test
        void aRefusedTokenFailsTheSourceWithKooksDetail() throws Exception {
            Path config = write("refused.kook.yml", "plugin: kook.kook.inventory\ntoken: not-a-token\n");
            Ansible.Run run = ansible.inventoryList(config);
            assertThat(run.exit()).isNotZero();
            assertThat(run.err()).contains("401").contains("the bearer token is unknown, expired or revoked");
        }

        @Test
        void patternAndFilterKeepOnlyTheHostsKookSelects() throws Exception {
            importInventory(write("selected.ini", """
                    [web]
                    web1 env=prod
                    web2 env=dev
                    [db]
                    db1 env=prod
                    """));
            Path config = write("selected.kook.yml", """
                    plugin: kook.kook.inventory
                    pattern: "web:db"
                    filter: 'effective.env == "prod"'
                    """);
            JsonNode list = json(ansible.inventoryList(config).ok().out());
            assertThat(names(list.at("/_meta/hostvars").propertyNames())).containsExactlyInAnyOrder("web1", "db1");
            assertThat(names(list.at("/web/hosts"))).containsExactly("web1");
        }
    }

    @Nested
    class Cache {

        @Test
        void aCachedInventoryIsRevalidatedWith304AndARunAfterAWriteGetsTheNewDocument() throws Exception {
            importInventory(AnsibleTool.OWN.resolve("host_ranges_more.ini"));
            Path cacheDir = Files.createTempDirectory(ansible.home(), "inventory-cache");
            Path config = write("cached.kook.yml", """
                    plugin: kook.kook.inventory
                    cache: true
                    cache_plugin: ansible.builtin.jsonfile
                    cache_connection: %s
                    cache_timeout: 0
                    """.formatted(cacheDir));
            Map<Integer, Long> start = inventoryGets();

            String first = ansible.inventoryList(config).ok().out();
            awaitInventoryGets(start, 1, 0);
            String second = ansible.inventoryList(config).ok().out();
            awaitInventoryGets(start, 1, 1);
            assertThat(json(second)).as("the cached document").isEqualTo(json(first));

            assertThat(kook.http().put("/hosts/cache-probe", "{\"vars\":{\"fresh\":true}}").status()).isEqualTo(201);
            JsonNode third = json(ansible.inventoryList(config).ok().out());
            awaitInventoryGets(start, 2, 1);
            assertThat(third.at("/_meta/hostvars/cache-probe/fresh").asBoolean()).isTrue();
            JsonNode fourth = json(ansible.inventoryList(config).ok().out());
            awaitInventoryGets(start, 2, 2);
            assertThat(fourth).isEqualTo(third);
        }

        private static final Pattern COUNT = Pattern.compile(
                "http_server_requests_seconds_count\\{([^}]*)} ([0-9.eE+]+)");

        /** Kook's own count of GET /ansible/inventory answers, by status (Micrometer's http.server.requests). */
        private static Map<Integer, Long> inventoryGets() {
            Map<Integer, Long> counts = new TreeMap<>(Map.of(200, 0L, 304, 0L));
            Matcher m = COUNT.matcher(kook.http().get("/actuator/prometheus").body());
            while (m.find()) {
                String labels = m.group(1);
                if (labels.contains("method=\"GET\"") && labels.contains("uri=\"/ansible/inventory\"")) {
                    Matcher status = Pattern.compile("status=\"(\\d+)\"").matcher(labels);
                    if (status.find()) {
                        counts.merge(Integer.parseInt(status.group(1)), (long) Double.parseDouble(m.group(2)), Long::sum);
                    }
                }
            }
            return counts;
        }

        private static void awaitInventoryGets(Map<Integer, Long> start, long ok, long notModified) {
            Await.until(Duration.ofSeconds(10), ok + " full answers and " + notModified + " 304s since the start", () -> {
                Map<Integer, Long> now = inventoryGets();
                return now.get(200) - start.get(200) == ok && now.get(304) - start.get(304) == notModified;
            });
            Map<Integer, Long> now = inventoryGets();
            assertThat(now.get(200) - start.get(200)).as("200s").isEqualTo(ok);
            assertThat(now.get(304) - start.get(304)).as("304s").isEqualTo(notModified);
        }
    }

    @Nested
    class Modules {

        /** Tasks whose results the play writes to results.json (register + copy), so the test reads them as JSON. */
        private static String play(Path results, String... tasks) {
            StringBuilder yaml = new StringBuilder("""
                    - hosts: localhost
                      connection: local
                      gather_facts: false
                      tasks:
                    """);
            List<String> registered = new ArrayList<>();
            for (int i = 0; i < tasks.length; i++) {
                yaml.append(tasks[i].stripTrailing().indent(4)).append("      register: t").append(i).append('\n')
                        .append("      ignore_errors: true\n");
                registered.add("t" + i);
            }
            yaml.append("""
                        - ansible.builtin.copy:
                            content: "{{ [%s] | to_json }}"
                            dest: %s
                          check_mode: false
                    """.formatted(String.join(", ", registered), results));
            return yaml.toString();
        }

        private static List<JsonNode> results(String playbook, String... options) throws Exception {
            Path results = ansible.home().resolve("results.json");
            Files.deleteIfExists(results);
            Ansible.Run run = ansible.playbook(playbook.replace("RESULTS", results.toString()), options).ok();
            assertThat(results).as(run.out()).exists();
            List<JsonNode> list = new ArrayList<>();
            json(Files.readString(results)).forEach(list::add);
            return list;
        }

        private static final String[] CREATE = {
                "- kook.kook.group: {name: m-eu, vars: {region: eu}}",
                "- kook.kook.group: {name: m-web, parents: [m-eu], vars: {role: web}}",
                "- kook.kook.group: {name: m-db}",
                "- kook.kook.host: {name: m-web1, groups: [m-web], vars: {http_port: 8080, big: 12345678901234567890, one: '1'}}",
                "- kook.kook.host: {name: m-web2, groups: [m-web, m-db]}",
                "- kook.kook.registration: {service: m-api, host: m-web1, port: 8443, ttl: 60, metadata: {v: 1}}",
        };

        @Test
        void checkModeWritesNothingARunWritesEverythingAndARerunChangesNothing() throws Exception {
            String playbook = play(Path.of("RESULTS"), CREATE);

            List<JsonNode> checked = results(playbook, "--check", "--diff");
            assertThat(checked).allSatisfy(r -> {
                assertThat(r.get("failed") == null || !r.get("failed").asBoolean()).as(r.toString()).isTrue();
                assertThat(r.get("changed").asBoolean()).as(r.toString()).isTrue();
                assertThat(r.at("/diff/after").isObject()).as(r.toString()).isTrue();
            });
            assertThat(kook.http().get("/groups/m-eu").status()).as("check mode writes nothing").isEqualTo(404);
            assertThat(kook.http().get("/hosts/m-web1").status()).isEqualTo(404);
            assertThat(kook.http().get("/services/m-api").json().size()).isZero();

            List<JsonNode> applied = results(playbook, "--diff");
            assertThat(applied).allSatisfy(r -> assertThat(r.get("changed").asBoolean()).as(r.toString()).isTrue());
            JsonNode web1 = kook.http().get("/hosts/m-web1").json();
            assertThat(web1.at("/vars/http_port").isIntegralNumber()).isTrue();
            assertThat(web1.at("/vars/big").bigIntegerValue()).isEqualTo(new BigInteger("12345678901234567890"));
            assertThat(web1.at("/vars/one").isString()).as("'1' stays a string").isTrue();
            assertThat(names(kook.http().get("/hosts/m-web2").json().get("groups"))).containsExactly("m-db", "m-web");
            assertThat(names(kook.http().get("/groups/m-web").json().get("parents"))).containsExactly("m-eu");
            JsonNode instance = kook.http().get("/services/m-api").json().get(0);
            assertThat(instance.get("port").asInt()).isEqualTo(8443);
            assertThat(instance.get("ttlMillis").asLong()).isEqualTo(60_000);

            List<JsonNode> rerun = results(playbook);
            assertThat(rerun).allSatisfy(r -> assertThat(r.get("changed").asBoolean()).as(r.toString()).isFalse());
        }

        @Test
        void changesShowTheirDiffVarsMergeOrReplaceDeletesDeregisterAndErrorsQuoteKook() throws Exception {
            Http http = kook.http();
            assertThat(http.put("/groups/c-web", "{\"vars\":{}}").status()).isEqualTo(201);
            assertThat(http.put("/groups/c-old", "{\"vars\":{}}").status()).isEqualTo(201);
            assertThat(http.put("/hosts/c-web1", "{\"vars\":{\"a\":1,\"b\":2},\"groups\":[\"c-web\"]}").status()).isEqualTo(201);
            assertThat(http.put("/hosts/c-web2", "{\"vars\":{\"a\":1,\"b\":2},\"groups\":[\"c-web\"]}").status()).isEqualTo(201);
            assertThat(http.put("/services/c-api/instances/c-web1:80?ttl=60s", "{\"metadata\":{}}").status()).isEqualTo(201);
            String playbook = play(Path.of("RESULTS"),
                    "- kook.kook.host: {name: c-web1, vars: {b: ~, c: 3}}",
                    "- kook.kook.host: {name: c-web2, vars: {z: 26}, vars_mode: replace, groups: []}",
                    "- kook.kook.group: {name: c-old, state: absent}",
                    "- kook.kook.host: {name: c-never-there, state: absent}",
                    "- kook.kook.host: {name: c-web3, groups: [c-nosuch]}",
                    "- kook.kook.group: {name: c-web, token: not-a-token}",
                    "- kook.kook.group: {name: c-web, children: [c-web]}",
                    "- kook.kook.registration: {service: c-api, host: c-web1, port: 80, state: absent}");

            List<JsonNode> first = results(playbook, "--diff");
            assertThat(first.get(0).get("changed").asBoolean()).isTrue();
            assertThat(first.get(0).at("/diff/before/vars/b").asInt()).isEqualTo(2);
            assertThat(first.get(0).at("/diff/after/vars").propertyNames()).containsExactlyInAnyOrder("a", "c");
            assertThat(http.get("/hosts/c-web1").json().get("vars")).isEqualTo(json("{\"a\":1,\"c\":3}"));
            assertThat(http.get("/hosts/c-web2").json().get("vars")).isEqualTo(json("{\"z\":26}"));
            assertThat(http.get("/hosts/c-web2").json().get("groups").size()).isZero();
            assertThat(first.get(2).get("changed").asBoolean()).isTrue();
            assertThat(http.get("/groups/c-old").status()).isEqualTo(404);
            assertThat(first.get(3).get("changed").asBoolean()).isFalse();
            assertThat(first.get(4).get("msg").asString()).contains("422").contains("group c-nosuch does not exist");
            assertThat(http.get("/hosts/c-web3").status()).as("a refused write leaves nothing").isEqualTo(404);
            assertThat(first.get(5).get("msg").asString()).contains("401")
                    .contains("the bearer token is unknown, expired or revoked");
            assertThat(first.get(6).get("msg").asString()).contains("409");
            assertThat(first.subList(4, 7)).allSatisfy(r -> assertThat(r.get("failed").asBoolean()).isTrue());
            assertThat(first.get(7).get("changed").asBoolean()).isTrue();
            assertThat(first.get(7).at("/diff/before/port").asInt()).isEqualTo(80);
            assertThat(http.get("/services/c-api").json().size()).as("deregistered").isZero();

            List<JsonNode> again = results(playbook, "--diff");
            assertThat(again.subList(0, 4)).allSatisfy(r -> assertThat(r.get("changed").asBoolean()).as(r.toString()).isFalse());
            assertThat(again.get(7).get("changed").asBoolean()).isFalse();
        }
    }

    @Nested
    class Tls {

        @Test
        void overHttpsThePluginAndTheModulesVerifyKooksCertificateAgainstCaPathOrNotAtAll(@TempDir Path dir)
                throws Exception {
            TestCertificates certificates = TestCertificates.create(dir);
            Path serverKeyStore = certificates.issue("server");
            try (Replica tls = Replica.launch(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("collection-tls"),
                    "server.ssl.bundle=kook",
                    "spring.ssl.bundle.jks.kook.keystore.location=file:" + serverKeyStore,
                    "spring.ssl.bundle.jks.kook.keystore.password=" + certificates.password(),
                    "spring.ssl.bundle.jks.kook.keystore.type=PKCS12",
                    "spring.ssl.bundle.jks.kook.key.alias=server")) {
                String url = "https://127.0.0.1:" + tls.port();
                HttpClient trusting = HttpClient.newBuilder().sslContext(certificates.clientContext()).build();
                Await.until(Duration.ofSeconds(30), "readiness over HTTPS", () -> {
                    try {
                        return trusting.send(HttpRequest.newBuilder(URI.create(url + "/actuator/health/readiness")).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                });
                String base = "plugin: kook.kook.inventory\nurl: " + url + "\n";

                Ansible.Run untrusted = ansible.inventoryList(write("untrusted.kook.yml", base));
                assertThat(untrusted.exit()).isNotZero();
                assertThat(untrusted.err()).containsIgnoringCase("certificate verify failed");

                ansible.inventoryList(write("trusted.kook.yml", base + "ca_path: " + certificates.caPem() + "\n")).ok();
                ansible.inventoryList(write("unverified.kook.yml", base + "validate_certs: false\n")).ok();

                ansible.run(List.of("ansible", "localhost", "-m", "kook.kook.host", "-a",
                        "name=tls1 url=" + url + " ca_path=" + certificates.caPem()), Map.of()).ok();
                Await.until(Duration.ofSeconds(10), "tls1 in the mirror",
                        () -> tls.bean(io.kook.mirror.Mirror.class).snapshot().host("tls1") != null);
            }
        }
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asString()));
        return names;
    }

    private static List<String> names(java.util.Collection<String> names) {
        return new ArrayList<>(names);
    }
}
