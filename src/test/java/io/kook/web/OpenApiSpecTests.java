package io.kook.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kook.support.Http;
import io.kook.support.KookTest;
import io.kook.support.KookTestSupport;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed {@code openapi/kook.yaml} is what the code serves at {@code /v3/api-docs.yaml}, and it documents
 * every call fully. After changing the API, regenerate it with
 * {@code ./mvnw test -Dtest=OpenApiSpecTests -Dkook.openapi.write=true}, review the diff, and commit it.
 */
@KookTest
class OpenApiSpecTests extends KookTestSupport {

    private static final Path SPEC = Path.of("openapi/kook.yaml");
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    /**
     * The success codes each write answers, read from its controller (and proved by the contract tests): the spec
     * must document exactly these, and the problems listed with them, so a new write or a changed code fails here
     * until both agree.
     */
    private static final Map<String, Answers> WRITES = Map.ofEntries(
            Map.entry("POST /hosts", answers(Set.of("201"), "400", "409", "413", "415", "422", "503", "504")),
            Map.entry("PUT /hosts/{name}", answers(Set.of("200", "201"), "400", "412", "413", "415", "422", "503", "504")),
            Map.entry("PATCH /hosts/{name}", answers(Set.of("200"), "400", "404", "412", "413", "415", "422", "503", "504")),
            Map.entry("DELETE /hosts/{name}", answers(Set.of("204"), "400", "404", "412", "503", "504")),
            Map.entry("POST /groups", answers(Set.of("201"), "400", "409", "413", "415", "422", "503", "504")),
            Map.entry("PUT /groups/{name}", answers(Set.of("200", "201"), "400", "409", "412", "413", "415", "422", "503", "504")),
            Map.entry("PATCH /groups/{name}", answers(Set.of("200"), "400", "404", "409", "412", "413", "415", "422", "503", "504")),
            Map.entry("DELETE /groups/{name}", answers(Set.of("204"), "400", "404", "412", "503", "504")),
            Map.entry("PUT /groups/{name}/hosts/{host}", answers(Set.of("204"), "400", "404", "503", "504")),
            Map.entry("DELETE /groups/{name}/hosts/{host}", answers(Set.of("204"), "400", "404", "503", "504")),
            Map.entry("PUT /groups/{name}/children/{child}", answers(Set.of("204"), "400", "404", "409", "503", "504")),
            Map.entry("DELETE /groups/{name}/children/{child}", answers(Set.of("204"), "400", "404", "503", "504")),
            Map.entry("POST /ansible/inventory", answers(Set.of("200"), "400", "409", "413", "415", "503", "504")),
            Map.entry("POST /tokens", answers(Set.of("201"), "400", "409", "415", "503")),
            Map.entry("DELETE /tokens/{name}", answers(Set.of("204"), "404", "503")),
            Map.entry("PUT /services/{service}/instances/{instance}", answers(Set.of("200", "201"), "400", "413", "503", "504")),
            Map.entry("DELETE /services/{service}/instances/{instance}", answers(Set.of("204"), "400", "503")),
            Map.entry("POST /changes/{revision}/revert", answers(Set.of("201"), "404", "409", "503", "504")));

    /** Writes whose 201 has no resource of its own to point to, so it carries no {@code Location}. */
    private static final Set<String> CREATED_WITHOUT_LOCATION = Set.of("PUT /services/{service}/instances/{instance}");

    private record Answers(Set<String> success, Set<String> problems) {
    }

    private static Answers answers(Set<String> success, String... problems) {
        return new Answers(success, Set.of(problems));
    }

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
                .contains(PROBLEM_JSON).contains("/ansible/inventory").contains("openapi: 3.1");
    }

    @Test
    void serversAreRelativeSoTryItOutCallsTheHostThatServedTheDocument() throws Exception {
        List<Map<String, Object>> servers = list(spec().get("servers"));
        assertThat(servers).isNotEmpty();
        for (Map<String, Object> server : servers) {
            String url = (String) server.get("url");
            assertThat(url).as("server url %s", url).doesNotContain("://").doesNotStartWith("//");
        }
    }

    @Test
    void everyOperationHasASummaryAndADescription() throws Exception {
        List<String> missing = new ArrayList<>();
        operations().forEach((key, op) -> {
            if (blank(op.get("summary"))) {
                missing.add(key + ": summary");
            }
            if (blank(op.get("description"))) {
                missing.add(key + ": description");
            }
        });
        assertThat(missing).as("operations without a summary or description").isEmpty();
    }

    @Test
    void everyParameterIsDescribed() throws Exception {
        List<String> missing = new ArrayList<>();
        operations().forEach((key, op) -> {
            for (Map<String, Object> parameter : list(op.get("parameters"))) {
                if (blank(parameter.get("description"))) {
                    missing.add(key + ": " + parameter.get("in") + " " + parameter.get("name"));
                }
            }
        });
        assertThat(missing).as("parameters without a description").isEmpty();
    }

    @Test
    void everyRequestBodyHasAnExampleForEachMediaType() throws Exception {
        List<String> missing = new ArrayList<>();
        operations().forEach((key, op) -> {
            Map<String, Object> body = map(op.get("requestBody"));
            map(body.get("content")).forEach((type, media) -> {
                Map<String, Object> m = map(media);
                if (m.get("example") == null && map(m.get("examples")).isEmpty()) {
                    missing.add(key + ": " + type);
                }
            });
        });
        assertThat(missing).as("request bodies without an example").isEmpty();
    }

    @Test
    void everyResponseIsDescribedAndEveryProblemIsAProblemDocument() throws Exception {
        List<String> wrong = new ArrayList<>();
        operations().forEach((key, op) -> {
            Map<String, Object> responses = map(op.get("responses"));
            boolean open = op.get("security") instanceof List<?> security && security.isEmpty();
            if (!open && responses.keySet().stream().noneMatch(code -> code.startsWith("4"))) {
                wrong.add(key + ": documents no 4xx problem");
            }
            responses.forEach((code, response) -> {
                Map<String, Object> r = map(response);
                if (blank(r.get("description")) || "OK".equals(r.get("description"))) {
                    wrong.add(key + " " + code + ": no description of its own");
                }
                if (code.equals("default") || code.compareTo("400") >= 0) {
                    Map<String, Object> content = map(r.get("content"));
                    if (!content.keySet().equals(Set.of(PROBLEM_JSON))
                            || !"#/components/schemas/Problem".equals(map(map(content.get(PROBLEM_JSON)).get("schema")).get("$ref"))) {
                        wrong.add(key + " " + code + ": not an " + PROBLEM_JSON + " Problem but " + content.keySet());
                    }
                }
                if ((code.equals("503")) && !map(r.get("headers")).containsKey("Retry-After")) {
                    wrong.add(key + " 503: no Retry-After");
                }
                if ((code.equals("204") || code.equals("304")) && !map(r.get("content")).isEmpty()) {
                    wrong.add(key + " " + code + ": has a body");
                }
            });
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyWriteDocumentsTheCodesItsControllerAnswers() throws Exception {
        Map<String, Map<String, Object>> operations = operations();
        List<String> wrong = new ArrayList<>();
        Set<String> writes = new TreeSet<>();
        operations.forEach((key, op) -> {
            if (!key.startsWith("GET ") && !(op.get("security") instanceof List<?> s && s.isEmpty())) {
                writes.add(key);
            }
        });
        assertThat(writes).as("every write in the spec is in WRITES, and every one there is in the spec")
                .isEqualTo(new TreeSet<>(WRITES.keySet()));
        WRITES.forEach((key, expected) -> {
            Map<String, Object> responses = map(operations.get(key).get("responses"));
            Set<String> success = new TreeSet<>();
            responses.keySet().stream().filter(code -> code.startsWith("2")).forEach(success::add);
            if (!success.equals(new TreeSet<>(expected.success()))) {
                wrong.add(key + ": documents " + success + ", answers " + new TreeSet<>(expected.success()));
            }
            for (String problem : expected.problems()) {
                if (!responses.containsKey(problem)) {
                    wrong.add(key + ": does not document " + problem);
                }
            }
            if (responses.containsKey("201") && !CREATED_WITHOUT_LOCATION.contains(key)
                    && !map(map(responses.get("201")).get("headers")).containsKey("Location")) {
                wrong.add(key + ": 201 without a Location header");
            }
            if (key.startsWith("DELETE ") && !success.equals(Set.of("204"))) {
                wrong.add(key + ": a delete answers 204");
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyFilePathTheSpecMentionsIsInTheRepository() throws Exception {
        String spec = Files.readString(SPEC);
        // relative paths with a directory (design/api.md, ./data/x, src/...): not URLs, not API paths
        Matcher paths = Pattern.compile("(?<![\\w/.:~@-])(\\.{1,2}/)?[A-Za-z0-9_-][\\w.-]*(/[\\w.-]+)+").matcher(spec);
        List<String> missing = new ArrayList<>();
        while (paths.find()) {
            String path = paths.group().replaceAll("\\.+$", "");
            boolean relativeToHere = path.startsWith("./") || path.startsWith("../");
            boolean file = path.substring(path.lastIndexOf('/') + 1).matches(".*\\.[A-Za-z]{1,5}");
            if ((relativeToHere || file) && !path.contains("{") && !Files.exists(Path.of(path))) {
                missing.add(path);
            }
        }
        assertThat(missing).as("paths named in openapi/kook.yaml that are not in the repository").isEmpty();
    }

    private static Map<String, Object> spec() throws IOException {
        return new Yaml().load(Files.readString(SPEC));
    }

    private static Map<String, Map<String, Object>> operations() throws IOException {
        Map<String, Map<String, Object>> operations = new LinkedHashMap<>();
        map(spec().get("paths")).forEach((path, item) -> map(item).forEach((method, op) -> {
            if (METHODS.contains(method)) {
                operations.put(method.toUpperCase() + " " + path, map(op));
            }
        }));
        return operations;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return value instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    private static boolean blank(Object text) {
        return !(text instanceof String s) || s.isBlank();
    }
}
