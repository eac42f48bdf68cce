package io.kook.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kook.inventory.KookException;
import io.kook.inventory.Snapshot;
import io.kook.web.PointInTime;

/**
 * Reads of the past: the inventory as of a revision ({@code ?atRevision=N}) and the net difference between two
 * revisions. The state at N is the current snapshot with every later change undone ({@link Replay}); a write too
 * large for one request (a batched import) is undone whole or not at all, since no reader ever saw it half done.
 * Rebuilt snapshots are kept for a few revisions, so that repeated reads of one revision (every Ansible run of a
 * pinned deploy) render once.
 */
public final class HistoryReads implements PointInTime {

    private static final int CACHED = 8;

    private final HistoryStore store;
    private final Map<Long, Snapshot> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Snapshot> eldest) {
            return size() > CACHED;
        }
    };

    public HistoryReads(HistoryStore store) {
        this.store = store;
    }

    /** The state right after the last change at or before {@code revision}, stamped with that change's revision. */
    @Override
    public Snapshot at(long revision, Snapshot current) {
        return at(revision, current, store.read());
    }

    private Snapshot at(long revision, Snapshot current, HistoryStore.Log log) {
        Window window = window(revision, current.revision(), log);
        synchronized (cache) {
            Snapshot cached = cache.get(window.stamp());
            if (cached != null) {
                return cached;
            }
        }
        Snapshot rebuilt = Replay.at(current, window.undone(), window.stamp());
        synchronized (cache) {
            cache.put(window.stamp(), rebuilt);
        }
        return rebuilt;
    }

    /**
     * What a read at {@code revision} undoes from a snapshot at {@code current}, and the revision its answer
     * stands for: that of the newest change it keeps, or the horizon when it keeps none.
     */
    private record Window(List<ChangeRecord> undone, long stamp) {
    }

    private static Window window(long revision, long current, HistoryStore.Log log) {
        if (revision < log.horizon()) {
            throw new KookException.Gone("revision " + revision + " is older than the retained history, which"
                    + " begins at revision " + log.horizon() + " (kook.history.retention, kook.history.max-age)");
        }
        List<ChangeRecord> undone = new ArrayList<>();
        List<ChangeRecord> newestFirst = log.newestFirst();
        int i = 0;
        for (; i < newestFirst.size() && newestFirst.get(i).revision() > revision; i++) {
            if (newestFirst.get(i).revision() <= current) {
                undone.add(newestFirst.get(i));
            }
        }
        // inside a batched import (parts are consecutive: its guard held every other write off): undo it whole
        if (!undone.isEmpty() && undone.get(undone.size() - 1).part() > 1) {
            for (; i < newestFirst.size(); i++) {
                ChangeRecord part = newestFirst.get(i);
                undone.add(part);
                if (part.part() == 1) {
                    i++;
                    break;
                }
            }
        }
        long stamp = i < newestFirst.size() ? newestFirst.get(i).revision() : log.horizon();
        return new Window(undone, Math.max(stamp, log.horizon()));
    }

    /** The states at two revisions and their net difference. */
    public record Difference(Snapshot before, Snapshot after, List<Diff.Entry> entries) {
    }

    /** The net difference between the states at {@code from} and {@code to}, both at or before {@code current}. */
    public Difference diff(long from, long to, Snapshot current) {
        HistoryStore.Log log = store.read();
        Snapshot before = at(from, current, log);
        Snapshot after = at(to, current, log);
        long low = Math.min(before.revision(), after.revision());
        long high = Math.max(before.revision(), after.revision());
        Set<Diff.Ref> candidates = new LinkedHashSet<>();
        for (ChangeRecord record : log.newestFirst()) {
            if (record.revision() > low && record.revision() <= high) {
                record.entities().forEach(e -> candidates.add(new Diff.Ref(e.entity(), e.name())));
                for (ChangeRecord.EdgeChange edge : record.edges()) {
                    candidates.add(new Diff.Ref(ChangeRecord.EntityType.GROUP, edge.group()));
                    candidates.add(new Diff.Ref(edge.child() ? ChangeRecord.EntityType.GROUP
                            : ChangeRecord.EntityType.HOST, edge.member()));
                }
            }
        }
        return new Difference(before, after, Diff.between(before, after, candidates));
    }
}
