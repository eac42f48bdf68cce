package io.kook.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wiring of docker/compose.yaml, read as Compose reads it (anchors and merge keys resolved): a three-node
 * ZooKeeper ensemble that agrees on its members, and two Kook replicas that know every member and wait for it.
 * No Docker engine is needed.
 */
class ComposeFileTests {

    private static final Path COMPOSE = Path.of("docker", "compose.yaml");
    private static final List<String> NODES = List.of("zk1", "zk2", "zk3");

    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> zookeepers;
    private static Map<String, Map<String, Object>> kooks;

    @BeforeAll
    static void readComposeFile() throws IOException {
        try (Reader reader = Files.newBufferedReader(COMPOSE)) {
            compose = new Yaml().load(reader);
        }
        zookeepers = new LinkedHashMap<>();
        kooks = new LinkedHashMap<>();
        services().forEach((name, service) -> {
            if (String.valueOf(service.get("image")).startsWith("zookeeper:")) {
                zookeepers.put(name, service);
            } else if (service.containsKey("build")) {
                kooks.put(name, service);
            }
        });
    }

    @Test
    void ensembleIsThreeZooKeeperServicesWithIdsOneToThree() {
        assertThat(zookeepers).containsOnlyKeys(NODES);
        assertThat(zookeepers.values()).allSatisfy(zk -> assertThat(String.valueOf(zk.get("image"))).isEqualTo("zookeeper:3.9.5"));
        assertThat(zookeepers.values().stream().map(zk -> environment(zk).get("ZOO_MY_ID")).toList())
                .containsExactlyInAnyOrder("1", "2", "3");
        NODES.forEach(node -> assertThat(environment(zookeepers.get(node))).containsEntry("ZOO_MY_ID", node.substring(2)));
    }

    @Test
    void everyNodeListsTheSameThreeServersWithQuorumElectionAndClientPorts() {
        Set<String> lists = zookeepers.values().stream().map(zk -> environment(zk).get("ZOO_SERVERS")).collect(Collectors.toSet());
        assertThat(lists).hasSize(1);
        List<String> servers = Arrays.asList(lists.iterator().next().trim().split("\\s+"));
        assertThat(servers).containsExactly(
                "server.1=zk1:2888:3888;2181",
                "server.2=zk2:2888:3888;2181",
                "server.3=zk3:2888:3888;2181");
    }

    @Test
    void everyNodeKeepsDataAndTransactionLogsOnItsOwnNamedVolumes() {
        @SuppressWarnings("unchecked")
        Map<String, Object> declared = (Map<String, Object>) compose.get("volumes");
        assertThat(declared).isNotNull();
        Set<String> used = new HashSet<>();
        zookeepers.forEach((name, zk) -> {
            Map<String, String> mounts = volumeMounts(zk);
            assertThat(mounts).as(name).containsOnlyKeys("/data", "/datalog");
            assertThat(mounts.values()).as(name).allSatisfy(volume -> assertThat(declared).containsKey(volume));
            used.addAll(mounts.values());
        });
        assertThat(used).as("no two nodes share a volume").hasSize(2 * NODES.size());
    }

    @Test
    void zooKeeperHealthChecksAskRuokWhichTheWhitelistAllows() {
        zookeepers.forEach((name, zk) -> {
            assertThat(healthcheckCommand(zk)).as(name).contains("ruok").contains("2181");
            assertThat(Arrays.asList(environment(zk).get("ZOO_4LW_COMMANDS_WHITELIST").split(",")))
                    .as(name).contains("ruok", "srvr");
        });
    }

    @Test
    void thereAreTwoKookReplicasOnHostPorts8081And8082() {
        assertThat(kooks).containsOnlyKeys("kook1", "kook2");
        assertThat(kooks.get("kook1").get("ports")).isEqualTo(List.of("8081:8080"));
        assertThat(kooks.get("kook2").get("ports")).isEqualTo(List.of("8082:8080"));
    }

    @Test
    void kookReplicasAreBuiltFromTheDockerfileWithTheRepositoryAsContext() {
        kooks.forEach((name, kook) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> build = (Map<String, Object>) kook.get("build");
            assertThat(build).as(name).containsEntry("context", "..").containsEntry("dockerfile", "docker/Dockerfile");
            Path context = COMPOSE.toAbsolutePath().getParent().resolve("..").normalize();
            assertThat(context.resolve((String) build.get("dockerfile"))).as(name).isRegularFile();
        });
    }

    @Test
    void bothKookReplicasConnectToAllThreeNodes() {
        kooks.forEach((name, kook) -> {
            String connect = environment(kook).get("SPRING_CLOUD_ZOOKEEPER_CONNECT_STRING");
            assertThat(connect).as(name).isNotBlank();
            assertThat(Arrays.asList(connect.split(","))).as(name)
                    .containsExactlyInAnyOrder("zk1:2181", "zk2:2181", "zk3:2181");
        });
    }

    @Test
    void kookReplicasStartOnlyOnceEveryZooKeeperNodeIsHealthy() {
        kooks.forEach((name, kook) -> {
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> dependsOn = (Map<String, Map<String, Object>>) kook.get("depends_on");
            assertThat(dependsOn).as(name).containsOnlyKeys(NODES);
            assertThat(dependsOn.values()).as(name)
                    .allSatisfy(condition -> assertThat(condition).containsEntry("condition", "service_healthy"));
        });
    }

    @Test
    void kookHealthChecksAskForReadiness() {
        kooks.forEach((name, kook) -> assertThat(healthcheckCommand(kook)).as(name)
                .contains("http://127.0.0.1:8080/actuator/health/readiness"));
    }

    @Test
    void kookReplicasTakeTheBootstrapTokenFromTheEnvironmentFileAndRefuseToStartWithoutIt() throws IOException {
        kooks.forEach((name, kook) -> {
            Map<String, String> environment = environment(kook);
            // ${VAR:?message}: Compose substitutes it from docker/.env or the shell, and stops with the message if unset
            assertThat(environment.get("KOOK_SECURITY_BOOTSTRAP_TOKEN")).as(name)
                    .matches("\\$\\{KOOK_SECURITY_BOOTSTRAP_TOKEN:\\?[^}]*docker/\\.env[^}]*}");
            assertThat(environment.get("KOOK_ZOOKEEPER_AUTH_PASSWORD")).as(name)
                    .matches("\\$\\{KOOK_ZOOKEEPER_AUTH_PASSWORD:\\?[^}]*docker/\\.env[^}]*}");
            assertThat(environment.get("KOOK_ZOOKEEPER_AUTH_USERNAME")).as(name).isEqualTo("kook");
            environment.forEach((variable, value) -> {
                if (variable.matches(".*(TOKEN|PASSWORD|SECRET).*")) {
                    assertThat(value).as("%s of %s is substituted, never written here", variable, name).startsWith("${");
                }
            });
        });
        assertThat(Files.readAllLines(Path.of(".gitignore"))).as("docker/.env is never committed").contains("docker/.env");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    /** A service's environment, in either of Compose's forms (map, or list of KEY=value), values as strings. */
    private static Map<String, String> environment(Map<String, Object> service) {
        Object env = service.get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> map) {
            map.forEach((k, v) -> result.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (env instanceof List<?> list) {
            list.forEach(entry -> {
                String[] kv = String.valueOf(entry).split("=", 2);
                result.put(kv[0], kv.length > 1 ? kv[1] : null);
            });
        }
        return result;
    }

    /** Named-volume mounts (short syntax volume:path) by container path. */
    private static Map<String, String> volumeMounts(Map<String, Object> service) {
        @SuppressWarnings("unchecked")
        List<String> volumes = (List<String>) service.get("volumes");
        assertThat(volumes).isNotNull();
        Map<String, String> byPath = new LinkedHashMap<>();
        for (String volume : volumes) {
            String[] parts = volume.split(":");
            assertThat(parts[0]).as("%s is a named volume, not a bind mount", volume).doesNotContain("/").doesNotStartWith(".");
            byPath.put(parts[1], parts[0]);
        }
        return byPath;
    }

    /** The health check's test as one string, whether given as a list or a string. */
    private static String healthcheckCommand(Map<String, Object> service) {
        @SuppressWarnings("unchecked")
        Map<String, Object> healthcheck = (Map<String, Object>) service.get("healthcheck");
        assertThat(healthcheck).isNotNull();
        Object test = healthcheck.get("test");
        return test instanceof List<?> list
                ? list.stream().map(String::valueOf).collect(Collectors.joining(" "))
                : String.valueOf(test);
    }
}
