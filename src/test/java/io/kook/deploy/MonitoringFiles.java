package io.kook.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kook.support.Http;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The alert rules and the Grafana dashboard, read from their one copy in the chart, and the metric names their
 * PromQL uses.
 */
final class MonitoringFiles {

    static final Path ALERTS = Path.of("helm", "kook", "files", "kook-alerts.yaml");
    static final Path DASHBOARD = Path.of("helm", "kook", "files", "kook-dashboard.json");

    /** A metric of Kook's, Spring's HTTP server, the JVM or the process; PromQL keywords and labels never match. */
    private static final Pattern METRIC = Pattern.compile("\\b(?:kook|http|jvm|process)_[a-z0-9_]*[a-z0-9]");

    private MonitoringFiles() {
    }

    /** Every rule of every group, as parsed. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> alertRules() {
        Map<String, Object> file = new Yaml().load(read(ALERTS));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    static JsonNode dashboard() {
        return Http.JSON.readTree(read(DASHBOARD));
    }

    /** The panels that show data (rows only arrange them). */
    static List<JsonNode> dataPanels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard().get("panels")) {
            if (!"row".equals(panel.path("type").asString(""))) {
                panels.add(panel);
            }
        }
        return panels;
    }

    /** Every PromQL expression: the rules' exprs, the panels' target exprs and the template variables' queries. */
    static List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        alertRules().forEach(rule -> expressions.add(String.valueOf(rule.get("expr"))));
        for (JsonNode panel : dataPanels()) {
            panel.path("targets").forEach(target -> expressions.add(target.path("expr").asString("")));
        }
        for (JsonNode variable : dashboard().path("templating").path("list")) {
            JsonNode query = variable.path("query");
            if (query.isObject()) {
                expressions.add(query.path("query").asString(""));
            }
        }
        return expressions;
    }

    /** Every metric name the expressions use. */
    static SortedSet<String> metricNames() {
        SortedSet<String> names = new TreeSet<>();
        for (String expression : expressions()) {
            Matcher matcher = METRIC.matcher(expression);
            while (matcher.find()) {
                names.add(matcher.group());
            }
        }
        return names;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
