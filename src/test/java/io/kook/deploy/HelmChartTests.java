package io.kook.deploy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import com.sun.net.httpserver.HttpServer;
import com.marcnuri.helm.Helm;
import io.kook.KookProperties;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import org.junit.jupiter.api.Nested;
import org.springframework.boot.autoconfigure.ssl.PemSslBundleProperties;
import org.springframework.boot.autoconfigure.ssl.SslProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * helm/kook, linted and rendered offline through helm-java (Helm's own Go library, no helm binary, no
 * cluster), then read back as Kubernetes objects: selectors that select, probes on the actuator groups, and a
 * ZooKeeper ensemble whose members and clients agree on its DNS names.
 */
class HelmChartTests {

    private static final Path CHART = Path.of("helm", "kook");
    private static final String RELEASE = "inv";
    private static final String NAMESPACE = "inventory";
    private static final String KOOK = "inv-kook";
    private static final String ZOOKEEPER = "inv-kook-zookeeper";
    private static final String HEADLESS = "inv-kook-zookeeper-headless";
    private static final List<String> ZOOKEEPER_PODS = IntStream.range(0, 3)
            .mapToObj(i -> ZOOKEEPER + "-" + i + "." + HEADLESS + "." + NAMESPACE + ".svc.cluster.local").toList();

    private static final Map<List<String>, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();

    @Test
    void chartPassesHelmLintInStrictMode() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }

    @Nested
    class WithTheBundledEnsemble {

        @Test
        void deploymentSelectorMatchesItsPodLabels() {
            Map<String, Object> deployment = only("Deployment", render());
            assertThat(labels(deployment, "spec.template.metadata.labels"))
                    .containsAllEntriesOf(labels(deployment, "spec.selector.matchLabels"));
        }

        @Test
        void deploymentRunsTwoReplicasByDefault() {
            assertThat((Integer) at(only("Deployment", render()), "spec.replicas")).isEqualTo(2);
        }

        @Test
        void probesUseTheActuatorHealthGroupsOnTheHttpPort() {
            Map<String, Object> container = at(only("Deployment", render()), "spec.template.spec.containers.0");
            assertThat((String) at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
            assertThat((String) at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
            assertThat((String) at(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertThat((Object) at(container, probe + ".httpGet.port")).isEqualTo("http");
            }
            assertThat((String) at(container, "ports.0.name")).isEqualTo("http");
            assertThat((Integer) at(container, "ports.0.containerPort")).isEqualTo(8080);
        }

        @Test
        void kookServiceSelectsKookPodsButNoZooKeeperPod() {
            List<Map<String, Object>> objects = render();
            Map<String, Object> service = named("Service", KOOK, objects);
            Map<String, String> selector = labels(service, "spec.selector");
            assertThat(labels(only("Deployment", objects), "spec.template.metadata.labels")).containsAllEntriesOf(selector);
            assertThat(selects(selector, labels(only("StatefulSet", objects), "spec.template.metadata.labels"))).isFalse();
            assertThat((String) at(service, "spec.ports.0.targetPort")).isEqualTo("http");
        }

        @Test
        void kookAndZooKeeperEachHaveADisruptionBudgetThatSelectsThem() {
            List<Map<String, Object>> objects = render();
            Map<String, Object> kookBudget = named("PodDisruptionBudget", KOOK, objects);
            Map<String, Object> zookeeperBudget = named("PodDisruptionBudget", ZOOKEEPER, objects);
            assertThat(labels(only("Deployment", objects), "spec.template.metadata.labels"))
                    .containsAllEntriesOf(labels(kookBudget, "spec.selector.matchLabels"));
            assertThat(labels(only("StatefulSet", objects), "spec.template.metadata.labels"))
                    .containsAllEntriesOf(labels(zookeeperBudget, "spec.selector.matchLabels"));
            assertThat((Integer) at(zookeeperBudget, "spec.maxUnavailable")).isEqualTo(1);
        }

        @Test
        void zooKeeperIsThreeServersNamedByAHeadlessServiceThatPublishesPodsBeforeTheyAreReady() {
            List<Map<String, Object>> objects = render();
            Map<String, Object> statefulSet = only("StatefulSet", objects);
            assertThat((Integer) at(statefulSet, "spec.replicas")).isEqualTo(3);
            assertThat((String) at(statefulSet, "spec.serviceName")).isEqualTo(HEADLESS);
            assertThat((String) at(statefulSet, "spec.podManagementPolicy")).isEqualTo("Parallel");
            assertThat(labels(statefulSet, "spec.template.metadata.labels"))
                    .containsAllEntriesOf(labels(statefulSet, "spec.selector.matchLabels"));

            Map<String, Object> headless = named("Service", HEADLESS, objects);
            assertThat((String) at(headless, "spec.clusterIP")).isEqualTo("None");
            assertThat((Boolean) at(headless, "spec.publishNotReadyAddresses")).isTrue();
            assertThat(labels(statefulSet, "spec.template.metadata.labels"))
                    .containsAllEntriesOf(labels(headless, "spec.selector"));
            assertThat(labels(statefulSet, "spec.template.metadata.labels"))
                    .containsAllEntriesOf(labels(named("Service", ZOOKEEPER, objects), "spec.selector"));
        }

        @Test
        void everyServerListsAllThreeServersByTheirStableDnsNames() {
            Map<String, Object> container = at(only("StatefulSet", render()), "spec.template.spec.containers.0");
            List<String> servers = Arrays.asList(env(container, "ZOO_SERVERS").trim().split("\\s+"));
            assertThat(servers).containsExactly(
                    "server.1=" + ZOOKEEPER_PODS.get(0) + ":2888:3888;2181",
                    "server.2=" + ZOOKEEPER_PODS.get(1) + ":2888:3888;2181",
                    "server.3=" + ZOOKEEPER_PODS.get(2) + ":2888:3888;2181");
        }

        @Test
        void podNGetsServerIdNPlusOneWrittenToItsDataDirectory(@TempDir Path dir) throws Exception {
            Map<String, Object> container = at(only("StatefulSet", render()), "spec.template.spec.containers.0");
            List<String> command = new ArrayList<>(at(container, "command"));
            List<String> args = at(container, "args");
            assertThat(command).containsExactly("/bin/bash", "-ec");
            // The real entrypoint is the image's; a stub in its place reports the id it was started with.
            Path entrypoint = dir.resolve("entrypoint.sh");
            Files.writeString(entrypoint, "#!/bin/sh\necho \"id=$ZOO_MY_ID args=$*\"\n");
            entrypoint.toFile().setExecutable(true);
            String script = args.get(0).replace("/docker-entrypoint.sh", entrypoint.toString());
            assertThat(script).isNotEqualTo(args.get(0));

            for (int ordinal = 0; ordinal < 3; ordinal++) {
                Path data = Files.createDirectories(dir.resolve("data-" + ordinal));
                ProcessBuilder builder = new ProcessBuilder("bash", "-ec", script).redirectErrorStream(true);
                builder.environment().put("HOSTNAME", ZOOKEEPER + "-" + ordinal);
                builder.environment().put("ZOO_DATA_DIR", data.toString());
                Process run = builder.start();
                assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();
                String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                assertThat(run.exitValue()).as(out).isZero();
                assertThat(out).isEqualTo("id=" + (ordinal + 1) + " args=zkServer.sh start-foreground");
                assertThat(Files.readString(data.resolve("myid")).trim()).isEqualTo(String.valueOf(ordinal + 1));
            }
        }

        @Test
        void zooKeeperProbesAskRuokForLivenessAndSrvrForReadiness() {
            Map<String, Object> container = at(only("StatefulSet", render()), "spec.template.spec.containers.0");
            List<String> liveness = at(container, "livenessProbe.exec.command");
            List<String> readiness = at(container, "readinessProbe.exec.command");
            assertThat(String.join(" ", liveness)).contains("echo ruok | nc").contains("imok");
            assertThat(String.join(" ", readiness)).contains("echo srvr | nc").contains("Mode:");
            assertThat(Arrays.asList(env(container, "ZOO_4LW_COMMANDS_WHITELIST").split(","))).contains("ruok", "srvr");
        }

        @Test
        void everyServerKeepsSnapshotsAndTransactionLogsOnItsOwnVolumeClaim() {
            Map<String, Object> statefulSet = only("StatefulSet", render());
            List<Map<String, Object>> claims = at(statefulSet, "spec.volumeClaimTemplates");
            assertThat(claims).hasSize(1);
            assertThat((String) at(claims.get(0), "metadata.name")).isEqualTo("data");
            Map<String, Object> container = at(statefulSet, "spec.template.spec.containers.0");
            assertThat((String) at(container, "volumeMounts.0.name")).isEqualTo("data");
            String mountPath = at(container, "volumeMounts.0.mountPath");
            assertThat(env(container, "ZOO_DATA_DIR")).isEqualTo(mountPath);
            assertThat(env(container, "ZOO_DATA_LOG_DIR")).startsWith(mountPath + "/");
        }

        @Test
        void kookConnectsToEveryZooKeeperPodByDnsNameThroughItsConfigMap() {
            List<Map<String, Object>> objects = render();
            Map<String, Object> configMap = only("ConfigMap", objects);
            assertThat(Arrays.asList(((String) at(configMap, "data.SPRING_CLOUD_ZOOKEEPER_CONNECT_STRING")).split(",")))
                    .containsExactlyElementsOf(ZOOKEEPER_PODS.stream().map(host -> host + ":2181").toList());
            assertThat((String) at(configMap, "data.KOOK_ZOOKEEPER_ROOT")).isEqualTo("/kook");
            assertThat((String) at(configMap, "data.SPRING_CLOUD_ZOOKEEPER_DISCOVERY_PREFER_IP_ADDRESS")).isEqualTo("true");
            assertThat((String) at(only("Deployment", objects), "spec.template.spec.containers.0.envFrom.0.configMapRef.name"))
                    .isEqualTo(at(configMap, "metadata.name"));
        }

        @Test
        void changingTheConfigMapRollsTheKookPods() {
            String checksum = "spec.template.metadata.annotations.checksum/config";
            String before = at(only("Deployment", render()), checksum);
            String after = at(only("Deployment", render("zookeeperRoot=/kook-staging")), checksum);
            assertThat(before).isNotBlank().isNotEqualTo(after);
        }

        @Test
        void everyPodRunsAsNonRoot() {
            List<Map<String, Object>> objects = render();
            for (String kind : List.of("Deployment", "StatefulSet")) {
                assertThat((Boolean) at(only(kind, objects), "spec.template.spec.securityContext.runAsNonRoot")).as(kind).isTrue();
                assertThat((Boolean) at(only(kind, objects), "spec.template.spec.containers.0.securityContext.allowPrivilegeEscalation"))
                        .as(kind).isFalse();
            }
        }

        @Test
        void replicasPreferDifferentNodes() {
            List<Map<String, Object>> objects = render();
            for (String kind : List.of("Deployment", "StatefulSet")) {
                Map<String, Object> workload = only(kind, objects);
                Map<String, Object> term = at(workload,
                        "spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution.0.podAffinityTerm");
                assertThat((String) at(term, "topologyKey")).as(kind).isEqualTo("kubernetes.io/hostname");
                assertThat(labels(term, "labelSelector.matchLabels")).as(kind)
                        .isEqualTo(labels(workload, "spec.selector.matchLabels"));
            }
        }

        @Test
        void noServiceMonitorUnlessAskedFor() {
            assertThat(render()).noneSatisfy(o -> assertThat(o.get("kind")).isEqualTo("ServiceMonitor"));
        }

        @Test
        void serviceMonitorScrapesPrometheusFromTheKookService() {
            List<Map<String, Object>> objects = render("serviceMonitor.enabled=true");
            Map<String, Object> monitor = only("ServiceMonitor", objects);
            assertThat((String) at(monitor, "spec.endpoints.0.path")).isEqualTo("/actuator/prometheus");
            assertThat((String) at(monitor, "spec.endpoints.0.port")).isEqualTo("http");
            assertThat(labels(named("Service", KOOK, objects), "metadata.labels"))
                    .containsAllEntriesOf(labels(monitor, "spec.selector.matchLabels"));
        }
    }

    @Nested
    class WithAnExistingEnsemble {

        @Test
        void noZooKeeperIsRenderedAndKookUsesTheGivenConnectString() {
            List<Map<String, Object>> objects = render("zookeeper.enabled=false", "externalZookeeper.connectString=zk-a:2181");
            assertThat(objects).noneSatisfy(o -> assertThat(o.get("kind")).isEqualTo("StatefulSet"));
            assertThat(objects).noneSatisfy(o -> assertThat((String) at(o, "metadata.name")).startsWith(ZOOKEEPER));
            assertThat((String) at(only("ConfigMap", objects), "data.SPRING_CLOUD_ZOOKEEPER_CONNECT_STRING")).isEqualTo("zk-a:2181");
            assertThat(objects).anySatisfy(o -> assertThat(o.get("kind")).isEqualTo("Deployment"));
        }

        @Test
        void withoutAConnectStringTemplatingFailsSayingWhatIsMissing() {
            assertThatThrownBy(() -> render("zookeeper.enabled=false"))
                    .hasMessageContaining("externalZookeeper.connectString is required when zookeeper.enabled=false");
        }

        @Test
        void aConnectStringWhileTheBundledEnsembleIsOnIsRejectedAsAmbiguous() {
            assertThatThrownBy(() -> render("externalZookeeper.connectString=zk-a:2181"))
                    .hasMessageContaining("externalZookeeper.connectString is set while zookeeper.enabled=true");
        }
    }

    @Nested
    class Secrets {

        private static final String BOOTSTRAP_SECRET = KOOK + "-bootstrap-token";
        private static final String ZOOKEEPER_AUTH_SECRET = KOOK + "-zookeeper-auth";
        /** Every optional secret-bearing feature on, against an external ensemble (ZooKeeper TLS needs one). */
        private static final String[] EVERYTHING = {"zookeeper.enabled=false", "externalZookeeper.connectString=zk-a:2281",
                "zookeeperAuth.enabled=true", "tls.enabled=true", "tls.secretName=kook-tls",
                "zookeeperTls.enabled=true", "zookeeperTls.secretName=kook-zk-tls"};

        @Test
        void theBootstrapTokenComesFromAGeneratedRandomSecretThatUpgradesAndUninstallKeep() {
            List<Map<String, Object>> objects = render();
            Map<String, Object> secret = named("Secret", BOOTSTRAP_SECRET, objects);
            assertThat(annotation(secret, "helm.sh/resource-policy")).isEqualTo("keep");
            String token = decode(at(secret, "data.token"));
            assertThat(token).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(decode(at(named("Secret", BOOTSTRAP_SECRET,
                    render("replicaCount=3")), "data.token")));
            assertThat(secretRef(kookContainer(objects), "KOOK_SECURITY_BOOTSTRAP_TOKEN"))
                    .isEqualTo(Map.of("name", BOOTSTRAP_SECRET, "key", "token"));
        }

        @Test
        void anUpgradeKeepsTheGeneratedBootstrapTokenAndZooKeeperPasswordItFindsInTheCluster() {
            // release "kept" already has its Secrets in the (fake) cluster, as on an upgrade or a reinstall
            FakeKubernetesApi.putSecret(NAMESPACE, "kept-kook-bootstrap-token", Map.of("token", "the-token-from-install"));
            FakeKubernetesApi.putSecret(NAMESPACE, "kept-kook-zookeeper-auth", Map.of("username", "kook", "password", "the-zk-password"));
            List<Map<String, Object>> objects = renderAs("kept", "zookeeperAuth.enabled=true");
            assertThat(decode(at(named("Secret", "kept-kook-bootstrap-token", objects), "data.token"))).isEqualTo("the-token-from-install");
            assertThat(decode(at(named("Secret", "kept-kook-zookeeper-auth", objects), "data.password"))).isEqualTo("the-zk-password");
        }

        @Test
        void aGivenBootstrapTokenSecretIsReferencedAndNoneIsGenerated() {
            List<Map<String, Object>> objects = render("security.bootstrapToken.existingSecret=ops-kook-bootstrap");
            assertThat(objects).noneSatisfy(o -> assertThat(o.get("kind")).isEqualTo("Secret"));
            assertThat(secretRef(kookContainer(objects), "KOOK_SECURITY_BOOTSTRAP_TOKEN"))
                    .isEqualTo(Map.of("name", "ops-kook-bootstrap", "key", "token"));
        }

        @Test
        void zooKeeperCredentialsComeFromASecretOnlyWhenAuthIsEnabled() {
            assertThat(envNames(kookContainer(render()))).doesNotContain("KOOK_ZOOKEEPER_AUTH_USERNAME", "KOOK_ZOOKEEPER_AUTH_PASSWORD");

            List<Map<String, Object>> generated = render("zookeeperAuth.enabled=true");
            Map<String, Object> secret = named("Secret", ZOOKEEPER_AUTH_SECRET, generated);
            assertThat(annotation(secret, "helm.sh/resource-policy")).isEqualTo("keep");
            assertThat(decode(at(secret, "data.username"))).isEqualTo("kook");
            assertThat(decode(at(secret, "data.password"))).hasSizeGreaterThanOrEqualTo(32);
            Map<String, Object> container = kookContainer(generated);
            assertThat(secretRef(container, "KOOK_ZOOKEEPER_AUTH_USERNAME")).isEqualTo(Map.of("name", ZOOKEEPER_AUTH_SECRET, "key", "username"));
            assertThat(secretRef(container, "KOOK_ZOOKEEPER_AUTH_PASSWORD")).isEqualTo(Map.of("name", ZOOKEEPER_AUTH_SECRET, "key", "password"));

            assertThat(envNames(container)).doesNotContain("KOOK_ZOOKEEPER_AUTH_AGENTS");
            List<Map<String, Object>> env = at(kookContainer(render("zookeeperAuth.enabled=true",
                    "zookeeperAuth.agents[0]=agent-a:AAA=", "zookeeperAuth.agents[1]=agent-b:BBB=")), "env");
            assertThat(env).contains(Map.of("name", "KOOK_ZOOKEEPER_AUTH_AGENTS", "value", "agent-a:AAA=,agent-b:BBB="));

            List<Map<String, Object>> given = render("zookeeperAuth.enabled=true", "zookeeperAuth.existingSecret=zk-creds");
            assertThat(given).noneSatisfy(o -> assertThat((String) at(o, "metadata.name")).isEqualTo(ZOOKEEPER_AUTH_SECRET));
            assertThat(secretRef(kookContainer(given), "KOOK_ZOOKEEPER_AUTH_PASSWORD")).isEqualTo(Map.of("name", "zk-creds", "key", "password"));
        }

        @Test
        void noSecretValueIsInThePodSpecOrTheConfigMap() {
            for (String[] settings : List.of(new String[0], EVERYTHING)) {
                List<Map<String, Object>> objects = render(settings);
                Map<String, Object> container = kookContainer(objects);
                List<Map<String, Object>> env = at(container, "env");
                for (Map<String, Object> variable : env) {
                    String name = (String) variable.get("name");
                    if (name.matches(".*(TOKEN|PASSWORD|USERNAME|SECRET).*")) {
                        assertThat(variable).as(name).doesNotContainKey("value");
                        assertThat((Object) at(variable, "valueFrom.secretKeyRef")).as(name).isNotNull();
                    }
                }
                Map<String, Object> data = at(only("ConfigMap", objects), "data");
                assertThat(data.keySet()).noneMatch(key -> key.matches(".*(TOKEN|PASSWORD|USERNAME|SECRET).*"));
                String podSpec = new Yaml().dump(only("Deployment", objects)) + new Yaml().dump(only("ConfigMap", objects));
                objects.stream().filter(o -> "Secret".equals(o.get("kind"))).forEach(secret -> {
                    Map<String, String> values = at(secret, "data");
                    // the user name is an identity, not a secret (and "kook" is in every label)
                    values.forEach((key, value) -> {
                        if (!key.equals("username")) {
                            assertThat(podSpec).as(key).doesNotContain(value).doesNotContain(decode(value));
                        }
                    });
                });
            }
        }

        @Test
        void httpsServesTheTlsSecretThroughAnSslBundleThatSpringBootBindsAndProbesUseHttps() {
            assertThat((String) at(kookContainer(render()), "readinessProbe.httpGet.scheme")).isEqualTo("HTTP");
            List<Map<String, Object>> objects = render("tls.enabled=true", "tls.secretName=kook-tls");
            Map<String, Object> deployment = only("Deployment", objects);
            Map<String, Object> container = kookContainer(objects);
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertThat((String) at(container, probe + ".httpGet.scheme")).as(probe).isEqualTo("HTTPS");
            }
            assertThat((String) at(volume(deployment, "tls"), "secret.secretName")).isEqualTo("kook-tls");
            assertThat(mountPath(container, "tls")).isEqualTo("/etc/kook/tls");

            // the env names must bind as Spring Boot binds environment variables (the source must be named
            // systemEnvironment for that), to a bundle the server uses
            Binder binder = new Binder(ConfigurationPropertySources.from(
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<String, Object>(plainEnv(container)))));
            assertThat(binder.bind("server.ssl.bundle", String.class).get()).isEqualTo("kook");
            SslProperties ssl = binder.bind("spring.ssl", SslProperties.class).get();
            PemSslBundleProperties bundle = ssl.getBundle().getPem().get("kook");
            assertThat(bundle).isNotNull();
            assertThat(bundle.getKeystore().getCertificate()).isEqualTo("file:/etc/kook/tls/tls.crt");
            assertThat(bundle.getKeystore().getPrivateKey()).isEqualTo("file:/etc/kook/tls/tls.key");
            assertThat(bundle.isReloadOnUpdate()).isTrue();
            assertThat((String) at(named("Service", KOOK, objects), "spec.ports.0.appProtocol")).isEqualTo("https");
        }

        @Test
        void zooKeeperTlsMountsTheStoresAndTakesTheirPasswordsFromTheSecret() {
            List<Map<String, Object>> objects = render(EVERYTHING);
            Map<String, Object> container = kookContainer(objects);
            Map<String, String> plain = plainEnv(container);
            assertThat(plain).containsEntry("KOOK_ZOOKEEPER_TLS_ENABLED", "true")
                    .containsEntry("KOOK_ZOOKEEPER_TLS_KEYSTORELOCATION", "/etc/kook/zookeeper-tls/keystore.p12")
                    .containsEntry("KOOK_ZOOKEEPER_TLS_TRUSTSTORELOCATION", "/etc/kook/zookeeper-tls/truststore.p12");
            assertThat(secretRef(container, "KOOK_ZOOKEEPER_TLS_KEYSTOREPASSWORD")).isEqualTo(Map.of("name", "kook-zk-tls", "key", "keystore-password"));
            assertThat(secretRef(container, "KOOK_ZOOKEEPER_TLS_TRUSTSTOREPASSWORD")).isEqualTo(Map.of("name", "kook-zk-tls", "key", "truststore-password"));
            assertThat((String) at(volume(only("Deployment", objects), "zookeeper-tls"), "secret.secretName")).isEqualTo("kook-zk-tls");
            assertThat(mountPath(container, "zookeeper-tls")).isEqualTo("/etc/kook/zookeeper-tls");
            // the names Kook reads (kook.zookeeper.tls.key-store-location, ...) in their environment form
            Binder binder = new Binder(ConfigurationPropertySources.from(
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<String, Object>(plain))));
            assertThat(binder.bind("kook.zookeeper.tls.key-store-location", String.class).get()).endsWith("keystore.p12");
            assertThat(binder.bind("kook.zookeeper.tls.trust-store-location", String.class).get()).endsWith("truststore.p12");
            assertThat(binder.bind("kook.zookeeper.tls.enabled", Boolean.class).get()).isTrue();
        }

        @Test
        void missingOrImpossibleTlsSettingsFailTemplatingSayingWhy() {
            assertThatThrownBy(() -> render("tls.enabled=true")).hasMessageContaining("tls.secretName is required");
            assertThatThrownBy(() -> render("zookeeperTls.enabled=true", "zookeeperTls.secretName=x"))
                    .hasMessageContaining("the bundled one does not");
            assertThatThrownBy(() -> render("zookeeper.enabled=false", "externalZookeeper.connectString=zk-a:2281",
                    "zookeeperTls.enabled=true")).hasMessageContaining("zookeeperTls.secretName is required");
        }

        @Test
        void theServiceMonitorScrapesWithAReadTokenFromASecretAndOverHttpsWithTls() {
            Map<String, Object> monitor = only("ServiceMonitor", render("serviceMonitor.enabled=true",
                    "serviceMonitor.tokenSecret.name=kook-metrics", "tls.enabled=true", "tls.secretName=kook-tls"));
            assertThat((String) at(monitor, "spec.endpoints.0.scheme")).isEqualTo("https");
            assertThat((Object) at(monitor, "spec.endpoints.0.authorization.credentials"))
                    .isEqualTo(Map.of("name", "kook-metrics", "key", "token"));
        }

        private static Map<String, Object> kookContainer(List<Map<String, Object>> objects) {
            return at(only("Deployment", objects), "spec.template.spec.containers.0");
        }

        private static String annotation(Map<String, Object> object, String name) {
            Map<String, Object> annotations = at(object, "metadata.annotations");
            assertThat(annotations).as("annotations").isNotNull();
            return (String) annotations.get(name);
        }

        private static String decode(String base64) {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        }

        private static List<String> envNames(Map<String, Object> container) {
            List<Map<String, Object>> env = at(container, "env");
            return env.stream().map(e -> (String) e.get("name")).toList();
        }

        private static Map<String, String> plainEnv(Map<String, Object> container) {
            List<Map<String, Object>> env = at(container, "env");
            Map<String, String> plain = new TreeMap<>();
            env.stream().filter(e -> e.containsKey("value")).forEach(e -> plain.put((String) e.get("name"), String.valueOf(e.get("value"))));
            return plain;
        }

        private static Map<String, Object> secretRef(Map<String, Object> container, String name) {
            List<Map<String, Object>> env = at(container, "env");
            Map<String, Object> variable = env.stream().filter(e -> name.equals(e.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no env " + name));
            assertThat(variable).as(name).doesNotContainKey("value");
            return at(variable, "valueFrom.secretKeyRef");
        }

        private static Map<String, Object> volume(Map<String, Object> deployment, String name) {
            List<Map<String, Object>> volumes = at(deployment, "spec.template.spec.volumes");
            return volumes.stream().filter(v -> name.equals(v.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no volume " + name));
        }

        private static String mountPath(Map<String, Object> container, String name) {
            List<Map<String, Object>> mounts = at(container, "volumeMounts");
            Map<String, Object> mount = mounts.stream().filter(m -> name.equals(m.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no mount " + name));
            assertThat(mount.get("readOnly")).as(name).isEqualTo(true);
            return (String) mount.get("mountPath");
        }
    }

    @Nested
    class Values {

        private static final Pattern KEY = Pattern.compile("^\\s*[A-Za-z0-9_.-]+:");

        @Test
        void everyKeyInValuesYamlHasACommentLineDirectlyAboveIt() throws Exception {
            List<String> lines = Files.readAllLines(CHART.resolve("values.yaml"));
            List<String> undocumented = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (KEY.matcher(lines.get(i)).find() && (i == 0 || !lines.get(i - 1).trim().startsWith("#"))) {
                    undocumented.add((i + 1) + ": " + lines.get(i));
                }
            }
            assertThat(lines).filteredOn(line -> KEY.matcher(line).find()).hasSizeGreaterThan(100);
            assertThat(undocumented).as("keys without a comment line above them").isEmpty();
        }

        @Test
        void theDefaultValuesSatisfyTheSchemaButAWrongTypeFailsLint(@TempDir Path dir) throws Exception {
            assertThat(new Helm(CHART).lint().strict().call().isFailed()).isFalse();
            Path chart = copyOfTheChart(dir);
            Path values = chart.resolve("values.yaml");
            String original = Files.readString(values);
            assertThat(original).contains("\nreplicaCount: 2\n");
            Files.writeString(values, original.replace("\nreplicaCount: 2\n", "\nreplicaCount: two\n"));
            LintResult lint = new Helm(chart).lint().strict().call();
            assertThat(lint.isFailed()).isTrue();
            assertThat(String.join("\n", lint.getMessages())).contains("replicaCount");
        }

        @Test
        void templatingRefusesAWrongTypeAnUnknownKeyAndAnUnpinnedZooKeeperImage() {
            refusedBySchema("replicaCount=two", "replicaCount");
            refusedBySchema("service.port=http", "port");
            refusedBySchema("replicas=3", "replicas");
            refusedBySchema("zookeeper.image.tag=latest", "tag");
            refusedBySchema("zookeeper.image.tag=3.9", "tag");
            refusedBySchema("hooks.debounce=soon", "debounce");
        }

        private static void refusedBySchema(String setting, String key) {
            assertThatThrownBy(() -> render(setting)).as(setting).hasMessageContaining("schema").hasMessageContaining(key);
        }

        private static Path copyOfTheChart(Path dir) throws Exception {
            Path target = dir.resolve("kook");
            try (var files = Files.walk(CHART)) {
                for (Path source : files.toList()) {
                    Path copy = target.resolve(CHART.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(source, copy);
                    }
                }
            }
            return target;
        }
    }

    @Nested
    class Images {

        @Test
        void theZooKeeperImageIsPinnedToAnExactReleaseAndOptionallyADigest() {
            String image = at(only("StatefulSet", render()), "spec.template.spec.containers.0.image");
            assertThat(image).matches("zookeeper:\\d+\\.\\d+\\.\\d+").doesNotContain("latest");
            String digest = "sha256:" + "0123456789abcdef".repeat(4);
            assertThat((String) at(only("StatefulSet", render("zookeeper.image.digest=" + digest)), "spec.template.spec.containers.0.image"))
                    .isEqualTo(image + "@" + digest);
        }

        @Test
        void theTestImageIsPinnedToAnExactRelease() {
            assertThat((String) at(testPod(), "spec.containers.0.image")).matches("curlimages/curl:\\d+\\.\\d+\\.\\d+");
            assertThatThrownBy(() -> render("tests.image.tag=latest")).hasMessageContaining("schema").hasMessageContaining("tag");
        }
    }

    @Nested
    class Ingress {

        @Test
        void noIngressByDefault() {
            assertThat(render()).noneSatisfy(o -> assertThat(o.get("kind")).isEqualTo("Ingress"));
        }

        @Test
        void anEnabledIngressRoutesEveryHostToTheKookServiceBehindTls() {
            List<Map<String, Object>> objects = render("ingress.enabled=true", "ingress.className=nginx",
                    "ingress.hosts[0]=kook.example.com", "ingress.hosts[1]=inventory.example.com", "ingress.tls.secretName=kook-ingress-tls");
            Map<String, Object> ingress = only("Ingress", objects);
            assertThat((String) at(ingress, "spec.ingressClassName")).isEqualTo("nginx");
            assertThat((List<String>) at(ingress, "spec.tls.0.hosts")).containsExactly("kook.example.com", "inventory.example.com");
            assertThat((String) at(ingress, "spec.tls.0.secretName")).isEqualTo("kook-ingress-tls");
            List<Map<String, Object>> rules = at(ingress, "spec.rules");
            assertThat(rules).extracting(rule -> rule.get("host")).containsExactly("kook.example.com", "inventory.example.com");
            for (Map<String, Object> rule : rules) {
                assertThat((String) at(rule, "http.paths.0.path")).isEqualTo("/");
                assertThat((String) at(rule, "http.paths.0.backend.service.name")).isEqualTo(KOOK);
                assertThat((String) at(rule, "http.paths.0.backend.service.port.name"))
                        .isEqualTo(at(named("Service", KOOK, objects), "spec.ports.0.name"));
            }
        }

        @Test
        void anIngressNeedsAHostAndATlsSecretUnlessTlsIsTurnedOff() {
            assertThatThrownBy(() -> render("ingress.enabled=true", "ingress.tls.secretName=t")).hasMessageContaining("ingress.hosts");
            assertThatThrownBy(() -> render("ingress.enabled=true", "ingress.hosts[0]=kook.example.com"))
                    .hasMessageContaining("ingress.tls.secretName is required");
            Map<String, Object> plain = only("Ingress", render("ingress.enabled=true", "ingress.hosts[0]=kook.example.com", "ingress.tls.enabled=false"));
            assertThat((Object) at(plain, "spec.tls")).isNull();
        }
    }

    @Nested
    class NetworkPolicies {

        @Test
        void zooKeeperTakesClientsOnlyFromKookPodsAndItsPeersOnlyOnTheQuorumAndElectionPorts() {
            List<Map<String, Object>> objects = render();
            Map<String, Object> policy = named("NetworkPolicy", ZOOKEEPER, objects);
            Map<String, String> zookeeperPods = labels(only("StatefulSet", objects), "spec.template.metadata.labels");
            Map<String, String> kookPods = labels(only("Deployment", objects), "spec.template.metadata.labels");
            assertThat(selects(labels(policy, "spec.podSelector.matchLabels"), zookeeperPods)).isTrue();
            assertThat(selects(labels(policy, "spec.podSelector.matchLabels"), kookPods)).isFalse();
            assertThat((List<String>) at(policy, "spec.policyTypes")).containsExactly("Ingress");

            List<Map<String, Object>> rules = at(policy, "spec.ingress");
            assertThat(rules).hasSize(2);
            assertThat(ports(rules.get(0))).containsExactly(2181);
            List<Map<String, Object>> clients = at(rules.get(0), "from");
            assertThat(clients).hasSize(1);
            assertThat(selects(labels(clients.get(0), "podSelector.matchLabels"), kookPods)).isTrue();
            assertThat(selects(labels(clients.get(0), "podSelector.matchLabels"), zookeeperPods)).isFalse();
            assertThat(clients.get(0)).containsOnlyKeys("podSelector");

            assertThat(ports(rules.get(1))).containsExactly(2888, 3888);
            List<Map<String, Object>> peers = at(rules.get(1), "from");
            assertThat(peers).hasSize(1);
            assertThat(selects(labels(peers.get(0), "podSelector.matchLabels"), zookeeperPods)).isTrue();
            assertThat(selects(labels(peers.get(0), "podSelector.matchLabels"), kookPods)).isFalse();
            // the ports the policy opens are the ones the servers listen on
            List<Map<String, Object>> containerPorts = at(only("StatefulSet", objects), "spec.template.spec.containers.0.ports");
            assertThat(containerPorts).extracting(p -> p.get("containerPort")).containsExactlyInAnyOrder(2181, 2888, 3888);
        }

        @Test
        void kookTakesClientsFromAnywhereOnItsHttpPortByDefault() {
            List<Map<String, Object>> objects = render();
            Map<String, Object> policy = named("NetworkPolicy", KOOK, objects);
            assertThat(selects(labels(policy, "spec.podSelector.matchLabels"), labels(only("Deployment", objects), "spec.template.metadata.labels"))).isTrue();
            assertThat(selects(labels(policy, "spec.podSelector.matchLabels"), labels(only("StatefulSet", objects), "spec.template.metadata.labels"))).isFalse();
            List<Map<String, Object>> rules = at(policy, "spec.ingress");
            assertThat(rules).hasSize(1);
            assertThat(ports(rules.get(0))).containsExactly((Integer) at(only("Deployment", objects), "spec.template.spec.containers.0.ports.0.containerPort"));
            assertThat(rules.get(0)).doesNotContainKey("from");
        }

        @Test
        void restrictedKookClientsStillLetTheTestPodIn() {
            List<Map<String, Object>> objects = render("networkPolicy.kook.from[0].namespaceSelector.matchLabels.team=ops");
            List<Map<String, Object>> from = at(named("NetworkPolicy", KOOK, objects), "spec.ingress.0.from");
            assertThat(from).hasSize(2);
            assertThat((Object) at(from.get(0), "namespaceSelector.matchLabels")).isEqualTo(Map.of("team", "ops"));
            assertThat(selects(labels(from.get(1), "podSelector.matchLabels"), labels(testPod(), "metadata.labels"))).isTrue();
        }

        @Test
        void agentsNamedInExtraFromReachZooKeepersClientPortToo() {
            List<Map<String, Object>> clients = at(named("NetworkPolicy", ZOOKEEPER,
                    render("networkPolicy.zookeeper.extraFrom[0].podSelector.matchLabels.app=kook-agent")), "spec.ingress.0.from");
            assertThat(clients).hasSize(2);
            assertThat((Object) at(clients.get(1), "podSelector.matchLabels")).isEqualTo(Map.of("app", "kook-agent"));
        }

        @Test
        void withAnExistingEnsembleOnlyKookHasAPolicy() {
            List<Map<String, Object>> objects = render("zookeeper.enabled=false", "externalZookeeper.connectString=zk-a:2181");
            assertThat(objects).filteredOn(o -> "NetworkPolicy".equals(o.get("kind")))
                    .extracting(o -> at(o, "metadata.name")).containsExactly(KOOK);
            assertThat(render("networkPolicy.enabled=false")).noneSatisfy(o -> assertThat(o.get("kind")).isEqualTo("NetworkPolicy"));
        }

        private static List<Integer> ports(Map<String, Object> rule) {
            List<Map<String, Object>> ports = at(rule, "ports");
            assertThat(ports).allSatisfy(p -> assertThat(p.get("protocol")).isEqualTo("TCP"));
            return ports.stream().map(p -> (Integer) p.get("port")).toList();
        }
    }

    @Nested
    class Hooks {

        private static final String[] HOOKS = {"hooks.debounce=2s", "hooks.maxAttempts=7", "hooks.timeout=20s",
                "hooks.webhooks[0].name=dns", "hooks.webhooks[0].url=https://dns-sync.internal/kook",
                "hooks.webhooks[0].secretRef.name=kook-hook-dns", "hooks.webhooks[0].secretRef.key=hmac",
                "hooks.webhooks[1].name=lab", "hooks.webhooks[1].url=http://lab.internal/kook", "hooks.webhooks[1].unsigned=true",
                "hooks.commandsEnabled=true", "hooks.commands[0].name=notify", "hooks.commands[0].command=/hooks/notify.sh"};

        @Test
        void hooksFromValuesBindToKooksHookSettingsWithTheSigningKeyFromItsSecret() {
            List<Map<String, Object>> objects = render(HOOKS);
            Map<String, Object> container = at(only("Deployment", objects), "spec.template.spec.containers.0");
            // the container's environment as Kubernetes assembles it: the ConfigMap, then env; a Secret reference
            // stands for the value the kubelet would read from that Secret
            Map<String, Object> environment = new HashMap<>(at(only("ConfigMap", objects), "data"));
            List<Map<String, Object>> env = at(container, "env");
            for (Map<String, Object> variable : env) {
                Map<String, Object> ref = variable.containsKey("valueFrom") ? at(variable, "valueFrom.secretKeyRef") : null;
                environment.put((String) variable.get("name"),
                        ref == null ? String.valueOf(variable.get("value")) : "secret:" + ref.get("name") + "/" + ref.get("key"));
            }
            assertThat(environment.keySet()).filteredOn(name -> name.endsWith("_SECRET")).containsExactly("KOOK_HOOKS_WEBHOOKS_0_SECRET");
            assertThat((Map<String, Object>) at(only("ConfigMap", objects), "data")).doesNotContainKey("KOOK_HOOKS_WEBHOOKS_0_SECRET");

            Binder binder = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                    StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment)));
            KookProperties.Hooks hooks = binder.bind("kook.hooks", KookProperties.Hooks.class).get();
            assertThat(hooks.debounce()).isEqualTo(Duration.ofSeconds(2));
            assertThat(hooks.maxAttempts()).isEqualTo(7);
            assertThat(hooks.backoff()).isEqualTo(Duration.ofSeconds(1));
            assertThat(hooks.maxBackoff()).isEqualTo(Duration.ofMinutes(5));
            assertThat(hooks.timeout()).isEqualTo(Duration.ofSeconds(20));
            assertThat(hooks.webhooks()).hasSize(2);
            KookProperties.Webhook dns = hooks.webhooks().get(0);
            assertThat(dns.name()).isEqualTo("dns");
            assertThat(dns.url()).isEqualTo(URI.create("https://dns-sync.internal/kook"));
            assertThat(dns.secret()).isEqualTo("secret:kook-hook-dns/hmac");
            assertThat(dns.signed()).isTrue();
            KookProperties.Webhook lab = hooks.webhooks().get(1);
            assertThat(lab.name()).isEqualTo("lab");
            assertThat(lab.secret()).isNull();
            assertThat(lab.signed()).isFalse();
            assertThat(hooks.commandsEnabled()).isTrue();
            assertThat(hooks.commands()).containsExactly(new KookProperties.Command("notify", "/hooks/notify.sh"));
        }

        @Test
        void changingAHookRollsTheKookPods() {
            String checksum = "spec.template.metadata.annotations.checksum/config";
            assertThat((String) at(only("Deployment", render(HOOKS)), checksum)).isNotEqualTo(at(only("Deployment", render()), checksum));
        }

        @Test
        void noHooksByDefaultAndKooksOwnDefaultsOtherwise() {
            Map<String, Object> data = at(only("ConfigMap", render()), "data");
            assertThat(data).containsEntry("KOOK_HOOKS_DEBOUNCE", "5s").containsEntry("KOOK_HOOKS_MAXATTEMPTS", "5")
                    .containsEntry("KOOK_HOOKS_BACKOFF", "1s").containsEntry("KOOK_HOOKS_MAXBACKOFF", "5m")
                    .containsEntry("KOOK_HOOKS_TIMEOUT", "10s").containsEntry("KOOK_HOOKS_COMMANDSENABLED", "false");
            assertThat(data.keySet()).noneMatch(key -> key.startsWith("KOOK_HOOKS_WEBHOOKS") || key.startsWith("KOOK_HOOKS_COMMANDS_"));
        }

        @Test
        void aWebhookNeedsASecretFromASecretOrAnExplicitUnsignedButNotBoth() {
            assertThatThrownBy(() -> render("hooks.webhooks[0].name=dns", "hooks.webhooks[0].url=https://dns.internal/kook"))
                    .hasMessageContaining("hooks.webhooks[0] (webhook dns) needs secretRef.name");
            assertThatThrownBy(() -> render("hooks.webhooks[0].name=dns", "hooks.webhooks[0].url=https://dns.internal/kook",
                    "hooks.webhooks[0].secretRef.name=s", "hooks.webhooks[0].unsigned=true")).hasMessageContaining("sets both");
            // a plain secret value is no setting at all
            assertThatThrownBy(() -> render("hooks.webhooks[0].name=dns", "hooks.webhooks[0].url=https://dns.internal/kook",
                    "hooks.webhooks[0].secret=plain")).hasMessageContaining("secret");
        }
    }

    @Nested
    class HelmTest {

        @Test
        void theTestPodIsAHelmTestHookReadingWithTheBootstrapTokenFromItsSecret() {
            Map<String, Object> pod = testPod();
            Map<String, Object> annotations = at(pod, "metadata.annotations");
            assertThat(annotations).containsEntry(HOOK, "test");
            Map<String, Object> container = at(pod, "spec.containers.0");
            List<Map<String, Object>> env = at(container, "env");
            Map<String, Object> token = env.stream().filter(e -> "KOOK_TOKEN".equals(e.get("name"))).findFirst().orElseThrow();
            assertThat(token).doesNotContainKey("value");
            assertThat((Object) at(token, "valueFrom.secretKeyRef")).isEqualTo(Map.of("name", KOOK + "-bootstrap-token", "key", "token"));
            assertThat(env).contains(Map.of("name", "KOOK_URL", "value", "http://" + KOOK + "." + NAMESPACE + ".svc:8080"));
            assertThat((Boolean) at(pod, "spec.securityContext.runAsNonRoot")).isTrue();
            assertThat((Boolean) at(container, "securityContext.allowPrivilegeEscalation")).isFalse();

            Map<String, Object> other = at(testPod("tests.tokenSecret.name=kook-reader", "tests.tokenSecret.key=secret"), "spec.containers.0");
            List<Map<String, Object>> otherEnv = at(other, "env");
            assertThat(otherEnv).anySatisfy(e -> assertThat((Object) at(e, "valueFrom.secretKeyRef"))
                    .isEqualTo(Map.of("name", "kook-reader", "key", "secret")));
            assertThat(renderChart(chartWithVisibleTests(), RELEASE, "tests.enabled=false"))
                    .noneSatisfy(o -> assertThat(o.get("kind")).isEqualTo("Pod"));
            // the real chart's test pod is a hook, so it is no part of the installed manifest
            assertThat(render()).noneSatisfy(o -> assertThat(o.get("kind")).isEqualTo("Pod"));
        }

        @Test
        void theTestWaitsForReadinessThenMakesOneAuthenticatedRead() throws Exception {
            List<String> readinessAnswers = new CopyOnWriteArrayList<>();
            List<String> authorizations = new CopyOnWriteArrayList<>();
            HttpServer kook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            kook.createContext("/actuator/health/readiness", exchange -> {
                int status = readinessAnswers.size() < 2 ? 503 : 200;
                readinessAnswers.add(String.valueOf(status));
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            kook.createContext("/tokens/self", exchange -> {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                authorizations.add(String.valueOf(authorization));
                byte[] body = "{\"name\":\"bootstrap\",\"role\":\"admin\"}".getBytes(StandardCharsets.UTF_8);
                boolean ok = "Bearer the-test-token".equals(authorization);
                exchange.sendResponseHeaders(ok ? 200 : 401, ok ? body.length : -1);
                if (ok) {
                    exchange.getResponseBody().write(body);
                }
                exchange.close();
            });
            kook.start();
            try {
                String url = "http://127.0.0.1:" + kook.getAddress().getPort();
                Run ready = runTheTestScript(url, "the-test-token", "60");
                assertThat(ready.exitCode()).as(ready.output()).isZero();
                assertThat(readinessAnswers).containsExactly("503", "503", "200");
                assertThat(authorizations).containsExactly("Bearer the-test-token");
                assertThat(ready.output()).contains("\"name\":\"bootstrap\"").doesNotContain("the-test-token");

                Run refused = runTheTestScript(url, "a-wrong-token", "60");
                assertThat(refused.exitCode()).as(refused.output()).isNotZero();
            } finally {
                kook.stop(0);
            }
        }

        @Test
        void theTestFailsWhenKookNeverTurnsReady() throws Exception {
            HttpServer kook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            kook.createContext("/", exchange -> {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
            });
            kook.start();
            try {
                Run run = runTheTestScript("http://127.0.0.1:" + kook.getAddress().getPort(), "t", "1");
                assertThat(run.exitCode()).isNotZero();
                assertThat(run.output()).contains("was not ready within 1s");
            } finally {
                kook.stop(0);
            }
        }

        private record Run(int exitCode, String output) {
        }

        /** The test container's command, run here with the pod's environment pointing at {@code url}. */
        private static Run runTheTestScript(String url, String token, String timeoutSeconds) throws Exception {
            Map<String, Object> container = at(testPod(), "spec.containers.0");
            List<String> command = new ArrayList<>(at(container, "command"));
            command.addAll(at(container, "args"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            List<Map<String, Object>> env = at(container, "env");
            env.stream().filter(e -> e.containsKey("value")).forEach(e -> builder.environment().put((String) e.get("name"), String.valueOf(e.get("value"))));
            builder.environment().put("KOOK_URL", url);
            builder.environment().put("KOOK_TOKEN", token);
            builder.environment().put("KOOK_READY_TIMEOUT", timeoutSeconds);
            Process process = builder.start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Nested
    class Monitoring {

        @Test
        void noPrometheusRuleAndNoDashboardUnlessAskedFor() {
            List<Map<String, Object>> objects = render();
            assertThat(objects).noneSatisfy(o -> assertThat(o.get("kind")).isEqualTo("PrometheusRule"));
            assertThat(objects).noneSatisfy(o -> assertThat((String) at(o, "metadata.name")).endsWith("-dashboard"));
        }

        @Test
        void thePrometheusRuleCarriesTheAlertRulesFileAsItIs() throws Exception {
            Map<String, Object> rule = only("PrometheusRule", render("prometheusRule.enabled=true", "prometheusRule.labels.release=prometheus"));
            assertThat(labels(rule, "metadata.labels")).containsEntry("release", "prometheus");
            Map<String, Object> file = new Yaml().load(Files.readString(CHART.resolve("files/kook-alerts.yaml")));
            assertThat((Object) at(rule, "spec")).isEqualTo(file);
            assertThat((List<?>) at(rule, "spec.groups.0.rules")).hasSizeGreaterThanOrEqualTo(6);
        }

        @Test
        void theDashboardConfigMapCarriesTheDashboardFileForGrafanasSidecar() throws Exception {
            Map<String, Object> configMap = named("ConfigMap", KOOK + "-dashboard", render("dashboard.enabled=true"));
            assertThat(labels(configMap, "metadata.labels")).containsEntry("grafana_dashboard", "1");
            Map<String, Object> data = at(configMap, "data");
            assertThat(((String) data.get("kook-dashboard.json")).strip())
                    .isEqualTo(Files.readString(CHART.resolve("files/kook-dashboard.json")).strip());
        }

        @Test
        void theServiceMonitorNamesTheScrapeJobKookAsTheAlertsExpect() {
            List<Map<String, Object>> objects = render("serviceMonitor.enabled=true");
            String jobLabel = at(only("ServiceMonitor", objects), "spec.jobLabel");
            assertThat(labels(named("Service", KOOK, objects), "metadata.labels")).containsEntry(jobLabel, "kook");
        }

        @Test
        void theChartPackagesTheMonitoringFiles() throws Exception {
            List<String> ignored = Files.readAllLines(CHART.resolve(".helmignore"));
            assertThat(ignored).noneMatch(line -> line.startsWith("files") || line.equals("*.json") || line.equals("*.yaml"));
        }
    }

    /**
     * The `helm test` pod as {@code helm template} prints it. helm-java's template leaves out hooks (it returns the
     * release manifest only), so this renders a copy of the chart whose test templates have their hook annotations
     * renamed to {@link #HOOK}: the same pod, no longer a hook, so it is in the manifest.
     */
    private static Map<String, Object> testPod(String... settings) {
        return named("Pod", KOOK + "-test-read", renderChart(chartWithVisibleTests(), RELEASE, settings));
    }

    private static final String HOOK = "rendered-as-manifest/helm.sh-hook";

    private static Path visibleTestsChart;

    /** The copy is made once per test run, fresh, so it always follows the chart. */
    private static synchronized Path chartWithVisibleTests() {
        if (visibleTestsChart != null) {
            return visibleTestsChart;
        }
        Path copy = Path.of("target", "helm-test", "kook-with-visible-tests");
        try {
            if (Files.exists(copy)) {
                try (var old = Files.walk(copy)) {
                    for (Path path : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
            {
                try (var files = Files.walk(CHART)) {
                    for (Path source : files.toList()) {
                        Path target = copy.resolve(CHART.relativize(source).toString());
                        if (Files.isDirectory(source)) {
                            Files.createDirectories(target);
                        } else if (source.startsWith(CHART.resolve("templates").resolve("tests"))) {
                            String template = Files.readString(source);
                            assertThat(template).contains("helm.sh/hook: test");
                            Files.writeString(target, template.replace("helm.sh/hook", HOOK));
                        } else {
                            Files.copy(source, target);
                        }
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        visibleTestsChart = copy;
        return copy;
    }

    /** `helm template inv helm/kook -n inventory --set ...`, every document parsed; cached per settings. */
    private static List<Map<String, Object>> render(String... settings) {
        return renderAs(RELEASE, settings);
    }

    /** As {@link #render}, for another release name. */
    private static List<Map<String, Object>> renderAs(String release, String... settings) {
        return renderChart(CHART, release, settings);
    }

    /** As {@link #render}, for another chart directory and release name. */
    private static List<Map<String, Object>> renderChart(Path chart, String release, String... settings) {
        FakeKubernetesApi.start();
        List<String> cacheKey = new ArrayList<>(List.of(settings));
        cacheKey.add("release=" + release);
        cacheKey.add("chart=" + chart);
        return RENDERED.computeIfAbsent(cacheKey, ignored -> {
            TemplateCommand template = new Helm(chart).template().withName(release).withNamespace(NAMESPACE);
            for (String setting : settings) {
                String[] kv = setting.split("=", 2);
                template = template.set(kv[0], kv[1]);
            }
            List<Map<String, Object>> objects = new ArrayList<>();
            for (Object document : new Yaml().loadAll(template.call())) {
                if (document instanceof Map<?, ?> map) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> object = (Map<String, Object>) map;
                    objects.add(object);
                }
            }
            return List.copyOf(objects);
        });
    }

    private static Map<String, Object> only(String kind, List<Map<String, Object>> objects) {
        List<Map<String, Object>> ofKind = objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
        assertThat(ofKind).as("rendered %s objects", kind).hasSize(1);
        return ofKind.get(0);
    }

    private static Map<String, Object> named(String kind, String name, List<Map<String, Object>> objects) {
        List<Map<String, Object>> matching = objects.stream()
                .filter(o -> kind.equals(o.get("kind")) && name.equals(at(o, "metadata.name"))).toList();
        assertThat(matching).as("rendered %s %s", kind, name).hasSize(1);
        return matching.get(0);
    }

    /** Follows a dotted path through maps (by key) and lists (by index). */
    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String path) {
        Object current = node;
        for (String step : path.split("\\.")) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else if (current instanceof List<?> list) {
                current = list.get(Integer.parseInt(step));
            } else {
                throw new AssertionError("no " + path + " (stopped at " + step + ")");
            }
        }
        return (T) current;
    }

    private static Map<String, String> labels(Object node, String path) {
        Map<String, Object> raw = at(node, path);
        assertThat(raw).as(path).isNotNull().isNotEmpty();
        Map<String, String> labels = new TreeMap<>();
        raw.forEach((k, v) -> labels.put(k, String.valueOf(v)));
        return labels;
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> podLabels) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(podLabels.get(e.getKey())));
    }

    private static String env(Map<String, Object> container, String name) {
        List<Map<String, Object>> env = at(container, "env");
        return env.stream().filter(e -> name.equals(e.get("name"))).map(e -> String.valueOf(e.get("value")))
                .findFirst().orElseThrow(() -> new AssertionError("no env " + name));
    }
}
