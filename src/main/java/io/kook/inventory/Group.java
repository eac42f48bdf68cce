package io.kook.inventory;

import java.util.List;

import tools.jackson.databind.node.ObjectNode;

/**
 * A group as the mirror knows it: own vars, direct member hosts, child and parent groups, each sorted.
 * {@code version} moves with every change to the group or its edges. Treat {@code vars} as read-only.
 */
public record Group(String name, ObjectNode vars, List<String> hosts, List<String> children, List<String> parents,
                    int version) {
    public Group {
        hosts = List.copyOf(hosts);
        children = List.copyOf(children);
        parents = List.copyOf(parents);
    }
}
