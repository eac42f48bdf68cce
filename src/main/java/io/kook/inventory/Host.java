package io.kook.inventory;

import java.util.List;

import tools.jackson.databind.node.ObjectNode;

/**
 * A host as the mirror knows it. {@code groups} are its direct groups, sorted; {@code version} moves with
 * every change to the host, its vars or its memberships. Treat {@code vars} as read-only: snapshots share it.
 */
public record Host(String name, ObjectNode vars, List<String> groups, int version) {
    public Host {
        groups = List.copyOf(groups);
    }
}
