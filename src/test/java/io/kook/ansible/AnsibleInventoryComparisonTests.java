package io.kook.ansible;

import java.util.function.Consumer;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The comparison every Ansible test rests on: it must see the shapes Ansible prints as the same inventory, and
 * must not see two different inventories as one (a comparison that always passes would prove nothing).
 */
class AnsibleInventoryComparisonTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String BASE = """
            {"_meta": {"hostvars": {"w1": {"x": 1, "d": {"a": 1}}, "w2": {"x": 2}}},
             "all": {"children": ["ungrouped", "web", "empty"]},
             "web": {"hosts": ["w1", "w2"]},
             "ungrouped": {"hosts": ["lone"]}}""";

    /** Precedence: depth, then priority, then name; host wins; no deep merge. */
    private static final String PRECEDENCE = """
            {"_meta": {"hostvars": {"h": {"hv": "host"}}},
             "all": {"vars": {"v": "all", "dct": {"a": 1, "b": 1}, "hv": "all"}},
             "parent": {"children": ["child"], "vars": {"v": "parent", "dct": {"b": 2}}},
             "child": {"hosts": ["h"], "vars": {"v": "child"}},
             "aa": {"hosts": ["h"], "vars": {"prio": "aa", "ansible_group_priority": 5}},
             "bb": {"hosts": ["h"], "vars": {"name_tie": "bb", "prio": "bb"}},
             "cc": {"hosts": ["h"], "vars": {"name_tie": "cc"}}}""";

    private static final String PRECEDENCE_RESOLVED = """
            {"_meta": {"hostvars": {"h": {"v": "child", "dct": {"b": 2}, "hv": "host", "name_tie": "cc", "prio": "aa"}}},
             "all": {"children": ["ungrouped", "parent", "aa", "bb", "cc"]},
             "parent": {"children": ["child"]},
             "child": {"hosts": ["h"]},
             "aa": {"hosts": ["h"]}, "bb": {"hosts": ["h"]}, "cc": {"hosts": ["h"]}}""";

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    private static JsonNode changed(String text, Consumer<ObjectNode> change) {
        ObjectNode copy = (ObjectNode) json(text);
        change.accept(copy);
        return copy;
    }

    private static ObjectNode hostvars(ObjectNode inventory, String host) {
        return (ObjectNode) inventory.get("_meta").get("hostvars").get(host);
    }

    @Nested
    class SameInventory {

        @Test
        void anInventoryEqualsItself() {
            assertThat(AnsibleInventoryComparison.differences(json(BASE), json(BASE))).isEmpty();
        }

        @Test
        void theOrderOfHostsAndGroupsIsIgnored() {
            JsonNode reversed = changed(BASE, i -> i.withArray("/web/hosts").removeAll().add("w2").add("w1"));
            assertThat(AnsibleInventoryComparison.differences(json(BASE), reversed)).isEmpty();
        }

        @Test
        void aMissingGroupKeyIsAnEmptyGroup() {
            JsonNode explicit = changed(BASE, i -> i.putObject("empty").putArray("hosts"));
            assertThat(AnsibleInventoryComparison.differences(json(BASE), explicit)).isEmpty();
        }

        @Test
        void theScriptFormResolvesToWhatListPrints() {
            JsonNode script = json("""
                    {"_meta": {"hostvars": {"w1": {"x": 1}, "w2": {"x": 2}, "lone": {}}},
                     "all": {"children": ["web", "empty", "ungrouped"], "vars": {}},
                     "web": {"hosts": ["w2", "w1"], "vars": {"d": {"a": 1}}, "children": []},
                     "empty": {"hosts": []},
                     "ungrouped": {"hosts": ["lone"]}}""");
            JsonNode listed = json("""
                    {"_meta": {"hostvars": {"w1": {"x": 1, "d": {"a": 1}}, "w2": {"x": 2, "d": {"a": 1}}}},
                     "all": {"children": ["ungrouped", "web", "empty"]},
                     "web": {"hosts": ["w1", "w2"]},
                     "ungrouped": {"hosts": ["lone"]}}""");
            assertThat(AnsibleInventoryComparison.differences(script, listed)).isEmpty();
        }

        @Test
        void groupVarsResolveByDepthThenPriorityThenNameWithoutDeepMerge() {
            assertThat(AnsibleInventoryComparison.differences(json(PRECEDENCE), json(PRECEDENCE_RESOLVED))).isEmpty();
        }
    }

    @Nested
    class DifferentInventories {

        @Test
        void aHostMissingFromAGroupIsADifference() {
            JsonNode fewer = changed(BASE, i -> i.withArray("/web/hosts").remove(1));
            assertThat(AnsibleInventoryComparison.differences(json(BASE), fewer))
                    .contains("group web.hosts: only in A: w2", "group ungrouped.hosts: only in B: w2");
        }

        @Test
        void valuesOfDifferentJsonTypesDiffer() {
            assertThat(AnsibleInventoryComparison.differences(json(BASE),
                    changed(BASE, i -> hostvars(i, "w1").put("x", "1")))).hasSize(1);
            assertThat(AnsibleInventoryComparison.differences(json(BASE),
                    changed(BASE, i -> hostvars(i, "w2").put("x", true)))).hasSize(1);
            assertThat(AnsibleInventoryComparison.differences(json(BASE),
                    changed(BASE, i -> hostvars(i, "w2").put("x", 2.0)))).hasSize(1);
        }

        @Test
        void aNestedValueDiffers() {
            JsonNode nested = changed(BASE, i -> ((ObjectNode) hostvars(i, "w1").get("d")).put("a", 2));
            assertThat(AnsibleInventoryComparison.differences(json(BASE), nested))
                    .containsExactly("hostvars[w1].d.a: 1 != 2");
        }

        @Test
        void anExtraEmptyGroupDiffers() {
            JsonNode extra = changed(BASE, i -> i.withArray("/all/children").add("new"));
            assertThat(AnsibleInventoryComparison.differences(json(BASE), extra)).isNotEmpty();
        }

        @Test
        void aDeepMergeOfDictsIsNotWhatAnsibleDoes() {
            JsonNode merged = changed(PRECEDENCE_RESOLVED, i -> hostvars(i, "h").putObject("dct").put("a", 1).put("b", 2));
            assertThat(AnsibleInventoryComparison.differences(json(PRECEDENCE), merged)).isNotEmpty();
        }

        @Test
        void aHostMovedToUngroupedDiffers() {
            JsonNode moved = changed(BASE, i -> {
                i.withArray("/web/hosts").remove(1);
                i.withArray("/ungrouped/hosts").add("w2");
            });
            assertThat(AnsibleInventoryComparison.differences(json(BASE), moved)).isNotEmpty();
        }

        @Test
        void aMismatchFailsWithTheDifferencesNamed() {
            JsonNode fewer = changed(BASE, i -> i.withArray("/web/hosts").remove(1));
            assertThatThrownBy(() -> AnsibleInventoryComparison.assertSame("file", json(BASE), "kook", fewer))
                    .hasMessageContaining("A = file and B = kook").hasMessageContaining("group web.hosts: only in A: w2");
        }
    }
}
