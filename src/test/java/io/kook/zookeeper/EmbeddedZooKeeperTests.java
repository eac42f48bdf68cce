package io.kook.zookeeper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.kook.KookApplication;
import io.kook.support.Await;
import io.kook.support.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** With no connect string Kook runs its own ZooKeeper on disk, and what it acknowledged survives a restart. */
class EmbeddedZooKeeperTests {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--kook.zookeeper.embedded.port=0",
                "--kook.zookeeper.embedded.data-dir=" + dataDir, "--spring.main.banner-mode=off"));
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(KookApplication.class).run(args.toArray(String[]::new));
        Http http = http(ctx);
        Await.until(Duration.ofSeconds(30), "readiness", () -> http.get("/actuator/health/readiness").status() == 200);
        return ctx;
    }

    private static Http http(ConfigurableApplicationContext ctx) {
        return new Http(Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port")));
    }

    @Test
    void withoutAConnectStringKookStartsAnEmbeddedServerWhoseDataSurvivesRestarts() throws Exception {
        try (ConfigurableApplicationContext first = start()) {
            assertThat(first.getBean(EmbeddedZooKeeper.class)).isNotNull();
            assertThat(first.getBean(org.apache.curator.framework.CuratorFramework.class).checkExists()
                    .forPath("/services")).as("no service registration in embedded mode").isNull();
            assertThat(http(first).put("/hosts/persisted", "{\"vars\":{\"kept\":true},\"groups\":[]}").status()).isEqualTo(201);
        }
        assertThat(Files.exists(dataDir.resolve("version-2"))).isTrue();
        try (ConfigurableApplicationContext second = start()) {
            Http.Response r = http(second).get("/hosts/persisted");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("vars").get("kept").asBoolean()).isTrue();
        }
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void theReadyLineNamesTheEmbeddedServerAndItsDataDirectory(
            org.springframework.boot.test.system.CapturedOutput output) {
        try (ConfigurableApplicationContext ctx = start()) {
            EmbeddedZooKeeper server = ctx.getBean(EmbeddedZooKeeper.class);
            List<String> lines = output.getAll().lines().filter(l -> l.contains("Kook ready at ")).toList();
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0))
                    .contains("Kook ready at http://localhost:" + ctx.getEnvironment().getProperty("local.server.port"))
                    .contains("ZooKeeper: embedded at " + server.connectString() + ", data in "
                            + dataDir.toAbsolutePath());
        }
    }

    @Test
    void livenessFailsOnceTheEmbeddedServerHasStoppedByItself() throws Exception {
        try (ConfigurableApplicationContext ctx = start()) {
            Http http = http(ctx);
            assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
            // what ZooKeeper does after a "severe unrecoverable error" (e.g. out of memory applying a request)
            java.lang.reflect.Field field = EmbeddedZooKeeper.class.getDeclaredField("server");
            field.setAccessible(true);
            ((org.apache.zookeeper.server.ZooKeeperServer) field.get(ctx.getBean(EmbeddedZooKeeper.class))).shutdown();
            Http.Response liveness = http.get("/actuator/health/liveness");
            assertThat(liveness.status()).isEqualTo(503);
            assertThat(liveness.body()).contains("embedded ZooKeeper server has stopped");
        }
    }
}
