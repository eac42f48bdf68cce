package io.kook.query;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PythonRegex} and {@link Fnmatch} against Python 3.11 itself: thousands of generated regexes and globs
 * (classes, escapes, braces, groups, lookarounds, flags, backreferences, quantifiers) are compiled by Python's
 * {@code re} in one process and by Kook, and each is matched against generated names. Python must reject what
 * Kook rejects, except the few constructs Kook refuses by design, and every match must agree.
 */
class PythonRegexOracleTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SCRIPT = Path.of("src/test/resources/ansible/python_re.py");

    private static final String[] ATOMS = {"a", "b", "w", "0", "1", ".", "-", "_", ":", "\\d", "\\w", "\\s", "\\W",
            "\\.", "\\-", "\\x61", "\\141", "\\0", "\\n", "\\v", "\\b", "\\B", "\\A", "\\Z", "^", "$", "[a-c]", "[^0-9]",
            "[]a]", "[\\d-]", "[a-]", "[\\w.]", "[^]]", "[[]", "[a&&b]", "[\\b]", "[-a]", "{", "}", "{x}", "{}",
            "#", " ", "\\u0061", "\\U00000061", "(?#c)", "\n", "a\nb"};
    /** Mostly what Python rejects: drawn now and then. */
    private static final String[] RISKY = {"[z-a]", "\\1", "(?P=n)", "\\q", "\\x4", "[", "\\", "(?#\\)", ")", "*"};
    /**
     * No possessive {@code *+}: Python 3.11.2 (Debian 12's, which runs Ansible here) repeats a subpattern holding a
     * lazy repeat wrongly under it ({@code (a{1,2}?b)*+a} fails on "a"); fixed in later 3.11 releases, and Kook
     * follows the documented semantics. {@code PythonRegexTests} covers possessive forms.
     */
    private static final String[] QUANTIFIERS = {"*", "+", "?", "{2}", "{1,3}", "{,2}", "{2,}", "*?", "+?", "??",
            "{1,2}?", "{3,1}", "{,}"};
    private static final String[] OPEN = {"(", "(?:", "(?P<n>", "(?=", "(?!", "(?<=", "(?<!", "(?>", "(?i:", "(?-i:",
            "(?s:", "(?x:", "(?P<_m1>"};
    private static final String[] FLAGS = {"", "", "", "(?i)", "(?s)", "(?m)", "(?x)", "(?a)", "(?u)", "(?L)",
            "(?ix)"};
    private static final String[] GLOB = {"a", "b", "w", "0", "1", ".", "-", "*", "?", "[a-c]", "[!a]", "[]]", "[!]",
            "[", "]", "[a-c-e]", "[z-a]", "[\\]", "[^a]", "[!]a]", "\\", "[a&&b]", "[~]", "[b-a-c]", "**"};
    private static final char[] TEXT = "abwABW01._-: \n".toCharArray();

    @Test
    void generatedRegexesAndGlobsCompileAndMatchAsPythonDoes() throws Exception {
        long seed = Long.getLong("kook.oracle.seed", System.nanoTime());
        System.out.println("PythonRegexOracleTests seed=" + seed);
        Random random = new Random(seed);
        List<Map<String, Object>> cases = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            boolean glob = i % 4 == 3;
            List<String> texts = new ArrayList<>();
            for (int k = 0; k < 12; k++) {
                texts.add(text(random));
            }
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("regex", glob ? glob(random) : FLAGS[random.nextInt(FLAGS.length)] + regex(random, 0));
            c.put("glob", glob);
            c.put("texts", texts);
            cases.add(c);
        }
        List<JsonNode> python = python(cases);
        int compared = 0;
        int rejected = 0;
        int refused = 0;
        int matched = 0;
        for (int i = 0; i < cases.size(); i++) {
            Map<String, Object> c = cases.get(i);
            String regex = (String) c.get("regex");
            boolean glob = (Boolean) c.get("glob");
            JsonNode expected = python.get(i);
            String why = "seed=" + seed + (glob ? " glob " : " regex ") + JSON.writeValueAsString(regex) + " python: "
                    + expected;
            Pattern compiled;
            try {
                compiled = PythonRegex.compile(glob ? Fnmatch.translate(regex) : regex);
            } catch (PythonRegex.Error e) {
                if (expected.has("error")) {
                    rejected++;
                } else {
                    // only what Kook documents as untranslatable may be refused where Python compiles
                    assertThat(e.getMessage()).as(why + " kook: " + e.getMessage())
                            .containsAnyOf("not supported", "cannot be used");
                    refused++;
                }
                continue;
            }
            assertThat(expected.has("error")).as(why + " kook compiled " + compiled.pattern()).isFalse();
            @SuppressWarnings("unchecked")
            List<String> texts = (List<String>) c.get("texts");
            for (int k = 0; k < texts.size(); k++) {
                boolean kook = compiled.matcher(texts.get(k)).lookingAt();
                assertThat(kook).as(why + " on " + JSON.writeValueAsString(texts.get(k)) + " kook: "
                        + compiled.pattern()).isEqualTo(expected.get("matches").get(k).asBoolean());
                if (kook) {
                    matched++;
                }
            }
            compared++;
        }
        System.out.println("PythonRegexOracleTests compared=" + compared + " rejected=" + rejected + " refused="
                + refused + " matches=" + matched);
        assertThat(compared).isGreaterThan(1500);
        assertThat(rejected).isGreaterThan(100);
        assertThat(refused).as("refusals of what Python accepts").isLessThan(cases.size() / 20);
        assertThat(matched).isGreaterThan(1000);
    }

    private static String regex(Random random, int depth) {
        StringBuilder s = new StringBuilder();
        int items = 1 + random.nextInt(4);
        for (int i = 0; i < items; i++) {
            int kind = random.nextInt(10);
            if (random.nextInt(12) == 0) {
                s.append(RISKY[random.nextInt(RISKY.length)]);
            } else if (kind < 6 || depth > 2) {
                s.append(ATOMS[random.nextInt(ATOMS.length)]);
            } else if (kind < 8) {
                s.append(OPEN[random.nextInt(OPEN.length)]).append(regex(random, depth + 1))
                        .append(random.nextInt(30) == 0 ? "" : ")");
            } else {
                s.append(regex(random, depth + 1)).append('|').append(regex(random, depth + 1));
            }
            if (random.nextInt(3) == 0) {
                s.append(QUANTIFIERS[random.nextInt(QUANTIFIERS.length)]);
            }
        }
        return s.toString();
    }

    private static String glob(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
            s.append(GLOB[random.nextInt(GLOB.length)]);
        }
        return s.toString();
    }

    private static String text(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = 0, n = random.nextInt(7); i < n; i++) {
            s.append(TEXT[random.nextInt(TEXT.length)]);
        }
        return s.toString();
    }

    private static List<JsonNode> python(List<Map<String, Object>> cases) throws Exception {
        String python = AnsiblePatternOracleTests.ansiblePython();
        Path out = Files.createTempFile("python-re", ".json");
        Path err = Files.createTempFile("python-re", ".err");
        Process p = new ProcessBuilder(python, SCRIPT.toAbsolutePath().toString()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        try (var stdin = p.getOutputStream()) {
            stdin.write(JSON.writeValueAsBytes(cases));
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        List<JsonNode> results = new ArrayList<>();
        JSON.readTree(Files.readString(out)).forEach(results::add);
        Assumptions.assumeTrue(results.size() == cases.size());
        return results;
    }
}
