package io.kook.ansible.parse;

import static io.kook.ansible.parse.Inventories.errorAt;
import static io.kook.ansible.parse.Inventories.exportJson;
import static io.kook.ansible.parse.Inventories.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.kook.ansible.ParsedInventory;
import org.junit.jupiter.api.Test;

class ExportJsonParserTests {

    @Test
    void groupVarsStayOnGroupsAndHostVarsComeFromMeta() {
        ParsedInventory inv = exportJson("""
                {"_meta": {"hostvars": {"h1": {"a": 1}}},
                 "all": {"children": ["ungrouped", "web"], "vars": {"env": "prod"}},
                 "web": {"hosts": ["h1", "h2"], "vars": {"port": 80}, "children": ["api"]},
                 "ungrouped": {"hosts": ["h3"]}}
                """);

        assertThat(inv.hosts()).containsOnlyKeys("h1", "h2", "h3");
        assertThat(inv.hosts().get("h1")).isEqualTo(json("{\"a\": 1}"));
        assertThat(inv.groups()).containsOnlyKeys("all", "web", "api");
        assertThat(inv.groups().get("all").vars()).isEqualTo(json("{\"env\": \"prod\"}"));
        assertThat(inv.groups().get("web").children()).containsExactly("api");
        assertThat(inv.groups().get("api").hosts()).isEmpty();
    }

    @Test
    void hostsOnlyInHostvarsAreDroppedWithAWarning() {
        ParsedInventory inv = exportJson("{\"_meta\": {\"hostvars\": {\"ghost\": {\"x\": 1}}}, \"g\": {\"hosts\": []}}");

        assertThat(inv.hosts()).isEmpty();
        assertThat(inv.warnings()).anyMatch(w -> w.contains("'ghost'"));
    }

    @Test
    void aBareListIsAHostList() {
        assertThat(exportJson("{\"g\": [\"h1\", \"h2\"]}").groups().get("g").hosts()).containsExactly("h1", "h2");
    }

    @Test
    void anObjectWithoutHostsVarsOrChildrenIsAHostOfTheGroupsName() {
        ParsedInventory inv = exportJson("{\"web\": {\"x\": 1}}");

        assertThat(inv.groups().get("web").hosts()).containsExactly("web");
        assertThat(inv.groups().get("web").vars()).isEqualTo(json("{\"x\": 1}"));
    }

    @Test
    void ownVarsOfAHostNamedLikeAGroupStayOnTheHost() {
        ParsedInventory inv = exportJson("{\"_meta\": {\"hostvars\": {\"web\": {\"x\": 1}}}, \"web\": {\"hosts\": [\"web\"]}}");

        assertThat(inv.hosts().get("web")).isEqualTo(json("{\"x\": 1}"));
        assertThat(inv.groups().get("web").vars()).isEmpty();
        assertThat(inv.warnings()).anyMatch(w -> w.contains("script plugin"));
    }

    @Test
    void typesAndBigIntegersAreKept() {
        ParsedInventory inv = exportJson("""
                {"_meta": {"hostvars": {"h": {"big": 123456789012345678901234567890, "f": 1.0, "s": "1",
                                              "u": {"__ansible_unsafe": "{{ x }}"}}}},
                 "g": {"hosts": ["h"]}}
                """);

        assertThat(inv.hosts().get("h")).isEqualTo(json(
                "{\"big\": 123456789012345678901234567890, \"f\": 1.0, \"s\": \"1\", \"u\": {\"__ansible_unsafe\": \"{{ x }}\"}}"));
    }

    @Test
    void brokenJsonNamesTheLine() {
        assertThat(errorAt(3, () -> exportJson("{\n \"g\": {\n  \"hosts\": [\"h\",]\n }\n}")).getMessage())
                .contains("not valid JSON");
    }

    @Test
    void nullGroupIsAnError() {
        errorAt(1, () -> exportJson("{\"g\": null}"));
    }

    @Test
    void nonObjectDocumentIsAnError() {
        errorAt(1, () -> exportJson("[1, 2]"));
    }

    @Test
    void hostNameKookCannotStoreNamesItsLine() {
        assertThat(errorAt(3, () -> exportJson("{\n \"g\": {\n  \"hosts\": [\"bad host\"]\n }\n}")).getMessage())
                .contains("host names are 1-253 characters");
    }

    @Test
    void cycleIsAnError() {
        errorAt(1, () -> exportJson("{\"a\": {\"children\": [\"b\"]}, \"b\": {\"children\": [\"a\"]}}"));
    }
}
