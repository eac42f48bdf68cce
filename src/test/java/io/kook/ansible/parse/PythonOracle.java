package io.kook.ansible.parse;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs a Python 3 snippet on a JSON list of strings and returns the JSON it prints; skips without python3. */
final class PythonOracle {

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(100_000).build()).build()).build();

    private PythonOracle() {
    }

    static JsonNode run(String script, List<String> inputs) throws IOException, InterruptedException {
        return runOn(script, inputs);
    }

    /** As {@link #run}, for inputs that are lists of strings. */
    static JsonNode runOnLists(String script, List<List<String>> inputs) throws IOException, InterruptedException {
        return runOn(script, inputs);
    }

    private static JsonNode runOn(String script, Object inputs) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", script).start();
        } catch (IOException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("python3 is not available: " + e.getMessage());
            }
            Assumptions.assumeTrue(false, "python3 is not available: " + e.getMessage());
            throw e;
        }
        try (OutputStream in = p.getOutputStream()) {
            in.write(MAPPER.writeValueAsBytes(inputs));
        }
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("python3 failed: " + err);
        }
        return MAPPER.readTree(out);
    }
}
