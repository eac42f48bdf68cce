package io.kook.history;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.kook.history.ChangeRecord.EdgeChange;
import io.kook.history.ChangeRecord.EntityChange;
import io.kook.history.ChangeRecord.EntityType;
import io.kook.inventory.KookException;
import io.kook.inventory.Snapshot;
import io.kook.store.Change;
import io.kook.store.InventoryWriter;
import io.kook.store.Topology;
import io.kook.store.ZkLayout;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Takes a change back with one new write that puts every entity it touched as it was just before it: created ones
 * are deleted, deleted ones come back with their vars, changed vars get their old values, added edges go and
 * removed ones return. Conditional: if a later change touched any of those entities, undoing this one would undo
 * part of that one too, so it is refused (409) unless forced. Planned under the topology lock and judged by every
 * rule a write passes (scopes, privileged vars); recorded as a change itself ({@code change.revert}).
 */
public final class Reverter {

    private final HistoryStore store;
    private final InventoryWriter writer;
    private final ZkLayout layout;

    public Reverter(HistoryStore store, InventoryWriter writer, ZkLayout layout) {
        this.store = store;
        this.writer = writer;
        this.layout = layout;
    }

    /** @return the revert's own revision */
    public long revert(long revision, boolean force) {
        List<ChangeRecord> newestFirst = store.newestFirst();
        ChangeRecord target = newestFirst.stream().filter(r -> r.revision() == revision).findFirst()
                .orElseThrow(() -> new KookException.NotFound("no retained change has revision " + revision));
        if (!force) {
            requireUntouchedSince(target, newestFirst);
        }
        boolean[] empty = new boolean[1];
        long committed = writer.commit("change.revert", InventoryWriter.TOPOLOGY_LOCK, "revert of change " + revision,
                snapshot -> {
                    Change change = plan(snapshot, target);
                    empty[0] = change.isEmpty();
                    return change;
                });
        if (empty[0]) {
            throw new KookException.Conflict("nothing to revert: what change " + revision + " touched is already as it"
                    + " was before it");
        }
        return committed;
    }

    private static void requireUntouchedSince(ChangeRecord target, List<ChangeRecord> newestFirst) {
        Set<String> touched = new HashSet<>();
        target.entities().forEach(e -> touched.add(e.entity().wire() + " " + e.name()));
        for (ChangeRecord later : newestFirst) {
            if (later.revision() <= target.revision()) {
                break;
            }
            for (EntityChange e : later.entities()) {
                if (touched.contains(e.entity().wire() + " " + e.name())) {
                    throw new KookException.Conflict("change " + later.revision() + " (" + later.op() + ") touched "
                            + e.entity().wire() + " " + e.name() + " after change " + target.revision()
                            + "; reverting would undo part of it too. Revert the later change first, or pass force=true");
                }
            }
        }
    }

    private Change plan(Snapshot snapshot, ChangeRecord target) {
        Change change = new Change(snapshot, layout);
        for (EntityChange e : target.entities()) {
            boolean host = e.entity() == EntityType.HOST;
            boolean exists = host ? snapshot.host(e.name()) != null : snapshot.storedGroup(e.name()) != null;
            switch (e.kind()) {
                case CREATED -> {
                    if (exists && host) {
                        change.deleteHost(e.name());
                    } else if (exists) {
                        change.deleteGroup(e.name());
                    }
                }
                case DELETED, UPDATED -> {
                    if (e.kind() == ChangeRecord.Kind.DELETED || e.varsBefore() != null) {
                        ObjectNode vars = e.varsBefore() != null ? e.varsBefore().deepCopy()
                                : JsonNodeFactory.instance.objectNode();
                        ObjectNode now = !exists ? null : host ? snapshot.host(e.name()).vars()
                                : snapshot.storedGroup(e.name()).vars();
                        if (vars.equals(now)) {
                            continue; // as it was already: a revert run twice changes nothing the second time
                        }
                        if (host) {
                            if (exists) {
                                change.setHost(e.name(), vars);
                            } else {
                                change.createHost(e.name(), vars);
                            }
                        } else if (exists) {
                            change.setGroup(e.name(), vars);
                        } else {
                            change.createGroup(e.name(), vars);
                        }
                    }
                }
            }
        }
        Topology after = change.after();
        for (EdgeChange edge : target.edges()) {
            boolean present = edge.child() ? after.parents(edge.member()).contains(edge.group())
                    : after.groupsOf(edge.member()).contains(edge.group());
            boolean ends = after.hasGroup(edge.group())
                    && (edge.child() ? after.hasGroup(edge.member()) : after.hasHost(edge.member()));
            if (edge.added() && present) {
                if (edge.child()) {
                    change.removeChild(edge.group(), edge.member());
                } else {
                    change.removeMember(edge.group(), edge.member());
                }
            } else if (!edge.added() && !present && ends) {
                if (edge.child()) {
                    change.addChild(edge.group(), edge.member());
                } else {
                    change.addMember(edge.group(), edge.member());
                }
            }
        }
        requireNoCycle(change, target);
        return change;
    }

    /** Nesting edges put back may close a cycle with nesting added since: then the revert cannot be done as is. */
    private static void requireNoCycle(Change change, ChangeRecord target) {
        Topology after = change.after();
        for (EdgeChange edge : target.edges()) {
            if (!edge.child() || edge.added()) {
                continue;
            }
            Set<String> seen = new HashSet<>();
            // a cycle: the child put back is the parent itself or one of its ancestors
            Deque<String> pending = new ArrayDeque<>(List.of(edge.group()));
            while (!pending.isEmpty()) {
                String next = pending.pop();
                if (next.equals(edge.member())) {
                    throw new KookException.Cycle("putting " + edge.member() + " back under " + edge.group()
                            + " would close a cycle with nesting added since; nothing was changed");
                }
                if (seen.add(next)) {
                    pending.addAll(after.parents(next));
                }
            }
        }
    }
}
