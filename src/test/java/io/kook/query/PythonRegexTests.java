package io.kook.query;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Python {@code re} and {@code fnmatch} semantics carried into Java, case by case. */
class PythonRegexTests {

    private static boolean pyMatch(String regex, String text) {
        return PythonRegex.compile(regex).matcher(text).lookingAt();
    }

    private static boolean glob(String glob, String text) {
        return pyMatch(Fnmatch.translate(glob), text);
    }

    @Nested
    class Regexes {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "web         | web01      | true",   // re.match anchors at the start only
                "eb          | web01      | false",
                "web\\d+$    | web01      | true",
                "web\\d+$    | web01x     | false",
                "web\\d+\\Z  | web01      | true",
                "(?i)WEB     | web01      | true",
                "(?i:WEB)0   | web01      | true",
                "(?i:WEB)0   | WEB01      | true",
                "(?i:web)X   | WEBx       | false",
                "a{,2}b      | aab        | true",    // {,n} is {0,n} in Python
                "x{          | x{         | true",    // a brace that is no repeat is a literal
                "x{a}        | x{a}       | true",
                "x{}         | x{}        | true",
                "[]a]        | ]          | true",    // ] first in a class is a member
                "[[a]        | [          | true",    // [ in a class is a member, no nesting
                "[a&&b]      | &          | true",    // && is no intersection
                "[^\\d]b     | ab         | true",
                "\\x41       | A          | true",
                "\\101       | A          | true",    // three octal digits
                "\\0         | '\u0000'   | true",
                "\\v         | '\u000b'   | true",    // Java's \\v is a class
                "(?P<w>ab)(?P=w) | abab   | true",
                "(a)\\1      | aa         | true",
                "(?x) w e b  # comment | web | true",
                "a(?#note)b  | ab         | true",
                "(?s:.)b     | '\nb'      | true",
                ".b          | '\nb'      | false",
                "a++b        | aab        | true",    // possessive (3.11)
                "(?>a*)b     | aab        | true",
                "''          | anything   | true",
        })
        void matchAsPythonDoes(String regex, String text, boolean expected) {
            assertThat(pyMatch(regex, text)).as(regex + " on " + text).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"(", ")", "a**", "*a", "a{3,2}", "[z-a]", "\\q", "\\p{L}", "(?<n>x)", "(a)\\2",
                "a(?i)", "[a", "(?P<x>a)(?P<x>b)", "(?P=nope)", "(a\\1)", "\\x4", "(?L)a", "^*", "\\N{DIGIT ONE}",
                "(?(1)a|b)"})
        void refuseWhatPythonRefusesOrJavaCannotSayExactly(String regex) {
            assertThatThrownBy(() -> PythonRegex.compile(regex)).isInstanceOf(PythonRegex.Error.class);
        }

        @Test
        void javaOnlySyntaxStaysLiteralOrIsRefused() {
            assertThat(pyMatch("a\\}", "a}")).isTrue();
            assertThat(pyMatch("#", "#")).isTrue();
            assertThatThrownBy(() -> PythonRegex.compile("\\Qa\\E")).isInstanceOf(PythonRegex.Error.class);
            assertThat(PythonRegex.compile("a").flags() & Pattern.UNIX_LINES).isNotZero();
        }
    }

    @Nested
    class Globs {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "web*       | web01       | true",
                "web*       | xweb01      | false",
                "web0?      | web01       | true",
                "web0?      | web011      | false",   // a glob matches the whole name
                "db[1-3]    | db2         | true",
                "db[1-3]    | db4         | false",
                "[!w]*      | db1         | true",
                "[!w]*      | web1        | false",
                "[          | [           | true",    // an unclosed bracket is a literal
                "[]]        | ]           | true",
                "[z-a]x     | ax          | false",   // an empty range never matches
                "[!]        | '!'         | false",
                "*.com      | a.b.com     | true",
                "*.com      | abcom       | false",
                "a*b*c      | aXbYbZc     | true",
                "*-*        | app-a       | true",
                "[a-c-e]    | '-'         | true",
                "[a-c-e]    | d           | false",
                "[a-c-e]    | e           | true",
                "**         | ''          | true",
        })
        void matchAsFnmatchDoes(String glob, String text, boolean expected) {
            assertThat(glob(glob, text)).as(glob + " on " + text).isEqualTo(expected);
        }
    }
}
