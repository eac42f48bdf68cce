package io.kook.query;

import java.util.Map;
import java.util.Set;

import io.kook.inventory.KookException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The filter language: parsing, evaluation over one object, and the positions its errors name. */
class FilterTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> ROOTS = Set.of("name", "groups", "vars", "effective", "version");

    /** A host web01 in web and prod with a few typed vars; effective adds an inherited region. */
    private static final Map<String, JsonNode> HOST = Map.of(
            "name", JSON.readTree("\"web01\""),
            "groups", JSON.readTree("[\"prod\",\"web\"]"),
            "version", JSON.readTree("3"),
            "vars", JSON.readTree("{\"env\":\"prod\",\"cpus\":8,\"ratio\":0.5,\"on\":true,\"none\":null,"
                    + "\"empty\":\"\",\"tags\":[\"a\",\"b\",2],\"nested\":{\"k\":{\"x\":1}},\"a.b\":\"dotted\","
                    + "\"big\":123456789012345678901234567890,\"list\":[],\"obj\":{}}"),
            "effective", JSON.readTree("{\"env\":\"prod\",\"region\":\"eu-west-1\",\"cpus\":8}"));

    private static boolean test(String expression) {
        return Filter.parse(expression, ROOTS).test(HOST::get);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "name == \"web01\"                         | true",
            "name == `web01`                           | true",
            "name != \"web01\"                         | false",
            "vars.env == \"prod\"                      | true",
            "vars.cpus == 8                            | true",
            "vars.cpus == 8.0                          | true",   // numbers compare numerically
            "vars.cpus == \"8\"                        | false",  // a string is never a number
            "vars.cpus > 4 and vars.cpus <= 8          | true",
            "vars.cpus < 8                             | false",
            "vars.ratio >= 0.5                         | true",
            "vars.big > 123456789012345678901234567889 | true",   // exact, however big
            "vars.env < \"qa\"                         | true",   // strings lexically
            "vars.env > 1                              | false",  // unlike types never compare
            "vars.on == true                           | true",
            "vars.none == null                         | true",
            "vars.none is empty                        | true",
            "vars.empty is empty                       | true",
            "vars.list is empty                        | true",
            "vars.obj is empty                         | true",
            "vars.env is not empty                     | true",
            "vars.missing is empty                     | true",
            "vars.missing is not empty                 | false",
            "vars.missing == 1                         | false",  // a missing selector fails positive operators
            "vars.missing != 1                         | true",   // and passes their negations, as go-bexpr
            "vars.missing contains \"x\"               | false",
            "vars.missing not contains \"x\"           | true",
            "\"x\" not in vars.missing                 | true",
            "\"web\" in groups                         | true",
            "\"db\" in groups                          | false",
            "\"db\" not in groups                      | true",
            "groups contains \"prod\"                  | true",
            "vars.tags contains 2                      | true",
            "vars.tags contains \"2\"                  | false",
            "\"ro\" in vars.env                        | true",   // substring of a string
            "vars.env contains \"ro\"                  | true",
            "\"env\" in vars                           | true",   // a key of an object
            "vars.nested.k.x == 1                      | true",
            "vars.tags.0 == \"a\"                      | true",
            "vars[\"a.b\"] == \"dotted\"               | true",
            "vars[`a.b`] == \"dotted\"                 | true",
            "vars.a.b == \"dotted\"                    | false",
            "effective.region matches \"^eu-\"         | true",
            "effective.region not matches \"^us-\"     | true",
            "vars.cpus matches \"8\"                   | false",  // matches only strings
            "name matches \"eb0\"                      | true",   // unanchored, as Go's MatchString
            "version == 3                              | true",
            "not vars.env == \"dev\"                   | true",
            "not not vars.env == \"dev\"               | false",
            "vars.env == \"dev\" or vars.cpus == 8     | true",
            "vars.env == \"dev\" or vars.cpus == 8 and vars.on == false | false", // and binds tighter
            "(vars.env == \"dev\" or vars.cpus == 8) and vars.on == true | true",
            "name==\"web01\"and(vars.cpus>=8)          | true",
            "vars.env == \"pr\\u006fd\"                | true",
    })
    void evaluates(String expression, boolean expected) {
        assertThat(test(expression)).isEqualTo(expected);
    }

    @Nested
    class Errors {
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "vars.env ==                  | expected a value at position 12 (the end of the expression)",
                "vars.env == prod             | expected a value at position 13",
                "vars.env = \"prod\"          | expected an operator (==, !=, <, <=, >, >=, is empty, is not empty, contains, matches) at position 10",
                "vars.env == \"prod\" and     | expected a selector, a value, 'not' or '(' at position 23 (the end of the expression)",
                "(vars.env == \"prod\"        | expected ')' at position 20 (the end of the expression)",
                "vars.env == \"prod\")        | expected 'and', 'or' or the end of the expression at position 19",
                "vars.env == \"prod           | expected a closing \" for the string that starts here at position 13",
                "foo == 1                     | unknown selector 'foo' at position 1; expected one of effective, groups, name, vars, version",
                "vars. == 1                   | expected a key after '.' at position 6",
                "vars[a] == 1                 | expected a quoted key after '[' at position 6",
                "\"web\" groups               | expected 'in' or 'not in' after a value at position 7",
                "vars.x is full               | expected 'empty' or 'not empty' at position 11",
                "vars.x not == 1              | expected 'contains' or 'matches' at position 12",
                "vars.x matches 1             | expected a regular expression in quotes at position 16",
                "vars.x matches \"(\"         | invalid regular expression at position 16: Unclosed group",
                "vars.x == 1x                 | expected a value at position 11",
                "''                           | expected a selector, a value, 'not' or '(' at position 1 (the end of the expression)",
                "vars.x == \"\\q\"            | expected one of \\\" \\\\ \\/ \\n \\t \\r \\b \\f \\uXXXX at position 12",
        })
        void nameThePositionAndWhatWasExpected(String expression, String message) {
            assertThatThrownBy(() -> Filter.parse(expression, ROOTS))
                    .isInstanceOf(KookException.Invalid.class)
                    .hasMessage("filter: " + message)
                    .satisfies(e -> assertThat(((KookException.Invalid) e).errors().get(0).field()).isEqualTo("filter"));
        }

        @Test
        void aRegexThatBacktracksWithoutEndIsRefusedRatherThanHoldingTheThread() {
            Filter f = Filter.parse("name matches \"(.*a){20}b\"", ROOTS);
            JsonNode name = JSON.getNodeFactory().stringNode("a".repeat(60));
            assertThatThrownBy(() -> f.test(field -> "name".equals(field) ? name : null))
                    .isInstanceOf(KookException.Invalid.class).hasMessageContaining("too much work");
        }

        @Test
        void deepNestingIsRefusedBeforeItExhaustsTheStack() {
            String deep = "(".repeat(5000) + "name == \"a\"" + ")".repeat(5000);
            assertThatThrownBy(() -> Filter.parse(deep, ROOTS)).isInstanceOf(KookException.Invalid.class);
            String nots = "not ".repeat(1000) + "name == \"a\"";
            assertThatThrownBy(() -> Filter.parse(nots, ROOTS)).isInstanceOf(KookException.Invalid.class);
        }
    }
}
