package io.kook.ansible.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.kook.ansible.AnsibleInventoryComparison;
import io.kook.ansible.RandomInventories;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What {@link IniSyntax} writes, read back by Python itself the way Ansible's INI plugin reads it: a host-line
 * word through {@code shlex.split(comments=True)}, a {@code :vars} line split at the first {@code =} and stripped,
 * each value through {@code ast.literal_eval}; thousands of random values in one Python run, so the encoding is
 * proven against the real reader, not only against Kook's imitation of it.
 */
class IniSyntaxTests {

    private static final String READ_AS_ANSIBLE = """
            import ast, json, shlex, sys
            sys.set_int_max_str_digits(0)
            out = []
            for kind, line in json.load(sys.stdin):
                if len(line.splitlines()) != 1 or line.strip()[:1] in ('#', ';'):
                    out.append({"error": "not one line of content"})
                    continue
                line = line.strip()
                if kind == "host":
                    words = shlex.split(line, comments=True)
                    if len(words) != 2:
                        out.append({"error": "words: %r" % words})
                        continue
                    k, v = words[1].split("=", 1)
                else:
                    k, v = [e.strip() for e in line.split("=", 1)]
                try:
                    out.append({"k": k, "v": ast.literal_eval(v)})
                except (ValueError, SyntaxError) as e:
                    out.append({"error": "not a literal: %r (%s)" % (v, e)})
            print(json.dumps(out))
            """;

    @Test
    void hostLineWordsAndVarsLinesReadBackInPythonAsTheValuesWritten() throws Exception {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        List<String> keys = new ArrayList<>();
        List<JsonNode> values = new ArrayList<>();
        List<List<String>> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String key = RandomInventories.KEYS.get(r.nextInt(RandomInventories.KEYS.size()));
            JsonNode value = RandomInventories.value(r, 0);
            keys.add(key);
            values.add(value);
            lines.add(List.of("host", "h1 " + IniSyntax.hostVarWord(key, value)));
            keys.add(key);
            values.add(value);
            lines.add(List.of("vars", IniSyntax.varsLine(key, value)));
        }
        JsonNode python = PythonOracle.runOnLists(READ_AS_ANSIBLE, lines);

        for (int i = 0; i < lines.size(); i++) {
            JsonNode read = python.get(i);
            String context = "seed " + seed + ", " + lines.get(i);
            assertThat(read.has("error")).as(context + ": " + read).isFalse();
            assertThat(read.get("k").asString()).as(context).isEqualTo(keys.get(i));
            assertThat(AnsibleInventoryComparison.sameValue(values.get(i), read.get("v")))
                    .as(context + " read as " + read.get("v")).isTrue();
        }
    }

    @Test
    void hugeIntsAreWrittenInHexWhichPythonReadsWithoutItsDigitLimit() throws Exception {
        JsonNode huge = PyValues.integer(java.math.BigInteger.TEN.pow(5000).negate());
        String line = IniSyntax.varsLine("n", huge);
        assertThat(line).startsWith("n=-0x");
        JsonNode python = PythonOracle.runOnLists(READ_AS_ANSIBLE, List.of(List.of("vars", line)));
        assertThat(python.get(0).get("v").bigIntegerValue()).isEqualTo(java.math.BigInteger.TEN.pow(5000).negate());
    }
}
