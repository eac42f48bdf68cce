package io.kook.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

import io.kook.inventory.Registration;
import io.kook.inventory.Snapshot;
import io.kook.mirror.Published;

/**
 * The recent history of the inventory, one entry per published revision, for {@code GET /events}. It keeps a
 * bounded window; a client that last saw a revision older than the window (or than the mirror's last full
 * re-read, before which this replica knows no history) must start over.
 */
public final class ChangeLog {

    /**
     * One changed entity: {@code entity} is host, group or registration (named {@code <service>/<host:port>}),
     * {@code kind} created, updated or deleted. A registration's expiry is its deletion by a reaper.
     */
    public record Change(String entity, String name, String kind) {
    }

    /** The changes of one revision. */
    public record Entry(long revision, List<Change> changes) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    /**
     * The revision after which this log holds every change; a resume from before it cannot be replayed. It
     * starts as "none" because a fresh process knows nothing of what happened before it began listening: a
     * {@code Last-Event-ID} from an earlier process (or another replica) must get a reset, not a silent gap.
     */
    private long floor = Long.MAX_VALUE;

    public ChangeLog(int capacity) {
        this.capacity = capacity;
    }

    /** Declares that every publication after {@code revision} reaches this log, unless a re-read said so first. */
    synchronized void listeningSince(long revision) {
        if (floor == Long.MAX_VALUE) {
            floor = revision;
        }
    }

    /** Records a publication; returns the new entry, or empty for a reset or a publication without changes. */
    synchronized Optional<Entry> accept(Published published) {
        if (published.reset()) {
            entries.clear();
            floor = published.current().revision();
            return Optional.empty();
        }
        List<Change> changes = new ArrayList<>();
        for (String name : new TreeSet<>(published.hosts())) {
            changes.add(new Change("host", name, kind(published.previous().host(name) != null,
                    published.current().host(name) != null)));
        }
        for (String name : new TreeSet<>(published.groups())) {
            changes.add(new Change("group", name, kind(published.previous().storedGroup(name) != null,
                    published.current().storedGroup(name) != null)));
        }
        registrationChanges(published.previous(), published.current(), changes);
        if (changes.isEmpty()) {
            return Optional.empty();
        }
        Entry entry = new Entry(published.current().revision(), List.copyOf(changes));
        entries.addLast(entry);
        while (entries.size() > capacity) {
            long evicted = entries.removeFirst().revision();
            floor = floor == Long.MAX_VALUE ? floor : Math.max(floor, evicted);
        }
        return Optional.of(entry);
    }

    /** Entries after {@code revision}, or empty when that revision is outside the retained window. */
    public synchronized Optional<List<Entry>> since(long revision) {
        if (revision < floor) {
            return Optional.empty();
        }
        List<Entry> result = new ArrayList<>();
        for (Entry e : entries) {
            if (e.revision() > revision) {
                result.add(e);
            }
        }
        return Optional.of(result);
    }

    /** Registrations created, changed (content or version) or deleted between two snapshots, sorted by name. */
    private static void registrationChanges(Snapshot previous, Snapshot current, List<Change> changes) {
        if (previous.services() == current.services()) {
            return;
        }
        Map<String, Registration> before = byName(previous);
        Map<String, Registration> after = byName(current);
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            Registration was = before.get(name);
            Registration is = after.get(name);
            if (!Objects.equals(was, is)) {
                changes.add(new Change("registration", name, kind(was != null, is != null)));
            }
        }
    }

    private static Map<String, Registration> byName(Snapshot snapshot) {
        Map<String, Registration> result = new HashMap<>();
        snapshot.services().forEach((service, instances) -> {
            for (Registration r : instances) {
                result.put(service + "/" + r.instance(), r);
            }
        });
        return result;
    }

    private static String kind(boolean before, boolean after) {
        if (!before) {
            return "created";
        }
        return after ? "updated" : "deleted";
    }

}
