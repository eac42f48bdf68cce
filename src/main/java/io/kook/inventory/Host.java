package io.kook.inventory;

import java.util.List;

import tools.jackson.databind.node.ObjectNode;

/**
 * A host as the mirror knows it. {@code groups} are its direct groups, sorted; {@code version} moves with
 * every change to the host, its vars or its memberships. ZooKeeper restarts versions at 0 when a node is
 * re-created, so the host's identity is {@code czxid} (the zxid that created its znode) and version together:
 * see {@link #etag()}. {@code unreadable} marks data Kook could not parse (written by another tool): its
 * {@code vars} are empty and Kook refuses to write over it. Treat {@code vars} as read-only: snapshots share it.
 */
public record Host(String name, ObjectNode vars, List<String> groups, int version, long czxid, boolean unreadable) {
    public Host {
        groups = List.copyOf(groups);
    }

    /** A readable host of unknown creation, for tests and tools that build snapshots by hand. */
    public Host(String name, ObjectNode vars, List<String> groups, int version) {
        this(name, vars, groups, version, 0, false);
    }

    /** The entity tag: creation and version, so a tag taken from a deleted host never matches its successor. */
    public String etag() {
        return Preconditions.etag(czxid, version);
    }
}
