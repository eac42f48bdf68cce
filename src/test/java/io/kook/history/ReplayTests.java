package io.kook.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.kook.history.ChangeRecord.EdgeChange;
import io.kook.history.ChangeRecord.EntityChange;
import io.kook.history.ChangeRecord.EntityType;
import io.kook.history.ChangeRecord.Kind;
import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.Names;
import io.kook.inventory.Registration;
import io.kook.inventory.ShardedMap;
import io.kook.inventory.Snapshot;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Undoing the recorded writes newer than N, newest first, gives back the inventory as it was right after N: hand-made
 * histories for each kind of undo, records that do not match the snapshot (edits outside Kook), and a seeded random
 * history checked against a model at 200 revisions.
 */
class ReplayTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static ObjectNode vars(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    /** The seed of a random history: {@code -Dkook.history.seed=} replays a failure, else a fresh one, logged. */
    static long seed(Class<?> test) {
        long seed = Long.getLong("kook.history.seed", System.nanoTime());
        LoggerFactory.getLogger(test).info("{} seed={} (rerun with -Dkook.history.seed={})", test.getSimpleName(),
                seed, seed);
        return seed;
    }

    @Test
    void undoingADeleteBringsBackTheHostWithItsVarsVersionAndMemberships() {
        History history = new History();
        long created = history.write(w -> w.createGroup("web", vars("{}")));
        long hostCreated = history.write(w -> w.createHost("h1", vars("{\"a\":1}"), "web"));
        long updated = history.write(w -> w.setHost("h1", vars("{\"a\":2,\"n\":{\"deep\":[1,\"x\"]}}")));
        history.write(w -> w.deleteHost("h1"));
        assertThat(history.current().host("h1")).isNull();
        assertThat(history.current().storedGroup("web").hosts()).isEmpty();

        Snapshot before = history.replayTo(updated);

        Host h1 = before.host("h1");
        assertThat(h1.vars()).isEqualTo(vars("{\"a\":2,\"n\":{\"deep\":[1,\"x\"]}}"));
        assertThat(h1.version()).isEqualTo(1);
        assertThat(h1.czxid()).isEqualTo(hostCreated);
        assertThat(h1.groups()).containsExactly("web");
        Group web = before.storedGroup("web");
        assertThat(web.hosts()).containsExactly("h1");
        assertThat(web.version()).isEqualTo(1);
        assertThat(web.czxid()).isEqualTo(created);
        assertThat(before.hostNames()).containsExactly("h1");
        assertThat(before.ungrouped()).isEmpty();
        assertSameInventory(before, history.at(updated), "");
    }

    @Test
    void undoingACreateRemovesTheEntityAndItsEdges() {
        History history = new History();
        long base = history.write(w -> w.createGroup("web", vars("{}")).createHost("h0", vars("{}"), "web"));
        history.write(w -> w.createHost("h1", vars("{}"), "web").createGroup("child", vars("{}")).addChild("web",
                "child"));

        Snapshot before = history.replayTo(base);

        assertThat(before.host("h1")).isNull();
        assertThat(before.storedGroup("child")).isNull();
        assertThat(before.storedGroup("web").hosts()).containsExactly("h0");
        assertThat(before.storedGroup("web").children()).isEmpty();
        assertThat(before.hostNames()).containsExactly("h0");
        assertThat(before.storedGroupNames()).containsExactly("web");
        assertSameInventory(before, history.at(base), "");
    }

    @Test
    void undoingANestingRestoresParentsAndChildrenOnBothEnds() {
        History history = new History();
        history.write(w -> w.createGroup("top", vars("{}")).createGroup("leaf", vars("{}")));
        long unnested = history.revision();
        long nested = history.write(w -> w.addChild("top", "leaf"));
        history.write(w -> w.removeChild("top", "leaf"));

        Snapshot whileNested = history.replayTo(nested);
        assertThat(whileNested.storedGroup("top").children()).containsExactly("leaf");
        assertThat(whileNested.storedGroup("leaf").parents()).containsExactly("top");
        assertThat(whileNested.topLevelGroups()).containsExactly("top");

        Snapshot beforeNesting = history.replayTo(unnested);
        assertThat(beforeNesting.storedGroup("top").children()).isEmpty();
        assertThat(beforeNesting.storedGroup("leaf").parents()).isEmpty();
        assertThat(beforeNesting.storedGroup("leaf").version()).isZero();
        assertSameInventory(whileNested, history.at(nested), "");
        assertSameInventory(beforeNesting, history.at(unnested), "");
    }

    @Test
    void undoingAGroupDeleteRestoresItsMembersParentsAndChildrenOnEveryEnd() {
        History history = new History();
        long built = history.write(w -> w.createGroup("top", vars("{}")).createGroup("mid", vars("{\"m\":true}"))
                .createGroup("leaf", vars("{}")).addChild("top", "mid").addChild("mid", "leaf")
                .createHost("h1", vars("{}"), "mid"));
        history.write(w -> w.deleteGroup("mid"));
        assertThat(history.current().storedGroup("top").children()).isEmpty();

        Snapshot before = history.replayTo(built);

        Group mid = before.storedGroup("mid");
        assertThat(mid.vars()).isEqualTo(vars("{\"m\":true}"));
        assertThat(mid.hosts()).containsExactly("h1");
        assertThat(mid.parents()).containsExactly("top");
        assertThat(mid.children()).containsExactly("leaf");
        assertThat(before.storedGroup("top").children()).containsExactly("mid");
        assertThat(before.storedGroup("leaf").parents()).containsExactly("mid");
        assertThat(before.host("h1").groups()).containsExactly("mid");
        assertSameInventory(before, history.at(built), "");
    }

    @Test
    void anEdgeOnlyChangeMovesTheVersionBackButKeepsTheVars() {
        History history = new History();
        long base = history.write(w -> w.createGroup("web", vars("{\"g\":1}")).createHost("h1", vars("{\"h\":1}")));
        history.write(w -> w.addMember("web", "h1"));
        ChangeRecord touch = history.records().get(1);
        assertThat(touch.entities()).extracting(EntityChange::varsBefore).containsOnlyNulls();

        Snapshot before = history.replayTo(base);

        assertThat(before.host("h1").vars()).isSameAs(history.current().host("h1").vars());
        assertThat(before.host("h1").version()).isZero();
        assertThat(before.host("h1").groups()).isEmpty();
        assertThat(before.storedGroup("web").version()).isZero();
        assertThat(before.ungrouped()).containsExactly("h1");
    }

    @Test
    void aDeleteAndRecreateOfTheSameNameGoesBackToTheFirstIncarnation() {
        History history = new History();
        long first = history.write(w -> w.createHost("h1", vars("{\"life\":1}")));
        history.write(w -> w.setHost("h1", vars("{\"life\":1,\"x\":2}")));
        long kept = history.revision();
        history.write(w -> w.deleteHost("h1"));
        history.write(w -> w.createHost("h1", vars("{\"life\":2}")));
        assertThat(history.current().host("h1").czxid()).isNotEqualTo(first);

        Snapshot before = history.replayTo(kept);

        assertThat(before.host("h1").czxid()).isEqualTo(first);
        assertThat(before.host("h1").version()).isEqualTo(1);
        assertThat(before.host("h1").vars()).isEqualTo(vars("{\"life\":1,\"x\":2}"));
        assertSameInventory(before, history.at(kept), "");
    }

    @Test
    void theAllGroupsVarsGoBackAndItIsRemovedBeforeItWasCreated() {
        History history = new History();
        long none = history.write(w -> w.createHost("h1", vars("{}")));
        long created = history.write(w -> w.createGroup(Names.ALL, vars("{\"env\":\"a\"}")));
        history.write(w -> w.setGroup(Names.ALL, vars("{\"env\":\"b\"}")));

        assertThat(history.replayTo(created).storedGroup(Names.ALL).vars()).isEqualTo(vars("{\"env\":\"a\"}"));
        assertThat(history.replayTo(none).storedGroup(Names.ALL)).isNull();
        assertThat(history.replayTo(none).group(Names.ALL).vars()).isEmpty();
    }

    @Test
    void noRecordsGiveTheSameInventoryStampedWithTheRevisionAndWithoutRegistrations() {
        History history = new History();
        history.write(w -> w.createGroup("web", vars("{}")).createHost("h1", vars("{}"), "web"));
        Snapshot live = history.current();
        Registration registration = new Registration("api", "h1", 80, vars("{}"), 1, null, "agent", 0);
        Snapshot withServices = new Snapshot(live.revision(), 3, 4, live.hostShards(), live.storedGroupMap(),
                live.hostNames(), live.storedGroupNames(), Map.of("api", List.of(registration)));

        Snapshot replayed = Replay.at(withServices, List.of(), 17);

        assertThat(replayed.revision()).isEqualTo(17);
        assertThat(replayed.topologyVersion()).isZero();
        assertThat(replayed.importVersion()).isZero();
        assertThat(replayed.services()).isEmpty();
        assertThat(replayed.host("h1")).isSameAs(live.host("h1"));
        assertThat(replayed.storedGroup("web")).isSameAs(live.storedGroup("web"));
    }

    @Test
    void untouchedEntitiesAreSharedAndKeepTheirUnreadableFlag() {
        Host foreign = new Host("foreign", JsonNodeFactory.instance.objectNode(), List.of(), 4, 99, true);
        Group odd = new Group("odd", JsonNodeFactory.instance.objectNode(), List.of(), List.of(), List.of(), 2, 98,
                true);
        Host h1 = new Host("h1", vars("{\"a\":2}"), List.of(), 1, 10, false);
        Snapshot current = new Snapshot(20, 0, 0, Map.of("foreign", foreign, "h1", h1), Map.of("odd", odd),
                List.of("foreign", "h1"), List.of("odd"));
        ChangeRecord set = record(20, List.of(new EntityChange(EntityType.HOST, "h1", Kind.UPDATED, 0, 10,
                vars("{\"a\":1}"))), List.of());

        Snapshot before = Replay.at(current, List.of(set), 19);

        assertThat(before.host("foreign")).isSameAs(foreign);
        assertThat(before.storedGroup("odd")).isSameAs(odd);
        assertThat(before.host("h1")).isEqualTo(new Host("h1", vars("{\"a\":1}"), List.of(), 0, 10, false));
    }

    @Test
    void undoingTheDeleteOfAnEntityKookCouldNotReadBringsItBackUnreadable() {
        Snapshot current = new Snapshot(30, 0, 0, Map.of(), Map.of(), List.of(), List.of());
        ChangeRecord delete = record(30, List.of(new EntityChange(EntityType.HOST, "foreign", Kind.DELETED, 3, 12,
                null)), List.of());

        Host back = Replay.at(current, List.of(delete), 29).host("foreign");

        assertThat(back).isEqualTo(new Host("foreign", JsonNodeFactory.instance.objectNode(), List.of(), 3, 12, true));
    }

    @Test
    void aRecordNamingAnAbsentEdgeIsIgnoredAndLeavesNoDanglingEdge() {
        Host h1 = new Host("h1", vars("{}"), List.of(), 1, 10, false);
        Group web = new Group("web", vars("{}"), List.of(), List.of(), List.of(), 1, 11, false);
        Snapshot current = new Snapshot(40, 0, 0, Map.of("h1", h1), Map.of("web", web), List.of("h1"),
                List.of("web"));
        // each names what is not there: an edge never made, edges to a host and a group that are gone
        // (deleted outside Kook), and edges naming the implicit groups, which no list may hold
        ChangeRecord foreign = record(40, List.of(), List.of(
                new EdgeChange(false, "web", "h1", true),
                new EdgeChange(false, "web", "ghost", false),
                new EdgeChange(true, "web", "gone", false),
                new EdgeChange(true, "gone", "web", false),
                new EdgeChange(true, Names.ALL, "web", false),
                new EdgeChange(true, "web", Names.UNGROUPED, false),
                new EdgeChange(false, Names.UNGROUPED, "h1", false),
                new EdgeChange(true, "web", "web", false)));

        Snapshot before = Replay.at(current, List.of(foreign), 39);

        assertThat(before.hostNames()).containsExactly("h1");
        assertThat(before.storedGroupNames()).containsExactly("web");
        assertThat(before.storedGroup("web").hosts()).isEmpty();
        assertThat(before.storedGroup("web").children()).isEmpty();
        assertThat(before.storedGroup("web").parents()).isEmpty();
        assertThat(before.host("h1").groups()).isEmpty();
        assertConsistent(before, "");
    }

    @Test
    void anUndoNamingAnAbsentEntityChangesNothingAndDropsItsEdges() {
        Group web = new Group("web", vars("{}"), List.of("h1"), List.of(), List.of(), 3, 11, false);
        Host h1 = new Host("h1", vars("{}"), List.of("web"), 2, 10, false);
        Snapshot current = new Snapshot(50, 0, 0, Map.of("h1", h1), Map.of("web", web), List.of("h1"),
                List.of("web"));
        // "gone" was deleted outside Kook after these writes: its update and creation cannot be undone, and the
        // membership the older write added must not come back pointing at nothing
        ChangeRecord update = record(50, List.of(
                new EntityChange(EntityType.HOST, "gone", Kind.UPDATED, 0, 45, vars("{\"x\":1}")),
                new EntityChange(EntityType.GROUP, "web", Kind.UPDATED, 2, 11, null)), List.of(
                new EdgeChange(false, "web", "gone", false)));
        ChangeRecord create = record(45, List.of(
                new EntityChange(EntityType.HOST, "nobody", Kind.CREATED, -1, 0, null),
                new EntityChange(EntityType.GROUP, "nothing", Kind.CREATED, -1, 0, null)), List.of());

        Snapshot mid = Replay.at(current, List.of(update), 49);
        Snapshot before = Replay.at(current, List.of(update, create), 44);

        assertThat(mid.host("gone")).isNull();
        assertThat(mid.storedGroup("web").hosts()).containsExactly("h1");
        assertThat(mid.storedGroup("web").version()).isEqualTo(2);
        assertThat(before.hostNames()).containsExactly("h1");
        assertThat(before.storedGroupNames()).containsExactly("web");
        assertConsistent(mid, "");
        assertConsistent(before, "");
    }

    @Test
    void goingBackAFewWritesOnALargeInventoryCopiesOnlyWhatTheyNamed() {
        Map<String, Host> hosts = new HashMap<>();
        Map<String, Group> groups = new HashMap<>();
        Map<String, List<String>> members = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            String group = "g" + (i % 10_000);
            hosts.put("h" + i, new Host("h" + i, JsonNodeFactory.instance.objectNode(), List.of(group), 1, i + 1,
                    false));
            members.computeIfAbsent(group, g -> new ArrayList<>()).add("h" + i);
        }
        members.forEach((g, hs) -> groups.put(g, new Group(g, JsonNodeFactory.instance.objectNode(),
                hs.stream().sorted().toList(), List.of(), List.of(), 10, 1, false)));
        Snapshot current = new Snapshot(200_000, 0, 0, hosts, groups, hosts.keySet().stream().sorted().toList(),
                groups.keySet().stream().sorted().toList());
        ChangeRecord move = record(200_000, List.of(
                new EntityChange(EntityType.HOST, "h7", Kind.UPDATED, 0, 8, null),
                new EntityChange(EntityType.GROUP, "g7", Kind.UPDATED, 9, 1, null),
                new EntityChange(EntityType.GROUP, "g8", Kind.UPDATED, 9, 1, null)), List.of(
                new EdgeChange(false, "g8", "h7", false),
                new EdgeChange(false, "g7", "h7", true)));

        Snapshot before = Replay.at(current, List.of(move), 199_999);

        assertThat(before.host("h7").groups()).containsExactly("g8");
        assertThat(before.storedGroup("g7").hosts()).hasSize(9).doesNotContain("h7");
        assertThat(before.storedGroup("g8").hosts()).hasSize(11).contains("h7");
        assertThat(before.host("h8")).isSameAs(current.host("h8"));
        assertThat(before.storedGroup("g9")).isSameAs(current.storedGroup("g9"));
        assertThat(before.hostNames()).isSameAs(current.hostNames());
        assertThat(before.hostCount()).isEqualTo(100_000);
    }

    @Test
    void replayingToAnyRevisionGivesTheModelsStateAtThatRevision() {
        long seed = seed(ReplayTests.class);
        History history = History.random(seed, 400);
        Random random = new Random(seed);
        Snapshot current = history.current();
        List<Long> targets = new ArrayList<>(List.of(0L, history.revision()));
        for (int i = 0; i < 200; i++) {
            targets.add(random.nextLong(history.revision() + 1));
        }
        for (long n : targets) {
            Snapshot replayed = Replay.at(current, history.newerThan(n), n);
            String context = "seed " + seed + ", N " + n + ": ";
            assertThat(replayed.revision()).as(context + "revision").isEqualTo(n);
            assertSameInventory(replayed, history.at(n), context);
        }
        assertCoversEveryKindOfWrite(history, "seed " + seed);
    }

    /** The random history did what it claims to: otherwise the property above proves little. */
    static void assertCoversEveryKindOfWrite(History history, String context) {
        List<EntityChange> entities = history.records().stream().flatMap(r -> r.entities().stream()).toList();
        List<EdgeChange> edges = history.records().stream().flatMap(r -> r.edges().stream()).toList();
        assertThat(history.records()).as(context).hasSizeGreaterThan(300)
                .anySatisfy(r -> assertThat(r.entities()).hasSizeGreaterThan(4));
        for (EntityType type : EntityType.values()) {
            for (Kind kind : Kind.values()) {
                assertThat(entities).as(context).anyMatch(e -> e.entity() == type && e.kind() == kind);
            }
        }
        assertThat(entities).as(context + ": a host created again after its delete").anyMatch(e ->
                e.entity() == EntityType.HOST && e.kind() == Kind.DELETED && entities.stream().skip(
                        entities.indexOf(e)).anyMatch(later -> later.name().equals(e.name())
                        && later.kind() == Kind.CREATED));
        assertThat(entities).as(context + ": all's vars").anyMatch(e -> e.name().equals(Names.ALL)
                && e.varsBefore() != null);
        assertThat(entities).as(context + ": nested vars").anyMatch(e -> e.varsBefore() != null
                && e.varsBefore().toString().contains("deep"));
        assertThat(edges).as(context).anyMatch(e -> e.child() && e.added()).anyMatch(e -> e.child() && !e.added())
                .anyMatch(e -> !e.child() && e.added()).anyMatch(e -> !e.child() && !e.added());
    }

    static ChangeRecord record(long revision, List<EntityChange> entities, List<EdgeChange> edges) {
        return new ChangeRecord(revision, Instant.EPOCH, "test", null, "r" + revision, "test", entities, edges, 1, 1);
    }

    /** Same hosts and stored groups with the same vars, versions, creations, flags and edge lists. */
    static void assertSameInventory(Snapshot actual, Snapshot expected, String context) {
        assertThat(actual.hostNames()).as(context + "host names").isEqualTo(expected.hostNames());
        assertThat(actual.storedGroupNames()).as(context + "group names").isEqualTo(expected.storedGroupNames());
        for (String name : expected.hostNames()) {
            assertThat(actual.host(name)).as(context + "host " + name).isEqualTo(expected.host(name));
        }
        for (String name : expected.storedGroupNames()) {
            assertThat(actual.storedGroup(name)).as(context + "group " + name).isEqualTo(expected.storedGroup(name));
        }
        assertThat(actual.services()).as(context + "services").isEmpty();
        assertConsistent(actual, context);
    }

    /** Names sorted and counted right, every edge on both of its ends, no edge to anything absent or implicit. */
    static void assertConsistent(Snapshot s, String context) {
        assertThat(s.hostNames()).as(context + "host names").isSorted().hasSize(s.hostCount());
        assertThat(s.storedGroupNames()).as(context + "group names").isSorted().hasSize(s.groupCount());
        for (String name : s.hostNames()) {
            Host host = s.host(name);
            assertThat(host).as(context + "host " + name).isNotNull();
            assertThat(host.groups()).as(context + "groups of " + name).isSorted().doesNotHaveDuplicates()
                    .allSatisfy(g -> assertThat(s.storedGroup(g)).as(context + "group " + g).isNotNull()
                            .satisfies(group -> assertThat(group.hosts()).contains(name)))
                    .doesNotContain(Names.ALL, Names.UNGROUPED);
        }
        for (String name : s.storedGroupNames()) {
            Group group = s.storedGroup(name);
            assertThat(group).as(context + "group " + name).isNotNull();
            assertThat(group.hosts()).as(context + "hosts of " + name).isSorted().doesNotHaveDuplicates()
                    .allSatisfy(h -> assertThat(s.host(h)).as(context + "host " + h).isNotNull()
                            .satisfies(host -> assertThat(host.groups()).contains(name)));
            assertThat(group.children()).as(context + "children of " + name).isSorted().doesNotHaveDuplicates()
                    .doesNotContain(Names.ALL, Names.UNGROUPED, name)
                    .allSatisfy(c -> assertThat(s.storedGroup(c)).as(context + "group " + c).isNotNull()
                            .satisfies(child -> assertThat(child.parents()).contains(name)));
            assertThat(group.parents()).as(context + "parents of " + name).isSorted().doesNotHaveDuplicates()
                    .doesNotContain(Names.ALL, Names.UNGROUPED, name)
                    .allSatisfy(p -> assertThat(s.storedGroup(p)).as(context + "group " + p).isNotNull()
                            .satisfies(parent -> assertThat(parent.children()).contains(name)));
        }
    }

    /**
     * A simple mutable model of the inventory that commits writes the way {@code Change} plans them (every entity an
     * edge touches moves its version by one, a delete takes its edges with it, an edge added and removed in one write
     * is no edge), records for each the {@link ChangeRecord} a real write makes, and keeps the state after each.
     */
    static final class History {
        private static final int HOSTS = 25;
        private static final int GROUPS = 10;

        private final TreeMap<String, Entity> hosts = new TreeMap<>();
        private final TreeMap<String, Entity> groups = new TreeMap<>();
        private final List<ChangeRecord> records = new ArrayList<>();
        private final TreeMap<Long, Snapshot> states = new TreeMap<>(Map.of(0L, Snapshot.EMPTY));
        private long revision;

        /** A host ({@code members}: its groups) or stored group ({@code members}: its hosts). */
        private static final class Entity {
            ObjectNode vars;
            int version;
            long czxid;
            final TreeSet<String> members = new TreeSet<>();
            final TreeSet<String> children = new TreeSet<>();
            final TreeSet<String> parents = new TreeSet<>();

            Entity(ObjectNode vars) {
                this.vars = vars;
            }
        }

        private record Before(boolean existed, ObjectNode vars, int version, long czxid) {
        }

        /** One write under way: the before-state of everything it touched, and its net edges. */
        final class Write {
            private final Map<String, Before> hostsBefore = new LinkedHashMap<>();
            private final Map<String, Before> groupsBefore = new LinkedHashMap<>();
            private final Set<String> hostVarsSet = new TreeSet<>();
            private final Set<String> groupVarsSet = new TreeSet<>();
            private final Map<List<Object>, EdgeChange> edges = new LinkedHashMap<>();

            Write createHost(String name, ObjectNode vars, String... groups) {
                touch(hostsBefore, hosts, name);
                hosts.put(name, new Entity(vars));
                for (String group : groups) {
                    addMember(group, name);
                }
                return this;
            }

            Write setHost(String name, ObjectNode vars) {
                touch(hostsBefore, hosts, name);
                hostVarsSet.add(name);
                hosts.get(name).vars = vars;
                return this;
            }

            Write deleteHost(String name) {
                touch(hostsBefore, hosts, name);
                for (String group : List.copyOf(hosts.get(name).members)) {
                    removeMember(group, name);
                }
                hosts.remove(name);
                return this;
            }

            Write createGroup(String name, ObjectNode vars) {
                touch(groupsBefore, groups, name);
                groups.put(name, new Entity(vars));
                return this;
            }

            Write setGroup(String name, ObjectNode vars) {
                touch(groupsBefore, groups, name);
                groupVarsSet.add(name);
                groups.get(name).vars = vars;
                return this;
            }

            Write deleteGroup(String name) {
                touch(groupsBefore, groups, name);
                Entity group = groups.get(name);
                List.copyOf(group.members).forEach(h -> removeMember(name, h));
                List.copyOf(group.children).forEach(c -> removeChild(name, c));
                List.copyOf(group.parents).forEach(p -> removeChild(p, name));
                groups.remove(name);
                return this;
            }

            Write addMember(String group, String host) {
                return member(group, host, true);
            }

            Write removeMember(String group, String host) {
                return member(group, host, false);
            }

            Write addChild(String group, String child) {
                return child(group, child, true);
            }

            Write removeChild(String group, String child) {
                return child(group, child, false);
            }

            private Write member(String group, String host, boolean add) {
                touch(groupsBefore, groups, group);
                touch(hostsBefore, hosts, host);
                link(groups.get(group).members, host, add);
                link(hosts.get(host).members, group, add);
                edge(new EdgeChange(false, group, host, add));
                return this;
            }

            private Write child(String group, String child, boolean add) {
                touch(groupsBefore, groups, group);
                touch(groupsBefore, groups, child);
                link(groups.get(group).children, child, add);
                link(groups.get(child).parents, group, add);
                edge(new EdgeChange(true, group, child, add));
                return this;
            }

            private void link(Set<String> set, String name, boolean add) {
                if (add) {
                    set.add(name);
                } else {
                    set.remove(name);
                }
            }

            /** The opposite of an edge change made earlier in the same write cancels it. */
            private void edge(EdgeChange change) {
                List<Object> key = List.of(change.child(), change.group(), change.member());
                if (edges.remove(key) == null) {
                    edges.put(key, change);
                }
            }

            private void touch(Map<String, Before> before, Map<String, Entity> entities, String name) {
                before.computeIfAbsent(name, n -> {
                    Entity e = entities.get(n);
                    return e == null ? new Before(false, null, -1, 0) : new Before(true, e.vars, e.version, e.czxid);
                });
            }

            /** Whether this write created or deleted the entity (it may not do either again). */
            boolean createdOrDeleted(boolean host, String name) {
                Before before = (host ? hostsBefore : groupsBefore).get(name);
                boolean exists = (host ? hosts : groups).containsKey(name);
                return before != null && before.existed() != exists;
            }

            boolean isEmpty() {
                return hostsBefore.isEmpty() && groupsBefore.isEmpty();
            }
        }

        long write(Consumer<Write> body) {
            return write(1, "test", body);
        }

        /** Commits one write {@code gap} revisions after the last (other znodes take zxids in between). */
        long write(int gap, String op, Consumer<Write> body) {
            Write w = new Write();
            body.accept(w);
            if (w.isEmpty()) {
                return revision;
            }
            revision += gap;
            List<EntityChange> entities = new ArrayList<>();
            commit(EntityType.HOST, w.hostsBefore, hosts, w.hostVarsSet, entities);
            commit(EntityType.GROUP, w.groupsBefore, groups, w.groupVarsSet, entities);
            records.add(new ChangeRecord(revision, Instant.ofEpochSecond(revision), "test", null, "r" + revision, op,
                    entities, List.copyOf(w.edges.values()), 1, 1));
            states.put(revision, snapshot());
            return revision;
        }

        private void commit(EntityType type, Map<String, Before> touched, Map<String, Entity> entities,
                            Set<String> varsSet, List<EntityChange> out) {
            touched.forEach((name, before) -> {
                Entity now = entities.get(name);
                if (!before.existed()) {
                    if (now != null) {
                        now.version = 0;
                        now.czxid = revision;
                        out.add(new EntityChange(type, name, Kind.CREATED, -1, 0, null));
                    }
                } else if (now == null) {
                    out.add(new EntityChange(type, name, Kind.DELETED, before.version(), before.czxid(),
                            before.vars()));
                } else {
                    now.version = before.version() + 1;
                    out.add(new EntityChange(type, name, Kind.UPDATED, before.version(), before.czxid(),
                            varsSet.contains(name) ? before.vars() : null));
                }
            });
        }

        private Snapshot snapshot() {
            Map<String, Host> hs = new HashMap<>();
            hosts.forEach((n, e) -> hs.put(n, new Host(n, e.vars, List.copyOf(e.members), e.version, e.czxid, false)));
            Map<String, Group> gs = new HashMap<>();
            groups.forEach((n, e) -> gs.put(n, new Group(n, e.vars, List.copyOf(e.members), List.copyOf(e.children),
                    List.copyOf(e.parents), e.version, e.czxid, false)));
            return new Snapshot(revision, 0, 0, ShardedMap.of(hs), gs, List.copyOf(hosts.keySet()),
                    List.copyOf(groups.keySet()), Map.of());
        }

        long revision() {
            return revision;
        }

        List<ChangeRecord> records() {
            return records;
        }

        Snapshot current() {
            return states.lastEntry().getValue();
        }

        /** The state right after revision {@code n}: that of the last write at or before it. */
        Snapshot at(long n) {
            return states.floorEntry(n).getValue();
        }

        /** The records newer than {@code n}, newest first, as history reads them. */
        List<ChangeRecord> newerThan(long n) {
            return records.stream().filter(r -> r.revision() > n)
                    .sorted((a, b) -> Long.compare(b.revision(), a.revision())).toList();
        }

        Snapshot replayTo(long n) {
            return Replay.at(current(), newerThan(n), n);
        }

        /**
         * {@code writes} random writes: hosts and groups created, changed and deleted (and created again under the
         * same few names), memberships and nestings added and removed without cycles, {@code all}'s vars, vars
         * with nested objects and arrays, and import-like writes doing several of these at once.
         */
        static History random(long seed, int writes) {
            Random random = new Random(seed);
            History history = new History();
            for (int i = 0; i < writes; i++) {
                int gap = 1 + random.nextInt(3);
                if (random.nextInt(8) == 0) {
                    int ops = 2 + random.nextInt(7);
                    history.write(gap, "import", w -> {
                        for (int k = 0; k < ops; k++) {
                            history.randomOp(random, w);
                        }
                    });
                } else {
                    history.write(gap, "op", w -> history.randomOp(random, w));
                }
            }
            return history;
        }

        private void randomOp(Random random, Write w) {
            for (int attempt = 0; attempt < 10; attempt++) {
                if (tryOp(random, w)) {
                    return;
                }
            }
        }

        private boolean tryOp(Random random, Write w) {
            List<String> hostNames = List.copyOf(hosts.keySet());
            List<String> groupNames = groups.keySet().stream().filter(g -> !Names.ALL.equals(g)).toList();
            String host = hostNames.isEmpty() ? null : hostNames.get(random.nextInt(hostNames.size()));
            String group = groupNames.isEmpty() ? null : groupNames.get(random.nextInt(groupNames.size()));
            String other = groupNames.isEmpty() ? null : groupNames.get(random.nextInt(groupNames.size()));
            switch (random.nextInt(12)) {
                case 0 -> {
                    String name = "h" + random.nextInt(HOSTS);
                    if (hosts.containsKey(name) || w.createdOrDeleted(true, name)) {
                        return false;
                    }
                    w.createHost(name, randomVars(random, null), group == null || random.nextBoolean()
                            ? new String[0] : new TreeSet<>(List.of(group, other)).toArray(String[]::new));
                }
                case 1 -> {
                    if (host == null) {
                        return false;
                    }
                    ObjectNode old = hosts.get(host).vars;
                    w.setHost(host, random.nextInt(5) == 0 ? old.deepCopy() : randomVars(random, old));
                }
                case 2 -> {
                    if (host == null || w.createdOrDeleted(true, host)) {
                        return false;
                    }
                    w.deleteHost(host);
                }
                case 3 -> {
                    String name = "g" + random.nextInt(GROUPS);
                    if (groups.containsKey(name) || w.createdOrDeleted(false, name)) {
                        return false;
                    }
                    w.createGroup(name, randomVars(random, null));
                    if (group != null && random.nextBoolean()) {
                        w.addChild(group, name);
                    }
                    if (host != null && random.nextBoolean()) {
                        w.addMember(name, host);
                    }
                }
                case 4 -> {
                    if (group == null) {
                        return false;
                    }
                    w.setGroup(group, randomVars(random, groups.get(group).vars));
                }
                case 5 -> {
                    if (group == null || w.createdOrDeleted(false, group)) {
                        return false;
                    }
                    w.deleteGroup(group);
                }
                case 6 -> {
                    if (group == null || host == null || groups.get(group).members.contains(host)) {
                        return false;
                    }
                    w.addMember(group, host);
                }
                case 7 -> {
                    if (host == null || hosts.get(host).members.isEmpty()) {
                        return false;
                    }
                    List<String> of = List.copyOf(hosts.get(host).members);
                    w.removeMember(of.get(random.nextInt(of.size())), host);
                }
                case 8 -> {
                    if (group == null || other == null || groups.get(group).children.contains(other)
                            || reaches(other, group)) {
                        return false;
                    }
                    w.addChild(group, other);
                }
                case 9 -> {
                    if (group == null || groups.get(group).children.isEmpty()) {
                        return false;
                    }
                    List<String> children = List.copyOf(groups.get(group).children);
                    w.removeChild(group, children.get(random.nextInt(children.size())));
                }
                case 10 -> {
                    Entity all = groups.get(Names.ALL);
                    if (all != null) {
                        w.setGroup(Names.ALL, randomVars(random, all.vars));
                    } else if (!w.createdOrDeleted(false, Names.ALL)) {
                        w.createGroup(Names.ALL, randomVars(random, null));
                    } else {
                        return false;
                    }
                }
                default -> {
                    // a host put that changes vars and memberships at once
                    if (host == null || group == null) {
                        return false;
                    }
                    w.setHost(host, randomVars(random, hosts.get(host).vars));
                    if (hosts.get(host).members.contains(group)) {
                        w.removeMember(group, host);
                    } else {
                        w.addMember(group, host);
                    }
                    if (!group.equals(other) && other != null && hosts.get(host).members.contains(other)) {
                        w.removeMember(other, host);
                    }
                }
            }
            return true;
        }

        /** Whether {@code to} is {@code from} or below it. */
        private boolean reaches(String from, String to) {
            if (from.equals(to)) {
                return true;
            }
            for (String child : groups.get(from).children) {
                if (reaches(child, to)) {
                    return true;
                }
            }
            return false;
        }

        /** New vars: {@code old}'s (never changed in place: older states share it) with a few keys set or removed. */
        private static ObjectNode randomVars(Random random, ObjectNode old) {
            ObjectNode vars = old == null ? JsonNodeFactory.instance.objectNode() : old.deepCopy();
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                String key = "k" + random.nextInt(5);
                switch (random.nextInt(6)) {
                    case 0 -> vars.remove(key);
                    case 1 -> vars.put(key, random.nextInt(3));
                    case 2 -> vars.put(key, random.nextBoolean() ? "a" : "b");
                    case 3 -> vars.put(key, random.nextInt(2) + 0.5);
                    case 4 -> vars.putNull(key);
                    default -> {
                        ObjectNode nested = vars.putObject(key);
                        ArrayNode list = nested.putArray("list");
                        list.add(random.nextInt(3)).add("x").addObject().put("deep", random.nextBoolean());
                        nested.putObject("inner").put("n", random.nextInt(2));
                    }
                }
            }
            return vars;
        }
    }
}
