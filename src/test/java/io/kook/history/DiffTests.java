package io.kook.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import io.kook.history.ChangeRecord.EntityType;
import io.kook.history.ChangeRecord.Kind;
import io.kook.history.Diff.Entry;
import io.kook.history.Diff.Ref;
import io.kook.history.ReplayTests.History;
import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.Snapshot;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static io.kook.history.ReplayTests.vars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** A diff names each host or group whose object differs between two states, by its net change only. */
class DiffTests {

    private static Ref host(String name) {
        return new Ref(EntityType.HOST, name);
    }

    private static Ref group(String name) {
        return new Ref(EntityType.GROUP, name);
    }

    /** The entities the records after {@code from} up to {@code to} touched: what a diff is asked about. */
    private static List<Ref> touched(History history, long from, long to) {
        return history.records().stream().filter(r -> r.revision() > from && r.revision() <= to)
                .flatMap(r -> r.entities().stream()).map(e -> new Ref(e.entity(), e.name())).toList();
    }

    @Test
    void aVarSetAndSetBackOrAMemberAddedAndRemovedIsNoDifference() {
        History history = new History();
        long from = history.write(w -> w.createGroup("web", vars("{}")).createHost("h1", vars("{\"a\":1}")));
        history.write(w -> w.setHost("h1", vars("{\"a\":2}")));
        history.write(w -> w.setHost("h1", vars("{\"a\":1}")));
        history.write(w -> w.addMember("web", "h1"));
        long to = history.write(w -> w.removeMember("web", "h1"));
        assertThat(history.at(to).host("h1").version()).isNotEqualTo(history.at(from).host("h1").version());

        assertThat(Diff.between(history.at(from), history.at(to), touched(history, from, to))).isEmpty();
    }

    @Test
    void entitiesCreatedDeletedAndChangedAreNamedSoWithTheirObjectsBeforeAndAfter() {
        History history = new History();
        long from = history.write(w -> w.createGroup("web", vars("{}")).createHost("old", vars("{}"), "web")
                .createHost("kept", vars("{\"v\":1}")));
        long to = history.write(w -> w.deleteHost("old").createHost("new", vars("{}"), "web")
                .setHost("kept", vars("{\"v\":2}")));
        Snapshot a = history.at(from);
        Snapshot b = history.at(to);

        List<Entry> diff = Diff.between(a, b, touched(history, from, to));

        assertThat(diff).containsExactly(
                new Entry(EntityType.HOST, "kept", Kind.UPDATED, a.host("kept"), b.host("kept")),
                new Entry(EntityType.HOST, "new", Kind.CREATED, null, b.host("new")),
                new Entry(EntityType.HOST, "old", Kind.DELETED, a.host("old"), null),
                new Entry(EntityType.GROUP, "web", Kind.UPDATED, a.storedGroup("web"), b.storedGroup("web")));
        assertThat(((Group) diff.get(3).after()).hosts()).containsExactly("new");
    }

    @Test
    void entriesAreSortedHostsFirstThenByNameAndEachCandidateCountsOnce() {
        History history = new History();
        long from = history.revision();
        long to = history.write(w -> w.createGroup("b", vars("{}")).createGroup("a", vars("{}"))
                .createHost("z", vars("{}")).createHost("y", vars("{}")));

        List<Entry> diff = Diff.between(history.at(from), history.at(to),
                List.of(group("b"), host("z"), group("a"), host("y"), host("z"), group("b")));

        assertThat(diff).extracting(e -> e.entity() + ":" + e.name())
                .containsExactly("HOST:y", "HOST:z", "GROUP:a", "GROUP:b");
    }

    @Test
    void aCandidateThatDidNotChangeOrNeverExistedGivesNothing() {
        History history = new History();
        long from = history.write(w -> w.createHost("same", vars("{\"n\":{\"deep\":[1]}}")).createGroup("g",
                vars("{}")));
        long to = history.write(w -> w.createHost("other", vars("{}")));

        List<Entry> diff = Diff.between(history.at(from), history.at(to),
                List.of(host("same"), group("g"), host("never"), group("never"), group("ungrouped"), host("other")));

        assertThat(diff).extracting(Entry::name).containsExactly("other");
    }

    @Test
    void varsCompareAsJsonSoANumberIsEqualWhateverTypeHoldsItButAnIntegerIsNotADecimal() {
        ObjectNode asInt = JsonNodeFactory.instance.objectNode().put("n", 1);
        ObjectNode asLong = JsonNodeFactory.instance.objectNode().put("n", 1L);
        ObjectNode asDouble = JsonNodeFactory.instance.objectNode().put("n", 1.0);
        Snapshot a = hostWith(asInt);

        assertThat(Diff.between(a, hostWith(asLong), List.of(host("h")))).isEmpty();
        assertThat(Diff.between(a, hostWith(asDouble), List.of(host("h")))).extracting(Entry::kind)
                .containsExactly(Kind.UPDATED);
    }

    private static Snapshot hostWith(ObjectNode vars) {
        Host h = new Host("h", vars, List.of(), 0);
        return new Snapshot(1, 0, 0, Map.of("h", h), Map.of(), List.of("h"), List.of());
    }

    @Test
    void aDiffBetweenTwoRevisionsEqualsComparingEverythingReplayedAtEach() {
        long seed = ReplayTests.seed(DiffTests.class);
        History history = History.random(seed, 300);
        Random random = new Random(seed);
        Snapshot current = history.current();
        for (int i = 0; i < 100; i++) {
            long x = random.nextLong(history.revision() + 1);
            long y = random.nextLong(history.revision() + 1);
            long from = Math.min(x, y);
            long to = Math.max(x, y);
            Snapshot a = Replay.at(current, history.newerThan(from), from);
            Snapshot b = Replay.at(current, history.newerThan(to), to);
            String context = "seed " + seed + ", from " + from + " to " + to;

            List<Entry> diff = Diff.between(a, b, touched(history, from, to));

            assertThat(diff).as(context).isEqualTo(everyDifference(a, b));
            assertThat(Diff.between(b, a, touched(history, from, to))).as(context + ", reversed")
                    .extracting(Entry::name, Entry::kind)
                    .containsExactlyElementsOf(everyDifference(b, a).stream()
                            .map(e -> tuple(e.name(), e.kind())).toList());
        }
    }

    /** Every host and stored group of either state whose object, versions aside, differs: no candidates needed. */
    private static List<Entry> everyDifference(Snapshot a, Snapshot b) {
        List<Entry> result = new ArrayList<>();
        TreeSet<String> hosts = new TreeSet<>(a.hostNames());
        hosts.addAll(b.hostNames());
        for (String name : hosts) {
            add(result, EntityType.HOST, name, a.host(name), b.host(name),
                    h -> new Host(h.name(), h.vars(), h.groups(), 0, 0, h.unreadable()));
        }
        TreeSet<String> groups = new TreeSet<>(a.storedGroupNames());
        groups.addAll(b.storedGroupNames());
        for (String name : groups) {
            add(result, EntityType.GROUP, name, a.storedGroup(name), b.storedGroup(name),
                    g -> new Group(g.name(), g.vars(), g.hosts(), g.children(), g.parents(), 0, 0, g.unreadable()));
        }
        return result;
    }

    private static <T> void add(List<Entry> result, EntityType type, String name, T before, T after,
                                UnaryOperator<T> withoutVersions) {
        if (before == null && after == null) {
            return;
        }
        if (before == null || after == null) {
            result.add(new Entry(type, name, before == null ? Kind.CREATED : Kind.DELETED, before, after));
        } else if (!withoutVersions.apply(before).equals(withoutVersions.apply(after))) {
            result.add(new Entry(type, name, Kind.UPDATED, before, after));
        }
    }
}
