package io.kook.ansible;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import io.kook.ansible.parse.IniInventoryParser;
import io.kook.ansible.parse.IniSyntax;
import io.kook.inventory.KookException;
import io.kook.inventory.Names;
import io.kook.inventory.Snapshot;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * The INI export read back by Kook's own INI parser (which reads as Ansible's {@code ini} plugin does, see its
 * tests) gives the same hosts, groups, edges and vars, types included, for thousands of random inventories in
 * milliseconds; and what INI cannot say is refused rather than written as something else.
 */
class IniExporterTests {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Exports {@code s}, parses the INI back and lists every difference, entity by entity. */
    static List<String> roundTripDifferences(Snapshot s) {
        String ini = IniExporter.export(s);
        ParsedInventory parsed = new IniInventoryParser().parse(ini.getBytes(StandardCharsets.UTF_8));
        List<String> diffs = new ArrayList<>();
        if (!parsed.hosts().keySet().equals(new TreeSet<>(s.hostNames()))) {
            diffs.add("hosts: " + s.hostNames() + " became " + parsed.hosts().keySet());
        }
        for (String h : s.hostNames()) {
            JsonNode back = parsed.hosts().get(h);
            if (back != null && !AnsibleInventoryComparison.sameValue(s.host(h).vars(), back)) {
                diffs.add("host " + h + " vars: " + s.host(h).vars() + " became " + back);
            }
        }
        ParsedInventory.ParsedGroup all = parsed.groups().get(Names.ALL);
        JsonNode allVars = all == null ? JSON.objectNode() : all.vars();
        if (!AnsibleInventoryComparison.sameValue(s.group(Names.ALL).vars(), allVars)) {
            diffs.add("all vars: " + s.group(Names.ALL).vars() + " became " + allVars);
        }
        TreeSet<String> groups = new TreeSet<>(parsed.groups().keySet());
        groups.remove(Names.ALL);
        if (!groups.equals(new TreeSet<>(s.ordinaryGroupNames()))) {
            diffs.add("groups: " + s.ordinaryGroupNames() + " became " + groups);
        }
        for (String g : s.ordinaryGroupNames()) {
            ParsedInventory.ParsedGroup back = parsed.groups().get(g);
            if (back == null) {
                continue;
            }
            if (!new TreeSet<>(back.hosts()).equals(new TreeSet<>(s.storedGroup(g).hosts()))) {
                diffs.add("group " + g + " hosts: " + s.storedGroup(g).hosts() + " became " + back.hosts());
            }
            if (!new TreeSet<>(back.children()).equals(new TreeSet<>(s.storedGroup(g).children()))) {
                diffs.add("group " + g + " children: " + s.storedGroup(g).children() + " became " + back.children());
            }
            if (!AnsibleInventoryComparison.sameValue(s.storedGroup(g).vars(), back.vars())) {
                diffs.add("group " + g + " vars: " + s.storedGroup(g).vars() + " became " + back.vars());
            }
        }
        if (!diffs.isEmpty()) {
            diffs.add("the INI was:\n" + ini);
        }
        return diffs;
    }

    private static Snapshot oneHostOneGroup(ObjectNode hostVars, ObjectNode groupVars) {
        ObjectNode inventory = JSON.objectNode();
        inventory.putObject("_meta").putObject("hostvars").set("h1", hostVars);
        inventory.putObject(Names.ALL).putArray("children").add("g").add(Names.UNGROUPED);
        inventory.putObject(Names.UNGROUPED).putArray("hosts");
        ObjectNode g = inventory.putObject("g");
        g.putArray("hosts").add("h1");
        g.set("vars", groupVars);
        return RandomInventories.snapshot(inventory, 7);
    }

    @Test
    void randomInventoriesWithNastyValuesExportAsIniThatParsesBackEntityByEntity() {
        long base = new Random().nextLong();
        for (int i = 0; i < 2000; i++) {
            long seed = base + i;
            Snapshot s = RandomInventories.snapshot(RandomInventories.inventory(new Random(seed)), seed);
            List<String> diffs = roundTripDifferences(s);
            if (!diffs.isEmpty()) {
                fail("seed " + seed + " (replay with new Random(" + seed + "L)):\n" + String.join("\n", diffs));
            }
        }
    }

    @Test
    void everyAwkwardStringKeepsItsTypeOnAHostLineAndInAVarsSection() {
        ObjectNode vars = JSON.objectNode();
        for (int i = 0; i < RandomInventories.STRINGS.size(); i++) {
            vars.put(RandomInventories.KEYS.get(i % RandomInventories.KEYS.size()) + i, RandomInventories.STRINGS.get(i));
        }
        ObjectNode asKeys = JSON.objectNode();
        RandomInventories.STRINGS.forEach(k -> asKeys.put(k, k));
        vars.set("dict with awkward keys", asKeys);
        assertThat(roundTripDifferences(oneHostOneGroup(vars, vars.deepCopy()))).isEmpty();
    }

    @Test
    void everyJsonTypeKeepsItsType() {
        ObjectNode vars = JSON.objectNode();
        vars.put("int", 1).put("float", 1.0).put("true", true).put("string", "1").putNull("null")
                .put("long", Long.MIN_VALUE).put("big", new BigInteger("1" + "0".repeat(40)))
                .put("huge", BigInteger.TEN.pow(5000).negate()).put("tiny", 5e-324).put("max", Double.MAX_VALUE)
                .put("empty", "");
        vars.putArray("list").add(1).add("a").addNull().addArray();
        vars.putObject("dict").put("k", "v").putObject("nested").putArray("deeper").add(false);
        vars.putObject("emptyDict");
        vars.set("deep", nested(IniSyntax.MAX_NESTING));
        assertThat(roundTripDifferences(oneHostOneGroup(vars, vars.deepCopy()))).isEmpty();
    }

    private static JsonNode nested(int depth) {
        JsonNode v = JSON.stringNode("bottom");
        for (int i = 0; i < depth; i++) {
            ArrayNode a = JSON.arrayNode();
            a.add(v);
            v = a;
        }
        return v;
    }

    @Test
    void emptyGroupsGroupsWithOnlyChildrenHostsInSeveralGroupsAndUngroupedHostsSurvive() {
        ObjectNode inventory = (ObjectNode) AnsibleTool.json("""
                {"_meta": {"hostvars": {"lone": {"x": "1"}, "both": {"y": 2}, "web1": {}}},
                 "all": {"children": ["parent", "empty", "ungrouped"], "vars": {"from_all": [1, "2"]}},
                 "ungrouped": {"hosts": ["lone"]},
                 "parent": {"hosts": [], "children": ["web", "db"]},
                 "web": {"hosts": ["both", "web1"]},
                 "db": {"hosts": ["both"], "vars": {"role": "db"}},
                 "empty": {"hosts": []}}""");
        assertThat(roundTripDifferences(RandomInventories.snapshot(inventory, 3))).isEmpty();
    }

    @Test
    void hostsNamedAllAndUngroupedWithoutVarsSurvive() {
        ObjectNode inventory = (ObjectNode) AnsibleTool.json("""
                {"_meta": {"hostvars": {"all": {}, "ungrouped": {}, "h": {}}},
                 "all": {"children": ["g", "ungrouped"]}, "ungrouped": {"hosts": ["all"]},
                 "g": {"hosts": ["ungrouped", "h"]}}""");
        assertThat(roundTripDifferences(RandomInventories.snapshot(inventory, 5))).isEmpty();
    }

    @Test
    void theExportReadsAsAPlainIniInventory() {
        ObjectNode inventory = (ObjectNode) AnsibleTool.json("""
                {"_meta": {"hostvars": {"lone": {"x": "1"}, "web1": {"port": 22, "motd": "it's\\nhere"}}},
                 "all": {"children": ["web", "ungrouped"], "vars": {"ntp": "pool.ntp.org"}},
                 "ungrouped": {"hosts": ["lone"]},
                 "web": {"hosts": ["web1"], "vars": {"tags": ["a", "b"], "weight": 1.5}, "children": ["canary"]},
                 "canary": {"hosts": []}}""");
        assertThat(IniExporter.export(RandomInventories.snapshot(inventory, 42))).isEqualTo("""
                # Kook inventory at revision 42, as an Ansible INI inventory.
                # Every value is a Python literal: '1' is a string, 1 an int, 1.0 a float.

                lone x="'1'"

                [all:vars]
                ntp='pool.ntp.org'

                [canary]

                [web]
                web1 port=22 motd="'it\\'s\\nhere'"

                [web:children]
                canary

                [web:vars]
                tags=['a', 'b']
                weight=1.5
                """);
    }

    @Test
    void namesAndValuesIniCannotSayAreRefusedWith409NamingEachOne() {
        Map<String, String> badHosts = Map.of("web[1:2]", "host 'web[1:2]'", "web01:8080", "host 'web01:8080'",
                "---", "host '---'", "a:", "host 'a:'");
        for (Map.Entry<String, String> bad : badHosts.entrySet()) {
            ObjectNode inventory = JSON.objectNode();
            inventory.putObject("_meta").putObject("hostvars").putObject(bad.getKey());
            inventory.putObject(Names.ALL).putArray("children").add(Names.UNGROUPED);
            inventory.putObject(Names.UNGROUPED).putArray("hosts").add(bad.getKey());
            assertRefused(RandomInventories.snapshot(inventory, 1), bad.getValue());
        }
        ObjectNode hostAll = (ObjectNode) AnsibleTool.json("""
                {"_meta": {"hostvars": {"all": {"x": 1}}}, "all": {"children": ["ungrouped"]},
                 "ungrouped": {"hosts": ["all"]}}""");
        assertRefused(RandomInventories.snapshot(hostAll, 1), "host 'all': Ansible gives vars");
        for (String key : List.of("a=b", " lead", "trail ", "#hash", ";semi", "[bracket", "line\nbreak", "tab\tin")) {
            ObjectNode vars = JSON.objectNode().put(key, 1);
            assertRefused(oneHostOneGroup(vars, JSON.objectNode()), "host 'h1' var '" + key + "'");
            assertRefused(oneHostOneGroup(JSON.objectNode(), vars), "group 'g' var '" + key + "'");
        }
        ObjectNode tooDeep = JSON.objectNode();
        tooDeep.set("deep", nested(IniSyntax.MAX_NESTING + 1));
        assertRefused(oneHostOneGroup(tooDeep, JSON.objectNode()), "host 'h1' var 'deep': a value nests");
    }

    private static void assertRefused(Snapshot s, String named) {
        // KookException.Conflict is answered 409 https://kook.dev/problems/conflict (IniExportTests over HTTP)
        KookException.Conflict e = catchThrowableOfType(KookException.Conflict.class, () -> IniExporter.export(s));
        assertThat(e).as("refused: " + named).isNotNull();
        assertThat(e.getMessage()).contains(named).contains("format=json");
    }
}
