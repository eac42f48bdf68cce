package io.kook.web;

import io.kook.support.Http;
import io.kook.support.KookTest;
import io.kook.support.KookTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Failures outside the domain (unknown paths, wrong methods, oversized bodies) are problem documents too. */
@KookTest
class ProblemResponseTests extends KookTestSupport {

    private static void assertProblem(Http.Response r, int status, String slug) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("type").asString()).isEqualTo(Problems.BASE + slug);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("<html");
        assertThat(r.header("X-Kook-Revision")).isNotNull();
    }

    @Test
    void unknownPathsAre404Problems() {
        assertProblem(http().get("/nope"), 404, "not-found");
        assertProblem(http().get("/hosts/a/b/c"), 404, "not-found");
    }

    @Test
    void wrongMethodsAre405Problems() {
        assertProblem(http().delete("/hosts"), 405, "method-not-allowed");
    }

    @Test
    void bodiesOverTheLimitAre413Problems() {
        String huge = "{\"name\":\"big\",\"vars\":{\"x\":\"" + "y".repeat(3 * 1024 * 1024) + "\"}}";
        assertProblem(http().post("/hosts", huge), 413, "too-large");
        assertThat(http().get("/hosts/big").status()).isEqualTo(404);
    }

    @Test
    void aMalformedMinRevisionIs400() {
        assertProblem(http().get("/hosts?minRevision=soon"), 400, "invalid");
    }

    @Test
    void swaggerUiAndApiDocsAreServed() {
        assertThat(http().get("/v3/api-docs").status()).isEqualTo(200);
        assertThat(http().get("/swagger-ui.html").status()).isIn(200, 302);
    }

    @Test
    void prometheusShowsKooksOwnMetrics() {
        http().put("/hosts/metered", "{}");
        String metrics = http().get("/actuator/prometheus").body();
        assertThat(metrics).contains("kook_mirror_revision").contains("kook_mirror_hosts")
                .contains("kook_writes_seconds_count").contains("kook_lock_wait_seconds").contains("kook_mirror_stale");
    }

    @Test
    void healthHasLivenessReadinessAndAZookeeperComponent() {
        assertThat(http().get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(http().get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(http().get("/actuator/health").json().get("components").get("zookeeper").get("status").asString())
                .isEqualTo("UP");
    }
}
