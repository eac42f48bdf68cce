package io.kook.mirror;

import java.util.Set;

import io.kook.inventory.Snapshot;

/**
 * One publication of the mirror: the snapshot readers had, the one they have now, and the names of the hosts
 * and groups that changed in between. {@code reset} means the mirror re-read the whole tree (a first load or a
 * reconnection), so the change sets are not a complete account and a consumer should start over.
 */
public record Published(Snapshot previous, Snapshot current, Set<String> hosts, Set<String> groups, boolean reset) {
}
