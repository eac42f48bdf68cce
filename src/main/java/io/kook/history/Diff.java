package io.kook.history;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

import io.kook.history.ChangeRecord.EntityType;
import io.kook.history.ChangeRecord.Kind;
import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.Snapshot;
import tools.jackson.databind.JsonNode;

/**
 * What differs between two states of the inventory, for {@code GET /changes/diff}. Only the net difference counts: a
 * var set and set back, or a member added and removed, between the two states is no difference, and versions are
 * not compared (they move with every write, even one undone later). The caller names the candidates, the entities
 * the records between the two states touched, so a diff never scans the whole inventory.
 */
public final class Diff {

    private static final Comparator<Ref> ORDER = Comparator.comparing(Ref::entity).thenComparing(Ref::name);

    /** Numbers are equal by value and by being integral or not, whatever Java type the parser chose for them. */
    private static final Comparator<JsonNode> JSON_VALUE = (a, b) -> a.equals(b)
            || a.isNumber() && b.isNumber() && a.isIntegralNumber() == b.isIntegralNumber()
            && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;

    private Diff() {
    }

    /** A host or group a diff looks at. */
    public record Ref(EntityType entity, String name) {
    }

    /**
     * One entity that differs.
     *
     * @param before the {@link Host} or {@link Group} in the earlier state, {@code null} where absent
     * @param after  the same in the later state, {@code null} where absent
     */
    public record Entry(EntityType entity, String name, Kind kind, Object before, Object after) {
    }

    /** @return one entry per candidate that differs between {@code from} and {@code to}, hosts first, then by name */
    public static List<Entry> between(Snapshot from, Snapshot to, Collection<Ref> candidates) {
        TreeSet<Ref> refs = new TreeSet<>(ORDER);
        refs.addAll(candidates);
        List<Entry> result = new ArrayList<>();
        for (Ref ref : refs) {
            boolean host = ref.entity() == EntityType.HOST;
            Object before = host ? from.host(ref.name()) : from.storedGroup(ref.name());
            Object after = host ? to.host(ref.name()) : to.storedGroup(ref.name());
            if (before == null && after == null || before != null && after != null && same(before, after)) {
                continue;
            }
            Kind kind = before == null ? Kind.CREATED : after == null ? Kind.DELETED : Kind.UPDATED;
            result.add(new Entry(ref.entity(), ref.name(), kind, before, after));
        }
        return result;
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Host x && b instanceof Host y) {
            return x.vars().equals(JSON_VALUE, y.vars()) && x.groups().equals(y.groups());
        }
        Group x = (Group) a;
        Group y = (Group) b;
        return x.vars().equals(JSON_VALUE, y.vars()) && x.hosts().equals(y.hosts())
                && x.children().equals(y.children()) && x.parents().equals(y.parents());
    }
}
