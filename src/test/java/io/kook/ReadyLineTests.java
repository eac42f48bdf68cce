package io.kook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import io.kook.support.Replica;
import io.kook.support.SharedZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Startup ends with one line saying where Kook is, which ZooKeeper it uses and where the bootstrap secret is. */
@ExtendWith(OutputCaptureExtension.class)
class ReadyLineTests {

    @TempDir
    Path dir;

    private static List<String> readyLines(CapturedOutput output) {
        return output.getAll().lines().filter(line -> line.contains("Kook ready at ")).toList();
    }

    @Test
    void aFirstStartNamesItsUrlTheEnsembleAndTheTokenFileButNotTheSecret(CapturedOutput output) throws Exception {
        Path tokenFile = dir.resolve("bootstrap-token");
        String root = SharedZooKeeper.uniqueRoot("ready-line");
        try (Replica kook = Replica.launch(SharedZooKeeper.connectString(), root,
                "kook.security.bootstrap-token=", "kook.security.bootstrap-token-file=" + tokenFile)) {
            // support/Http's secret is not this replica's: ask the open probe without one
            io.kook.support.Await.until(java.time.Duration.ofSeconds(30), "readiness",
                    () -> kook.http().as(null).get("/actuator/health/readiness").status() == 200);
            String secret = Files.readString(tokenFile).trim();
            List<String> lines = readyLines(output);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).contains("Kook ready at http://localhost:" + kook.port() + " ")
                    .contains("Swagger UI /swagger-ui.html")
                    .contains("ZooKeeper: ensemble " + SharedZooKeeper.connectString() + " (root " + root + ")")
                    .contains("bootstrap token: its secret is in " + tokenFile.toAbsolutePath())
                    .doesNotContain(secret);
            assertThat(output.getAll()).doesNotContain(secret);
        }
    }

    @Test
    void aConfiguredSecretIsNamedByItsPropertyOnly(CapturedOutput output) {
        try (Replica kook = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("ready-line"))) {
            List<String> lines = readyLines(output);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).contains(":" + kook.port())
                    .contains("bootstrap token: its secret is the one set in kook.security.bootstrap-token")
                    .doesNotContain(io.kook.support.Http.ADMIN_SECRET);
        }
    }

    @Test
    void withSecurityOffTheLineSaysThereIsNoToken(CapturedOutput output) {
        try (Replica kook = Replica.start(SharedZooKeeper.connectString(), SharedZooKeeper.uniqueRoot("ready-line"),
                "kook.security.enabled=false")) {
            List<String> lines = readyLines(output);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).containsPattern(Pattern.quote("Kook ready at http://localhost:" + kook.port()))
                    .contains("bootstrap token: none, security disabled");
        }
    }
}
