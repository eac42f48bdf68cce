package io.kook.web;

import io.kook.inventory.Snapshot;

/**
 * The inventory as of an earlier revision, for {@code ?atRevision=N} reads (history provides it). Throws a
 * {@link io.kook.inventory.KookException} when that revision is older than the retained history.
 */
public interface PointInTime {

    /**
     * @param revision the revision asked for
     * @param current  a snapshot at or past {@code revision}
     * @return the state right after the last change at or before {@code revision}, stamped with that change's revision
     */
    Snapshot at(long revision, Snapshot current);
}
