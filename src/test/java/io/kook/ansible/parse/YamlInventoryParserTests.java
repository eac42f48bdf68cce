package io.kook.ansible.parse;

import static io.kook.ansible.parse.Inventories.errorAt;
import static io.kook.ansible.parse.Inventories.json;
import static io.kook.ansible.parse.Inventories.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.kook.ansible.ParsedInventory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class YamlInventoryParserTests {

    @Nested
    class Structure {

        @Test
        void topLevelKeysBesideAllAreGroups() {
            ParsedInventory inv = yaml("""
                    all:
                      children:
                        web:
                          hosts:
                            w1:
                    eu:
                      hosts:
                        w1:
                    """);

            assertThat(inv.groups()).containsOnlyKeys("web", "eu");
            assertThat(inv.groups().get("eu").hosts()).containsExactly("w1");
        }

        @Test
        void nullHostEntriesAreHostsWithoutVars() {
            ParsedInventory inv = yaml("all:\n  hosts:\n    h1:\n    h2: {}\n    h3: ''\n");

            assertThat(inv.hosts()).containsOnlyKeys("h1", "h2", "h3");
            assertThat(inv.hosts().get("h1")).isEmpty();
        }

        @Test
        void hostUnderSeveralGroupsMergesItsVarsLaterWinning() {
            ParsedInventory inv = yaml("""
                    a:
                      hosts:
                        h: {x: 1, y: 1, d: {k: 1}}
                    b:
                      hosts:
                        h: {y: 2, d: {j: 2}}
                    """);

            assertThat(inv.hosts().get("h")).isEqualTo(json("{\"x\": 1, \"y\": 2, \"d\": {\"j\": 2}}"));
        }

        @Test
        void allWithVarsIsKeptAsAGroup() {
            assertThat(yaml("all:\n  vars:\n    x: 1\n").groups().get("all").vars()).isEqualTo(json("{\"x\": 1}"));
        }

        @Test
        void aBareStringSectionIsOneEntry() {
            ParsedInventory inv = yaml("g:\n  hosts: h1\n  children: c\n");

            assertThat(inv.groups().get("g").hosts()).containsExactly("h1");
            assertThat(inv.groups().get("g").children()).containsExactly("c");
        }

        @Test
        void hostPatternsAndPortsWorkAsInIni() {
            ParsedInventory inv = yaml("all:\n  hosts:\n    web[01:02]:\n    'db:2222':\n");

            assertThat(inv.hosts()).containsOnlyKeys("web01", "web02", "db");
            assertThat(inv.hosts().get("db")).isEqualTo(json("{\"ansible_port\": 2222}"));
        }

        @Test
        void keysAnsibleSkipsBecomeWarnings() {
            ParsedInventory inv = yaml("g:\n  hosts:\n    h:\n  foo: {a: 1}\nbad: [1, 2]\n");

            assertThat(inv.groups()).containsOnlyKeys("g");
            assertThat(inv.warnings()).anyMatch(w -> w.contains("Skipping unexpected key (foo)"))
                    .anyMatch(w -> w.contains("Skipping 'bad'"));
        }

        @Test
        void aJsonDocumentIsReadAsJson() {
            assertThat(yaml("{\"all\": {\"hosts\": {\"h\": {\"f\": 1e5}}}}").hosts().get("h"))
                    .isEqualTo(json("{\"f\": 100000.0}"));
        }
    }

    @Nested
    class Values {

        @Test
        void yesIsTrueAndLeadingZeroIsOctal() {
            assertThat(yaml("all:\n  vars: {a: yes, b: 0755, c: 'yes'}\n").groups().get("all").vars())
                    .isEqualTo(json("{\"a\": true, \"b\": 493, \"c\": \"yes\"}"));
        }

        @Test
        void pyYamlTypingDiffersFromSnakeYamlsOwn() {
            assertThat(yaml("all:\n  vars: {a: 1e5, b: 08, c: 1.0e+5, d: 190:20:30}\n").groups().get("all").vars())
                    .isEqualTo(json("{\"a\": \"1e5\", \"b\": \"08\", \"c\": 100000.0, \"d\": 685230}"));
        }

        @Test
        void bigIntegersStayExact() {
            assertThat(yaml("all:\n  vars: {n: 123456789012345678901234567890}\n").groups().get("all").vars().get("n")
                    .bigIntegerValue()).hasToString("123456789012345678901234567890");
        }

        @Test
        void datesPrintAsPythonIsoformat() {
            assertThat(yaml("all:\n  vars:\n    d: 2002-12-14\n    t: 2001-12-14 21:59:43.10 -5\n").groups().get("all").vars())
                    .isEqualTo(json("{\"d\": \"2002-12-14\", \"t\": \"2001-12-14T21:59:43.100000-05:00\"}"));
        }

        @Test
        void mergeKeysApplyAndOwnKeysWin() {
            assertThat(yaml("all:\n  vars:\n    base: &b {x: 1, y: 1}\n    m: {<<: *b, y: 2}\n").groups().get("all")
                    .vars().get("m")).isEqualTo(json("{\"x\": 1, \"y\": 2}"));
        }

        @Test
        void unsafeAndVaultKeepAnsiblesJsonForm() {
            assertThat(yaml("all:\n  vars:\n    u: !unsafe '{{ x }}'\n    v: !vault 'cipher'\n").groups().get("all").vars())
                    .isEqualTo(json("{\"u\": {\"__ansible_unsafe\": \"{{ x }}\"}, \"v\": {\"__ansible_vault\": \"cipher\"}}"));
        }

        @Test
        void nonStringKeysBecomeJsonKeys() {
            assertThat(yaml("all:\n  vars:\n    m: {1: a, null: b, true: c}\n").groups().get("all").vars().get("m"))
                    .isEqualTo(json("{\"1\": \"c\", \"null\": \"b\"}"));
        }

        @Test
        void binaryBecomesText() {
            assertThat(yaml("all:\n  vars:\n    b: !!binary aGVsbG8=\n").groups().get("all").vars())
                    .isEqualTo(json("{\"b\": \"hello\"}"));
        }
    }

    @Nested
    class Errors {

        @Test
        void brokenYamlNamesTheLine() {
            assertThat(errorAt(5, () -> yaml("all:\n  hosts:\n    h1:\n      a: [1, 2\n")).getMessage())
                    .contains("not valid YAML: while parsing a flow sequence (line 4)");
        }

        @Test
        void tabIndentationNamesTheLine() {
            errorAt(2, () -> yaml("all:\n\thosts:\n"));
        }

        @Test
        void groupNameKookCannotStoreNamesItsLine() {
            assertThat(errorAt(3, () -> yaml("all:\n  children:\n    web+app:\n")).getMessage())
                    .contains("group names are 1-255 characters");
        }

        @Test
        void hostNameKookCannotStoreNamesItsLine() {
            assertThat(errorAt(3, () -> yaml("all:\n  hosts:\n    'bad host':\n")).getMessage())
                    .contains("host names are 1-253 characters");
        }

        @Test
        void nonStringHostPatternIsAnError() {
            assertThat(errorAt(3, () -> yaml("all:\n  hosts:\n    1.5:\n")).getMessage()).contains("must be a string");
        }

        @Test
        void hostValueThatIsNoMappingIsAnError() {
            errorAt(3, () -> yaml("all:\n  hosts:\n    h1: 5\n"));
        }

        @Test
        void sectionThatIsAListIsAnError() {
            errorAt(2, () -> yaml("g:\n  hosts: [h1, h2]\n"));
        }

        @Test
        void unknownTagIsAnError() {
            assertThat(errorAt(3, () -> yaml("all:\n  vars:\n    x: !foo bar\n")).getMessage()).contains("!foo");
        }

        @Test
        void emptyFileIsAnError() {
            errorAt(0, () -> yaml("# nothing\n"));
        }

        @Test
        void pluginConfigurationIsNotAnInventory() {
            errorAt(1, () -> yaml("plugin: aws_ec2\n"));
        }

        @Test
        void topLevelListIsAnError() {
            errorAt(1, () -> yaml("- a\n- b\n"));
        }

        @Test
        void cycleIsAnError() {
            assertThat(errorAt(3, () -> yaml("a:\n  children:\n    b:\n      children:\n        a:\n")).getMessage())
                    .contains("Adding group 'b' as child to 'a' creates a recursive dependency loop");
        }

        @Test
        void aliasBombIsRefused() {
            StringBuilder doc = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
            for (int i = 1; i < 9; i++) {
                doc.append("a").append(i).append(": &a").append(i).append(" [")
                        .append(String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
            }
            doc.append("all:\n  vars:\n    boom: *a8\n");

            assertThat(errorAt(12, () -> yaml(doc.toString())).getMessage()).contains("alias bomb");
        }

        @Test
        void recursiveAliasIsRefused() {
            errorAt(3, () -> yaml("all:\n  vars:\n    r: &r [1, *r]\n"));
        }

        @Test
        void invalidUtf8NamesTheLine() {
            byte[] body = "all:\n  vars:\n    a: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);

            errorAt(3, () -> new YamlInventoryParser().parse(body));
        }
    }

    @Test
    void documentBeyondSnakeYamlsDefaultCodePointLimitIsAccepted() {
        StringBuilder doc = new StringBuilder("all:\n  hosts:\n");
        String padding = "x".repeat(100);
        for (int i = 0; doc.length() < 4_000_000; i++) {
            doc.append("    h").append(i).append(": {note: ").append(padding).append("}\n");
        }

        assertThat(yaml(doc.toString()).hosts()).hasSizeGreaterThan(30_000);
    }
}
