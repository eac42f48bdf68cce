package io.kook.ansible.parse;

import static io.kook.ansible.parse.Inventories.errorAt;
import static io.kook.ansible.parse.Inventories.ini;
import static io.kook.ansible.parse.Inventories.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.kook.ansible.ParsedInventory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class IniInventoryParserTests {

    @Nested
    class Sections {

        @Test
        void hostsBeforeAnySectionAreInNoGroup() {
            ParsedInventory inv = ini("lonely\n[app]\napp01\n");

            assertThat(inv.hosts()).containsOnlyKeys("lonely", "app01");
            assertThat(inv.groups()).containsOnlyKeys("app");
            assertThat(inv.groups().get("app").hosts()).containsExactly("app01");
        }

        @Test
        void hostsListedUnderUngroupedAreSimplyInNoGroup() {
            ParsedInventory inv = ini("[ungrouped]\nh1\n[all]\nh2\n");

            assertThat(inv.hosts()).containsOnlyKeys("h1", "h2");
            assertThat(inv.groups()).isEmpty();
        }

        @Test
        void allAppearsOnlyWhenItHasVars() {
            assertThat(ini("[all:vars]\nx=1\n").groups().get("all").vars()).isEqualTo(json("{\"x\": 1}"));
            assertThat(ini("[all:children]\nweb\n[web]\nh\n").groups()).containsOnlyKeys("web");
        }

        @Test
        void sectionHeadersMayCarryAHashComment() {
            ParsedInventory inv = ini("[web]   # front ends\nh1\n[web:vars] # shared\nport=80\n");

            assertThat(inv.groups().get("web").vars()).isEqualTo(json("{\"port\": 80}"));
        }

        @Test
        void childDeclaredFurtherDownIsAccepted() {
            ParsedInventory inv = ini("[parent:children]\nchild\n[child]\nh\n");

            assertThat(inv.groups().get("parent").children()).containsExactly("child");
        }

        @Test
        void emptyGroupsAreKept() {
            ParsedInventory inv = ini("[empty]\n[parent:children]\nempty\n");

            assertThat(inv.groups()).containsOnlyKeys("empty", "parent");
            assertThat(inv.groups().get("empty").hosts()).isEmpty();
        }

        @Test
        void semicolonAndHashLinesAreComments() {
            assertThat(ini("; a comment\n# another\n  # indented\n[g]\nh\n").hosts()).containsOnlyKeys("h");
        }

        @Test
        void windowsLineEndingsAreAccepted() {
            assertThat(ini("[g]\r\nh a=1\r\n").hosts().get("h")).isEqualTo(json("{\"a\": 1}"));
        }
    }

    @Nested
    class HostLineValues {

        @Test
        void quotedNumberOnHostLineIsAnInteger() {
            assertThat(ini("h a=\"123\"\n").hosts().get("h").get("a")).isEqualTo(json("123"));
        }

        @Test
        void quotedTrueOnHostLineIsABoolean() {
            assertThat(ini("h b='True'\n").hosts().get("h").get("b")).isEqualTo(json("true"));
        }

        @Test
        void lowercaseTrueYesAndLeadingZeroNumbersStayStrings() {
            assertThat(ini("h t=true y=yes o=0755\n").hosts().get("h"))
                    .isEqualTo(json("{\"t\": \"true\", \"y\": \"yes\", \"o\": \"0755\"}"));
        }

        @Test
        void hexFloatsAndNoneAreTyped() {
            assertThat(ini("h x=0x1F f=1.5e3 n=None e=\n").hosts().get("h"))
                    .isEqualTo(json("{\"x\": 31, \"f\": 1500.0, \"n\": null, \"e\": \"\"}"));
        }

        @Test
        void bigIntegersStayExact() {
            assertThat(ini("h big=12345678901234567890123\n").hosts().get("h").get("big").bigIntegerValue())
                    .hasToString("12345678901234567890123");
        }

        @Test
        void listsDictsAndTuplesAreStructures() {
            assertThat(ini("h l=\"[1, 'a']\" d=\"{'k': (1, None)}\" t=\"(1, 2)\"\n").hosts().get("h"))
                    .isEqualTo(json("{\"l\": [1, \"a\"], \"d\": {\"k\": [1, null]}, \"t\": [1, 2]}"));
        }

        @Test
        void aStringNeedsTwoLevelsOfQuotes() {
            assertThat(ini("h s=\"'123'\"\n").hosts().get("h").get("s")).isEqualTo(json("\"123\""));
        }

        @Test
        void unquotedHashEndsTheLineEvenInsideAWord() {
            assertThat(ini("h a=b#c d=1\n").hosts().get("h")).isEqualTo(json("{\"a\": \"b\"}"));
        }

        @Test
        void quotedHashIsKept() {
            assertThat(ini("h d=\"e#f\" # g=1\n").hosts().get("h")).isEqualTo(json("{\"d\": \"e#f\"}"));
        }

        @Test
        void quotedSpacesAndEqualsSignsStayInTheValue() {
            assertThat(ini("h s=\"hello world\" eq=\"k=v\"\n").hosts().get("h"))
                    .isEqualTo(json("{\"s\": \"hello world\", \"eq\": \"k=v\"}"));
        }

        @Test
        void laterValueForTheSameKeyWins() {
            assertThat(ini("[a]\nh x=1 y=1\n[b]\nh y=2\n").hosts().get("h")).isEqualTo(json("{\"x\": 1, \"y\": 2}"));
        }

        @Test
        void aFloatTooBigForJsonIsAnErrorWithItsLine() {
            assertThat(errorAt(2, () -> ini("[g]\nh x=1e400\n")).getMessage()).contains("no JSON form");
        }

        @Test
        void anUnhashableDictKeyIsAnErrorLikeInAnsible() {
            assertThat(errorAt(1, () -> ini("h d=\"{[1]: 2}\"\n")).getMessage()).contains("unhashable type: 'list'");
        }
    }

    @Nested
    class VarsSectionValues {

        @Test
        void plainTextKeepsAHashComment() {
            assertThat(var("a=bar # x")).isEqualTo(json("\"bar # x\""));
        }

        @Test
        void quotedValueDropsATrailingComment() {
            assertThat(var("a='bar' # x")).isEqualTo(json("\"bar\""));
        }

        @Test
        void numberDropsATrailingComment() {
            assertThat(var("a=1 # x")).isEqualTo(json("1"));
        }

        @Test
        void theWholeRestOfTheLineIsTheValueTrimmed() {
            assertThat(var("a =  plain text with spaces  ")).isEqualTo(json("\"plain text with spaces\""));
        }

        @Test
        void yesAndFalseDiffer() {
            assertThat(var("a=yes")).isEqualTo(json("\"yes\""));
            assertThat(var("a=False")).isEqualTo(json("false"));
        }

        @Test
        void aCommaMakesATuple() {
            assertThat(var("ports=80,443")).isEqualTo(json("[80, 443]"));
        }

        @Test
        void groupPriorityBecomesAnInteger() {
            assertThat(ini("[g]\n[g:vars]\nansible_group_priority=\"5\"\n").groups().get("g").vars())
                    .isEqualTo(json("{\"ansible_group_priority\": 5}"));
        }

        @Test
        void groupPriorityThatIsNoIntegerIsAnError() {
            errorAt(3, () -> ini("[g]\n[g:vars]\nansible_group_priority=high\n"));
        }

        private JsonNode var(String line) {
            return ini("[g]\n[g:vars]\n" + line + "\n").groups().get("g").vars().properties().iterator().next().getValue();
        }
    }

    @Nested
    class HostPatterns {

        @Test
        void hostRangeKeepsLeadingZeros() {
            assertThat(ini("[web]\nweb[01:03].example.com\n").groups().get("web").hosts())
                    .containsExactly("web01.example.com", "web02.example.com", "web03.example.com");
        }

        @Test
        void alphabeticRangeStrideAndSeveralRanges() {
            assertThat(ini("db-[a:c]\nodd[1:9:4]\nr[1:2]-n[8:9]\n").hosts()).containsOnlyKeys(
                    "db-a", "db-b", "db-c", "odd1", "odd5", "odd9", "r1-n8", "r1-n9", "r2-n8", "r2-n9");
        }

        @Test
        void rangeVarsApplyToEveryHost() {
            ParsedInventory inv = ini("n[1:2] role=x\n");

            assertThat(inv.hosts().get("n1")).isEqualTo(json("{\"role\": \"x\"}"));
            assertThat(inv.hosts().get("n2")).isEqualTo(json("{\"role\": \"x\"}"));
        }

        @Test
        void hostPortBecomesAnIntegerAnsiblePort() {
            assertThat(ini("web:2222\n").hosts().get("web")).isEqualTo(json("{\"ansible_port\": 2222}"));
        }

        @Test
        void bracketedIpv6TakesAPort() {
            assertThat(ini("[2001:db8::2]:2222\n").hosts().get("2001:db8::2")).isEqualTo(json("{\"ansible_port\": 2222}"));
        }

        @Test
        void bareIpv6IsAHostWithoutPort() {
            ParsedInventory inv = ini("2001:db8::1\nfe80::1:2\n");

            assertThat(inv.hosts()).containsOnlyKeys("2001:db8::1", "fe80::1:2");
            assertThat(inv.hosts().get("2001:db8::1")).isEmpty();
        }

        @Test
        void portCountsOnlyWhereTheHostFirstAppears() {
            ParsedInventory inv = ini("[a]\nh1\nh2:2200\n[b]\nh1:2222\nh2:3333\n");

            assertThat(inv.hosts().get("h1")).isEmpty();
            assertThat(inv.hosts().get("h2")).isEqualTo(json("{\"ansible_port\": 2200}"));
        }

        @Test
        void aNameAnsibleCannotReadAsAnAddressKeepsItsPortText() {
            assertThat(ini("user@host:22\n").hosts()).containsOnlyKeys("user@host:22");
        }

        @Test
        void unequalZeroPaddedBoundsAreAnError() {
            assertThat(errorAt(2, () -> ini("[g]\nh[01:3]\n")).getMessage()).contains("equal-length");
        }

        @Test
        void patternEndingInColonIsAnError() {
            errorAt(1, () -> ini("2001:db8::\n"));
        }

        @Test
        void hugeRangeIsRefused() {
            assertThat(errorAt(1, () -> ini("h[1:1000000]\n")).getMessage()).contains("more than");
        }
    }

    @Nested
    class AnsibleQuirks {

        @Test
        void hostNamedLikeAGroupGivesItsVarsToTheGroup() {
            ParsedInventory inv = ini("[web]\nweb foo=1\nw2\n");

            assertThat(inv.groups().get("web").vars()).isEqualTo(json("{\"foo\": 1}"));
            assertThat(inv.hosts().get("web")).isEmpty();
            assertThat(inv.warnings()).anyMatch(w -> w.contains("both a host and a group"));
        }

        @Test
        void ungroupedVarsAreCopiedOntoTheHostsLeftUngrouped() {
            ParsedInventory inv = ini("h0\nh1 a=1\nh2\n[ungrouped:vars]\na=9\nb=8\n[g]\nh2\n");

            assertThat(inv.hosts().get("h0")).isEqualTo(json("{\"a\": 9, \"b\": 8}"));
            assertThat(inv.hosts().get("h1")).isEqualTo(json("{\"a\": 1, \"b\": 8}"));
            assertThat(inv.hosts().get("h2")).isEmpty();
            assertThat(inv.groups()).doesNotContainKey("ungrouped");
        }

        @Test
        void varsSectionAloneDoesNotDeclareAGroupForChildren() {
            assertThat(errorAt(1, () -> ini("[g:vars]\na=1\n[p:children]\ng\n")).getMessage())
                    .isEqualTo("line 1: Section [g:vars] not valid for undefined group: g");
        }

        @Test
        void yamlSentAsIniIsRefused() {
            assertThat(errorAt(1, () -> ini("---\nall:\n")).getMessage()).contains("sign this is a YAML file");
        }

        @Test
        void commentsMayHoldBytesThatAreNotUtf8() {
            byte[] body = "# caf\u00e9\n[g]\nh # na\u00efve\n".getBytes(StandardCharsets.ISO_8859_1);

            assertThat(new IniInventoryParser().parse(body).hosts()).containsOnlyKeys("h");
        }

        @Test
        void valuesMustBeUtf8() {
            byte[] body = "[g]\nh a=caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);

            errorAt(2, () -> new IniInventoryParser().parse(body));
        }
    }

    @Nested
    class Errors {

        @Test
        void childrenNamingAnUndefinedGroupIsAnErrorWithItsLine() {
            assertThat(errorAt(3, () -> ini("[web]\n[parent:children]\nmissing\n")).getMessage())
                    .isEqualTo("line 3: Section [parent:children] includes undefined group: missing");
        }

        @Test
        void varsForAGroupNeverDeclaredIsAnError() {
            errorAt(2, () -> ini("[g]\n[other:vars]\na=1\n"));
        }

        @Test
        void unclosedQuoteNamesTheLine() {
            assertThat(errorAt(2, () -> ini("[g]\nh a=\"x\n")).getMessage()).contains("No closing quotation");
        }

        @Test
        void hostVariableWithoutEqualsIsAnError() {
            errorAt(2, () -> ini("[g]\nh oops\n"));
        }

        @Test
        void varsLineWithoutEqualsIsAnError() {
            errorAt(3, () -> ini("[g]\n[g:vars]\noops\n"));
        }

        @Test
        void unknownSectionTypeIsAnError() {
            assertThat(errorAt(1, () -> ini("[g:hostz]\n")).getMessage()).contains("unknown type: hostz");
        }

        @Test
        void sectionWithASpaceIsAnError() {
            errorAt(2, () -> ini("\n[my group]\n"));
        }

        @Test
        void cycleIsAnError() {
            assertThat(errorAt(4, () -> ini("[a:children]\nb\n[b:children]\na\n")).getMessage())
                    .contains("recursive dependency loop");
        }

        @Test
        void groupNameKookCannotStoreIsAnErrorWithTheRule() {
            assertThat(errorAt(2, () -> ini("# x\n[web+app]\nh\n")).getMessage())
                    .contains("'web+app'").contains("group names are 1-255 characters");
        }

        @Test
        void hostNameKookCannotStoreIsAnErrorWithTheRule() {
            assertThat(errorAt(2, () -> ini("[g]\n\"bad host\"\n")).getMessage())
                    .contains("'bad host'").contains("host names are 1-253 characters");
        }

        @Test
        void ungroupedCannotHaveChildren() {
            errorAt(2, () -> ini("[ungrouped:children]\ng\n[g]\nh\n"));
        }
    }
}
