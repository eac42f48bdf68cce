package io.kook.ansible.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class PythonLiteralTests {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** ast.literal_eval over the inputs, each result in the shape {@link #describe} gives. */
    private static final String LITERAL_EVAL = """
            import ast, json, sys, warnings
            def conv(v):
                if isinstance(v, bool) or v is None or isinstance(v, (int, str)): return v
                if isinstance(v, float):
                    return v if v == v and v not in (float('inf'), float('-inf')) else {"__float__": repr(v)}
                if isinstance(v, bytes): return v.decode('utf-8', 'surrogateescape')
                if isinstance(v, complex): return {"__complex__": repr(v)}
                if v is Ellipsis: return "..."
                if isinstance(v, (list, tuple)): return [conv(x) for x in v]
                if isinstance(v, set): return {"__set__": sorted(json.dumps(conv(x), sort_keys=True) for x in v)}
                return {k if isinstance(k, str) else json.dumps(k): conv(x) for k, x in v.items()}
            out = []
            for s in json.load(sys.stdin):
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        out.append({"v": conv(ast.literal_eval(s))})
                except (ValueError, SyntaxError):
                    out.append({"not": True})
                except TypeError:
                    out.append({"type_error": True})
            sys.set_int_max_str_digits(0)
            print(json.dumps(out))
            """;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "42                         | 42",
            "-7                         | -7",
            "0x1F                       | 31",
            "1_000                      | 1000",
            "1e3                        | 1000.0",
            "'bar' # comment            | \"bar\"",
            "\"a\" 'b'                  | \"ab\"",
            "[1, 'two', None]           | [1, \"two\", null]",
            "{'a': (1, 2)}              | {\"a\": [1, 2]}",
            "1, 2                       | [1, 2]",
            "True                       | true",
            "'\\u00e9'                  | \"\u00e9\"",
            "r'\\n'                     | \"\\\\n\""})
    void literalsEvaluateLikePython(String source, String expected) {
        assertThat(PyValues.toJson(PythonLiteral.eval(source))).isEqualTo(MAPPER.readTree(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"true", "yes", "0755", "bar # comment", "1 2", "x.y", "1+2", "f'x'",
            "'unterminated", "[1, 2", "--5", "http://example.com:8080/x", "{{ inventory_hostname }}"})
    void nonLiteralsAreRecognised(String source) {
        assertThat(PythonLiteral.eval(source)).isSameAs(PythonLiteral.NOT_A_LITERAL);
    }

    @Test
    void unhashableDictKeyIsATypeError() {
        assertThatIllegalArgumentException().isThrownBy(() -> PythonLiteral.eval("{[1]: 2}"))
                .withMessageContaining("unhashable");
    }

    @Test
    void agreesWithPythonsLiteralEval() throws Exception {
        List<String> inputs = corpus();

        JsonNode python = PythonOracle.run(LITERAL_EVAL, inputs);

        List<String> differences = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode java = describe(inputs.get(i));
            if (!java.equals(python.get(i))) {
                differences.add(inputs.get(i) + "\n  python: " + python.get(i) + "\n  java:   " + java);
            }
        }
        assertThat(differences).as("inputs where Kook differs from Python").isEmpty();
    }

    private static List<String> corpus() throws IOException {
        List<String> inputs = new ArrayList<>();
        try (InputStream in = PythonLiteralTests.class.getResourceAsStream("/ansible/python-literals.txt")) {
            inputs.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        }
        for (int n : new int[] {199, 200, 201}) {
            inputs.add("[".repeat(n) + "]".repeat(n));
            inputs.add("(".repeat(n) + "1" + ")".repeat(n));
        }
        inputs.addAll(List.of("1".repeat(4300), "1".repeat(4301), "0x" + "f".repeat(5000), "-".repeat(50) + "1",
                "\t 1", " \t'x'", "\u00a01", "1\u00a0", "\u00e9", "'\u00e9'", "\u0000", "'a\u0000'", "", " "));
        return inputs;
    }

    /** The Python value of {@code source} in the test's JSON shape, as the Python snippet prints it. */
    private static JsonNode describe(String source) {
        ObjectNode result = F.objectNode();
        try {
            Object value = PythonLiteral.eval(source);
            if (value == PythonLiteral.NOT_A_LITERAL) {
                result.put("not", true);
            } else {
                result.set("v", describeValue(value));
            }
        } catch (IllegalArgumentException e) {
            result.put("type_error", true);
        }
        return result;
    }

    private static JsonNode describeValue(Object v) {
        if (v instanceof Double d && !Double.isFinite(d)) {
            return F.objectNode().put("__float__", PyValues.floatRepr(d));
        }
        if (v instanceof PyValues.Complex c) {
            return F.objectNode().put("__complex__", PyValues.complexRepr(c));
        }
        if (v instanceof BigInteger i) {
            return PyValues.integer(i);
        }
        if (v instanceof PyValues.Tuple t) {
            return list(t.items());
        }
        if (v instanceof List<?> l) {
            return list(l);
        }
        if (v instanceof PyValues.PySet s) {
            List<String> items = new ArrayList<>();
            s.items().forEach(item -> items.add(MAPPER.writeValueAsString(describeValue(item))));
            Collections.sort(items);
            ArrayNode sorted = F.arrayNode();
            items.forEach(sorted::add);
            return F.objectNode().set("__set__", sorted);
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = F.objectNode();
            m.forEach((k, value) -> {
                Object key = ((PyValues.Key) k).value();
                o.set(key instanceof String s ? s : MAPPER.writeValueAsString(describeValue(key)), describeValue(value));
            });
            return o;
        }
        return PyValues.toJson(v);
    }

    private static ArrayNode list(List<?> items) {
        ArrayNode a = F.arrayNode();
        items.forEach(item -> a.add(describeValue(item)));
        return a;
    }
}
