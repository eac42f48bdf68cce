package io.kook.history;

import java.time.Instant;
import java.util.List;

import tools.jackson.databind.node.ObjectNode;

/**
 * One committed write as history keeps it: who, why, what, and enough of the state before it to take it back. Each
 * record is written in the same ZooKeeper multi as the write it describes, so its creation zxid is the write's
 * revision and its creation time ZooKeeper's time of the write. The inventory as of any revision is the current
 * one with every later change undone, newest first; nothing else is stored per revision.
 *
 * @param revision  the write's revision (the record znode's creation zxid)
 * @param time      ZooKeeper's time of the write (the record znode's creation time)
 * @param actor     the name of the token that wrote, {@code anonymous} when security is off
 * @param reason    the {@code X-Kook-Reason} given, or {@code null}
 * @param requestId the request's {@code X-Request-Id}
 * @param op        what kind of write, e.g. {@code host.put}, {@code import}, {@code change.revert}
 * @param entities  every host and group the write created, changed (vars or edges) or deleted
 * @param edges     every membership and nesting edge it added or removed
 * @param part      1-based part of a write too large for one ZooKeeper request (a batched import), else 1
 * @param parts     how many parts the write has (1 for all but batched imports)
 */
public record ChangeRecord(long revision, Instant time, String actor, String reason, String requestId, String op,
                           List<EntityChange> entities, List<EdgeChange> edges, int part, int parts) {

    public ChangeRecord {
        entities = List.copyOf(entities);
        edges = List.copyOf(edges);
    }

    /** Whether the entity is a host or a group. */
    public enum EntityType {
        HOST, GROUP;

        public String wire() {
            return name().toLowerCase();
        }
    }

    /** What the write did to an entity, as the contract names it. */
    public enum Kind {
        CREATED, UPDATED, DELETED;

        public String wire() {
            return name().toLowerCase();
        }
    }

    /**
     * One entity the write touched, with its state just before the write.
     *
     * @param versionBefore the entity's ZooKeeper version before the write (-1 for a created one)
     * @param czxidBefore   the creation zxid of the incarnation before the write (0 for a created one)
     * @param varsBefore    its vars before the write when the write changed them or deleted the entity; {@code null}
     *                      when they stayed as they were (an edge-only change), the entity is created, or it is a
     *                      deleted entity whose data Kook could not read (it is put back unreadable). Read-only:
     *                      snapshots rebuilt from history share it
     */
    public record EntityChange(EntityType entity, String name, Kind kind, int versionBefore, long czxidBefore,
                               ObjectNode varsBefore) {
    }

    /**
     * A membership ({@code child == false}: {@code group} holds host {@code member}) or nesting edge ({@code group}
     * holds child group {@code member}) the write added or removed.
     */
    public record EdgeChange(boolean child, String group, String member, boolean added) {
    }
}
