package io.kook.deploy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The alert rules and the dashboard are well formed: every rule and every panel says what it needs to. */
class MonitoringFilesTests {

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertRuleHasAnExpressionADelayASeverityAndASummaryWithADescription() {
        List<Map<String, Object>> rules = MonitoringFiles.alertRules();
        assertThat(rules).extracting(rule -> rule.get("alert")).containsExactlyInAnyOrder("KookTargetDown",
                "KookZooKeeperDisconnected", "KookReplicaStale", "KookMirrorLagging", "KookHookFailing", "KookWriteErrors");
        for (Map<String, Object> rule : rules) {
            String alert = (String) rule.get("alert");
            assertThat(rule).as(alert).containsOnlyKeys("alert", "expr", "for", "labels", "annotations");
            assertThat((String) rule.get("expr")).as(alert).isNotBlank();
            assertThat(balanced((String) rule.get("expr"))).as(alert + " has balanced brackets").isTrue();
            assertThat(String.valueOf(rule.get("for"))).as(alert).matches("\\d+[smh]");
            assertThat((Map<String, Object>) rule.get("labels")).as(alert).containsKey("severity");
            assertThat(((Map<String, Object>) rule.get("labels")).get("severity")).as(alert).isIn("critical", "warning");
            Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
            assertThat(annotations).as(alert).containsKeys("summary", "description");
            assertThat((String) annotations.get("summary")).as(alert).isNotBlank();
            // a runbook hint: the description says what to check, not only what happened
            assertThat((String) annotations.get("description")).as(alert).containsIgnoringCase("check");
        }
    }

    @Test
    void everyDashboardPanelQueriesTheDatasourceVariableWithAnExpression() {
        JsonNode dashboard = MonitoringFiles.dashboard();
        assertThat(dashboard.path("title").asString("")).isEqualTo("Kook");
        assertThat(dashboard.path("uid").asString("")).isNotBlank();
        List<JsonNode> panels = MonitoringFiles.dataPanels();
        assertThat(panels).hasSizeGreaterThanOrEqualTo(14);
        Set<Integer> ids = new HashSet<>();
        dashboard.get("panels").forEach(panel -> assertThat(ids.add(panel.get("id").asInt())).as("unique panel id").isTrue());
        for (JsonNode panel : panels) {
            String title = panel.path("title").asString("");
            assertThat(title).isNotBlank();
            assertThat(panel.path("datasource").path("uid").asString("")).as(title).isEqualTo("${datasource}");
            assertThat(panel.path("gridPos").path("w").asInt()).as(title).isPositive();
            JsonNode targets = panel.path("targets");
            assertThat(targets.isArray() && !targets.isEmpty()).as(title + " has targets").isTrue();
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : targets) {
                String expr = target.path("expr").asString("");
                assertThat(expr).as(title).isNotBlank();
                assertThat(balanced(expr)).as(title + ": " + expr).isTrue();
                assertThat(refIds.add(target.path("refId").asString(""))).as(title + " refIds").isTrue();
            }
        }
        JsonNode variables = dashboard.path("templating").path("list");
        assertThat(variables).anySatisfy(variable -> {
            assertThat(variable.path("name").asString("")).isEqualTo("datasource");
            assertThat(variable.path("query").asString("")).isEqualTo("prometheus");
        });
    }

    @Test
    void theDashboardShowsEachSubjectTheIssueAsksFor() {
        assertThat(MonitoringFiles.metricNames()).contains("http_server_requests_seconds_bucket", "http_server_requests_seconds_count",
                "kook_writes_seconds_bucket", "kook_writes_seconds_count", "kook_mirror_lag_seconds", "kook_mirror_revision",
                "kook_mirror_stale", "kook_zookeeper_connected", "kook_registrations_live", "kook_hook_runs_total",
                "kook_subscribers", "kook_import_guard_open", "kook_auth_failures_total", "jvm_memory_used_bytes");
    }

    private static boolean balanced(String expression) {
        int round = 0;
        int curly = 0;
        int square = 0;
        boolean quoted = false;
        for (char c : expression.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                switch (c) {
                    case '(' -> round++;
                    case ')' -> round--;
                    case '{' -> curly++;
                    case '}' -> curly--;
                    case '[' -> square++;
                    case ']' -> square--;
                    default -> { }
                }
                if (round < 0 || curly < 0 || square < 0) {
                    return false;
                }
            }
        }
        return round == 0 && curly == 0 && square == 0 && !quoted;
    }
}
