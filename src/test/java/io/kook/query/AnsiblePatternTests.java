package io.kook.query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.KookException;
import io.kook.inventory.Snapshot;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ansible host patterns on a hand-built inventory; {@code AnsiblePatternOracleTests} checks against Ansible. */
class AnsiblePatternTests {

    /**
     * web: web01..web05; db: db1, db2; prod: web01, db1, children eu; eu: web04, eu-child eu_web; eu_web: web05;
     * ungrouped: lonely, 10.0.0.1; and a host named like the group "db"? No: host "cache" and group "cache" (empty).
     */
    private static final Snapshot INVENTORY = new Builder()
            .group("web", List.of(), "web01", "web02", "web03", "web04", "web05")
            .group("db", List.of(), "db1", "db2")
            .group("prod", List.of("eu"), "web01", "db1")
            .group("eu", List.of("eu_web"), "web04")
            .group("eu_web", List.of(), "web05")
            .group("cache", List.of())
            .host("lonely").host("10.0.0.1").host("cache")
            .build();

    private static String select(String pattern) {
        return String.join(",", AnsiblePattern.hosts(INVENTORY, pattern, false));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "web                 | web01,web02,web03,web04,web05",
            "all                 | 10.0.0.1,cache,db1,db2,lonely,web01,web02,web03,web04,web05",
            "*                   | 10.0.0.1,cache,db1,db2,lonely,web01,web02,web03,web04,web05",
            "ungrouped           | 10.0.0.1,cache,lonely",
            "web:&prod           | web01,web04,web05",
            "web,&prod           | web01,web04,web05",
            "web:&prod:!eu_web   | web01,web04",
            "!db                 | 10.0.0.1,cache,lonely,web01,web02,web03,web04,web05",
            "!db:web             | web01,web02,web03,web04,web05",
            "web0[12]*           | web01,web02",
            "web0[12]            | ''",  // [12] is a subscript, of the unknown name web0
            "web0[1-2]           | ''",  // not a class: the subscript [1-2] of the unknown name web0
            "web0?               | web01,web02,web03,web04,web05",
            "*1                  | 10.0.0.1,db1,web01",
            "prod                | db1,web01,web04,web05",
            "eu*                 | web04,web05",
            "~web0[13]           | web01,web03",
            "~(?i)DB             | db1,db2",
            "~.*1$               | 10.0.0.1,db1,web01",
            "web[0]              | web01",
            "web[-1]             | web05",
            "web[1:3]            | web02,web03,web04",
            "web[3:]             | web04,web05",
            "web[2:0]            | web03",
            "web[1-2]            | web02,web03",
            "web[0:99]           | web01,web02,web03,web04,web05",
            "prod[2:3]           | web04,web05",
            "web01 , db2         | db2,web01",
            "web01,web01         | web01",
            "10.0.0.1            | 10.0.0.1",
            "cache               | cache",
            "&cache              | ''",
            "nope                | ''",
            "nope,db1            | db1",
            "localhost           | ''",
            "al*                 | 10.0.0.1,cache,db1,db2,lonely,web01,web02,web03,web04,web05",
            "~                   | 10.0.0.1,cache,db1,db2,lonely,web01,web02,web03,web04,web05",
            "~[a-                | 10.0.0.1,cache,db1,db2,lonely,web01,web02,web03,web04,web05", // ~ and a-
    })
    void patternsTargetWhatAnsibleTargets(String pattern, String expected) {
        assertThat(select(pattern)).isEqualTo(expected);
    }

    @Nested
    class Splitting {
        @Test
        void commasWinOverColons() {
            assertThat(AnsiblePattern.split("a:b,c")).containsExactly("a:b", "c");
        }

        @Test
        void colonsSeparateUnlessThePatternIsAnAddressOrRange() {
            assertThat(AnsiblePattern.split("web:&prod:!db")).containsExactly("web", "&prod", "!db");
            assertThat(AnsiblePattern.split("fe80::1")).containsExactly("fe80::1");
            assertThat(AnsiblePattern.split("web[0:2]")).containsExactly("web[0:2]");
            assertThat(AnsiblePattern.split("web[0:2]:db")).containsExactly("web[0:2]", "db");
            assertThat(AnsiblePattern.split("10.0.0.1:22")).containsExactly("10.0.0.1:22");
        }

        @Test
        void whitespaceAndEmptyPartsAreDropped() {
            assertThat(AnsiblePattern.split(" web , ,db ")).containsExactly("web", "db");
        }
    }

    @Test
    void aPatternThatIsExactlyAHostNameMeansThatHostEvenWhenAGroupHasTheName() {
        // group "cache" is empty; host "cache" is what the plain word names
        assertThat(select("cache")).isEqualTo("cache");
    }

    @Test
    void subscriptsFollowAnsiblesOrderNotTheSortedOrder() {
        // prod's own hosts first (db1, web01), then its child eu (web04), then eu's child eu_web (web05)
        assertThat(AnsiblePattern.listHosts(AnsibleView.of(INVENTORY, false), "prod")).containsExactly("db1", "web01",
                "web04", "web05");
        assertThat(select("prod[1]")).isEqualTo("web01");
    }

    @Test
    void implicitLocalhostIsListedByAnsibleButNeverReturnedAsAStoredHost() {
        assertThat(AnsiblePattern.listHosts(AnsibleView.of(INVENTORY, false), "localhost")).containsExactly("localhost");
        assertThat(select("localhost,web01")).isEqualTo("web01");
    }

    @ParameterizedTest
    @ValueSource(strings = {"@limit.txt", "web,@hosts", "!", "&", "web,!", "~(", "~a**", "web[9]", "web[-6]",
            "~(?P<a>x)(?P<a>y)"})
    void patternsAnsibleRefusesAreInvalid(String pattern) {
        assertThatThrownBy(() -> select(pattern)).isInstanceOf(KookException.Invalid.class)
                .satisfies(e -> assertThat(((KookException.Invalid) e).errors().get(0).field()).isEqualTo("pattern"));
    }

    @Test
    void aRegexThatBacktracksWithoutEndIsRefusedRatherThanHoldingTheThread() {
        Snapshot s = new Builder().host("a".repeat(60)).build();
        long started = System.nanoTime();
        assertThatThrownBy(() -> AnsiblePattern.hosts(s, "~(.*a){20}b", false)).isInstanceOf(KookException.Invalid.class)
                .hasMessageContaining("too much work");
        assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
    }

    @Test
    void anOutOfRangeSubscriptOnAnEmptyMatchIsNoError() {
        assertThat(select("nope[5]")).isEmpty();
    }

    /** Groups with children and direct hosts, in a stored snapshot. */
    private static final class Builder {
        private final Map<String, List<String>> children = new LinkedHashMap<>();
        private final Map<String, List<String>> members = new LinkedHashMap<>();
        private final List<String> loose = new ArrayList<>();

        Builder group(String name, List<String> kids, String... hosts) {
            children.put(name, kids);
            members.put(name, List.of(hosts));
            return this;
        }

        Builder host(String name) {
            loose.add(name);
            return this;
        }

        Snapshot build() {
            Map<String, TreeSet<String>> hostGroups = new HashMap<>();
            loose.forEach(h -> hostGroups.put(h, new TreeSet<>()));
            members.forEach((g, hs) -> hs.forEach(h -> hostGroups.computeIfAbsent(h, k -> new TreeSet<>()).add(g)));
            Map<String, Group> groups = new HashMap<>();
            children.forEach((g, kids) -> {
                List<String> parents = children.entrySet().stream().filter(e -> e.getValue().contains(g))
                        .map(Map.Entry::getKey).sorted().toList();
                groups.put(g, new Group(g, JsonNodeFactory.instance.objectNode(), members.get(g).stream().sorted()
                        .toList(), kids.stream().sorted().toList(), parents, 0));
            });
            Map<String, Host> hosts = new HashMap<>();
            hostGroups.forEach((h, gs) -> hosts.put(h, new Host(h, JsonNodeFactory.instance.objectNode(),
                    List.copyOf(gs), 0)));
            return new Snapshot(1, 0, 0, hosts, groups, hosts.keySet().stream().sorted().toList(),
                    groups.keySet().stream().sorted().toList());
        }
    }
}
