package io.kook.ansible.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class PythonShlexTests {

    private static final String SHLEX_SPLIT = """
            import json, shlex, sys
            out = []
            for s in json.load(sys.stdin):
                try:
                    out.append({"v": shlex.split(s, comments=True)})
                except ValueError as e:
                    out.append({"error": str(e)})
            print(json.dumps(out))
            """;

    private static final List<String> CORPUS = List.of("a b c", "a  b", "a#b", "a #b", "\"a#b\"", "'a#b'",
            "a\"b c\"d", "a'b c'd", "a\\ b", "a\\#b", "\"a\\\"b\"", "'a\\'b", "\"a\\\\b\"", "\"a\\nb\"", "'a\\nb'",
            "\"\"", "''", "a \"\" b", "a=\"\"", "\"unterminated", "'unterminated", "a\\", "x=1 # y=2", "k=\"v w\" z",
            "tab\tsep", "a\\\\", "\"\\$\"", "\"\\a\"", "\u00e9=\u00fc", "#all", "a#", "\"#\"", "\\#", "a\"\"b", "a''",
            "\"a\"#b", "a\rb", "x=\"[1, 2]\"", "t4 list=\"[1, 2, 'three']\"", "h a=b#c d=\"e#f\"");

    @Test
    void quotesGroupAndVanish() {
        assertThat(PythonShlex.split("h a=\"x y\" b='1' c=d\\ e")).containsExactly("h", "a=x y", "b=1", "c=d e");
    }

    @Test
    void unquotedHashEndsTheLineEvenInsideAWord() {
        assertThat(PythonShlex.split("h a=b#c d=1")).containsExactly("h", "a=b");
    }

    @Test
    void emptyQuotesAreAnEmptyWord() {
        assertThat(PythonShlex.split("h a='' ''")).containsExactly("h", "a=", "");
    }

    @Test
    void unclosedQuoteIsAnError() {
        assertThatIllegalArgumentException().isThrownBy(() -> PythonShlex.split("a \"b"))
                .withMessage("No closing quotation");
    }

    @Test
    void agreesWithPythonsShlexSplit() throws Exception {
        JsonNode python = PythonOracle.run(SHLEX_SPLIT, CORPUS);

        List<String> differences = new ArrayList<>();
        for (int i = 0; i < CORPUS.size(); i++) {
            ObjectNode java = JsonNodeFactory.instance.objectNode();
            try {
                PythonShlex.split(CORPUS.get(i)).forEach(java.putArray("v")::add);
            } catch (IllegalArgumentException e) {
                java.removeAll().put("error", e.getMessage());
            }
            if (!java.equals(python.get(i))) {
                differences.add(CORPUS.get(i) + "\n  python: " + python.get(i) + "\n  java:   " + java);
            }
        }
        assertThat(differences).as("inputs where Kook differs from Python").isEmpty();
    }
}
