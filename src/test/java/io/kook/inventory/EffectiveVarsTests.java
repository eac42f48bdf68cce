package io.kook.inventory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Ansible's variable precedence, on hand-built snapshots. */
class EffectiveVarsTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A tiny builder of snapshots: groups with parents, hosts with direct groups. */
    static final class Builder {
        final Map<String, ObjectNode> groupVars = new HashMap<>();
        final Map<String, List<String>> parents = new HashMap<>();
        final Map<String, ObjectNode> hostVars = new HashMap<>();
        final Map<String, List<String>> hostGroups = new HashMap<>();

        Builder group(String name, String vars, String... parentNames) {
            groupVars.put(name, (ObjectNode) JSON.readTree(vars));
            parents.put(name, List.of(parentNames));
            return this;
        }

        Builder host(String name, String vars, String... groups) {
            hostVars.put(name, (ObjectNode) JSON.readTree(vars));
            hostGroups.put(name, List.of(groups));
            return this;
        }

        Snapshot build() {
            Map<String, Group> groups = new HashMap<>();
            groupVars.forEach((name, vars) -> {
                List<String> children = parents.entrySet().stream().filter(e -> e.getValue().contains(name))
                        .map(Map.Entry::getKey).sorted().toList();
                List<String> members = hostGroups.entrySet().stream().filter(e -> e.getValue().contains(name))
                        .map(Map.Entry::getKey).sorted().toList();
                groups.put(name, new Group(name, vars, members, children, List.copyOf(new TreeSet<>(parents.get(name))), 0));
            });
            Map<String, Host> hosts = new HashMap<>();
            hostVars.forEach((name, vars) -> hosts.put(name, new Host(name, vars,
                    List.copyOf(new TreeSet<>(hostGroups.get(name))), 0)));
            return new Snapshot(1, 0, 0, hosts, groups, hosts.keySet().stream().sorted().toList(),
                    groups.keySet().stream().sorted().toList());
        }
    }

    private static ObjectNode resolve(Snapshot s, String host) {
        return EffectiveVars.of(s, s.host(host)).vars();
    }

    @Test
    void allComesFirstThenShallowerThenDeeperGroupsThenTheHost() {
        Snapshot s = new Builder()
                .group("all", "{\"v\":\"all\",\"a\":\"all\"}")
                .group("top", "{\"v\":\"top\",\"t\":\"top\"}")
                .group("leaf", "{\"v\":\"leaf\"}", "top")
                .host("h", "{\"h\":1}", "leaf")
                .build();
        assertThat(resolve(s, "h").toString()).isEqualTo("{\"a\":\"all\",\"h\":1,\"t\":\"top\",\"v\":\"leaf\"}");
        assertThat(EffectiveVars.of(s, s.host("h")).sources())
                .containsEntry("a", "group:all").containsEntry("v", "group:leaf").containsEntry("h", "host");
    }

    @Test
    void atTheSameDepthHigherPriorityWinsThenTheLaterName() {
        Snapshot s = new Builder()
                .group("alpha", "{\"v\":\"alpha\",\"ansible_group_priority\":10}")
                .group("beta", "{\"v\":\"beta\",\"w\":\"beta\"}")
                .group("gamma", "{\"w\":\"gamma\"}")
                .host("h", "{}", "alpha", "beta", "gamma")
                .build();
        ObjectNode vars = resolve(s, "h");
        assertThat(vars.get("v").asString()).isEqualTo("alpha");
        assertThat(vars.get("w").asString()).isEqualTo("gamma");
        assertThat(vars.has("ansible_group_priority")).isFalse();
    }

    @Test
    void depthIsTheLongestPathSoADiamondChildStaysDeep() {
        Snapshot s = new Builder()
                .group("a", "{\"v\":\"a\"}")
                .group("b", "{}", "a")
                .group("c", "{\"v\":\"c\"}", "b")
                .group("d", "{\"v\":\"d\"}", "a", "c")
                .host("h", "{}", "d", "c")
                .build();
        assertThat(s.depth("d")).isEqualTo(4);
        assertThat(resolve(s, "h").get("v").asString()).isEqualTo("d");
    }

    @Test
    void dictsAreReplacedNotMerged() {
        Snapshot s = new Builder()
                .group("g", "{\"d\":{\"x\":1,\"y\":2}}")
                .host("h", "{\"d\":{\"x\":3}}", "g")
                .build();
        assertThat(resolve(s, "h").get("d").toString()).isEqualTo("{\"x\":3}");
    }

    @Test
    void reachesFollowsChildrenTransitively() {
        Snapshot s = new Builder().group("a", "{}").group("b", "{}", "a").group("c", "{}", "b").group("x", "{}").build();
        assertThat(s.reaches("a", "c")).isTrue();
        assertThat(s.reaches("c", "a")).isFalse();
        assertThat(s.reaches("x", "x")).isTrue();
        assertThat(s.transitiveHosts("a")).isEmpty();
    }
}
