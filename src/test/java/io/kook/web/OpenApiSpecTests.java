package io.kook.web;

import java.nio.file.Files;
import java.nio.file.Path;

import io.kook.support.Http;
import io.kook.support.KookTest;
import io.kook.support.KookTestSupport;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed {@code openapi/kook.yaml} is what the code serves at {@code /v3/api-docs.yaml}. After changing
 * the API, regenerate it with {@code ./mvnw test -Dtest=OpenApiSpecTests -Dkook.openapi.write=true}, review
 * the diff, and commit it.
 */
@KookTest
class OpenApiSpecTests extends KookTestSupport {

    private static final Path SPEC = Path.of("openapi/kook.yaml");

    @Test
    void theCommittedSpecMatchesTheCode() throws Exception {
        Http.Response served = http().get("/v3/api-docs.yaml");
        assertThat(served.status()).isEqualTo(200);
        if (Boolean.getBoolean("kook.openapi.write")) {
            Files.createDirectories(SPEC.getParent());
            Files.writeString(SPEC, served.body());
        }
        assertThat(Files.exists(SPEC)).as("openapi/kook.yaml exists").isTrue();
        Object committed = new Yaml().load(Files.readString(SPEC));
        Object generated = new Yaml().load(served.body());
        assertThat(generated).as("openapi/kook.yaml is out of date: regenerate it (see this test's Javadoc)")
                .isEqualTo(committed);
    }

    @Test
    void theSpecDocumentsRevisionHeadersProblemsAndMinRevision() throws Exception {
        String spec = Files.readString(SPEC);
        assertThat(spec).contains("X-Kook-Revision").contains("X-Kook-Stale").contains("minRevision")
                .contains("application/problem+json").contains("/ansible/inventory").contains("openapi: 3.1");
    }
}
