package io.kook.inventory;

import java.util.List;

import tools.jackson.databind.node.ObjectNode;

/**
 * A group as the mirror knows it: own vars, direct member hosts, child and parent groups, each sorted.
 * {@code version} moves with every change to the group or its edges; identity is {@code czxid} with it, as for
 * {@link Host}. {@code unreadable} marks data Kook could not parse. Treat {@code vars} as read-only.
 */
public record Group(String name, ObjectNode vars, List<String> hosts, List<String> children, List<String> parents,
                    int version, long czxid, boolean unreadable) {
    public Group {
        hosts = List.copyOf(hosts);
        children = List.copyOf(children);
        parents = List.copyOf(parents);
    }

    /** A readable group of unknown creation, for computed groups, tests and tools. */
    public Group(String name, ObjectNode vars, List<String> hosts, List<String> children, List<String> parents,
                 int version) {
        this(name, vars, hosts, children, parents, version, 0, false);
    }

    /** The entity tag: creation and version (see {@link Host#etag()}). */
    public String etag() {
        return Preconditions.etag(czxid, version);
    }
}
