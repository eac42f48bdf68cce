package io.kook.ansible;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.node.ObjectNode;

/**
 * An Ansible inventory as read from a file (INI, YAML or {@code --list --export} JSON), before it is
 * written to Kook: hosts with their own vars, groups with their own vars, direct hosts and child groups.
 * The implicit {@code all} group appears here only when the source gave it vars; hosts in no group are
 * Kook's {@code ungrouped}. Maps keep the order of first appearance in the source.
 */
public record ParsedInventory(Map<String, ObjectNode> hosts, Map<String, ParsedGroup> groups, List<String> warnings) {

    public ParsedInventory {
        hosts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
        groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        warnings = List.copyOf(warnings);
    }

    /** One group of a parsed inventory: its own vars, direct member hosts and child groups, in source order. */
    public record ParsedGroup(ObjectNode vars, List<String> hosts, List<String> children) {
        public ParsedGroup {
            hosts = List.copyOf(hosts);
            children = List.copyOf(children);
        }
    }
}
