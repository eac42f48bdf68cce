package io.kook.ansible;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.Names;
import io.kook.inventory.ShardedMap;
import io.kook.inventory.Snapshot;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inventory document built from pieces of earlier revisions is byte for byte the one a single Jackson
 * generator writes for the whole snapshot (the renderer before pieces, kept here as the reference), its gzip
 * form inflates to it, and a revision that changes little reuses almost every piece.
 */
class DocumentPiecesTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everyRevisionOfARandomHistoryRendersExactlyAsTheWholeDocumentWould() throws IOException {
        Random r = new Random(7);
        World world = new World(r);
        Snapshot previous = null;
        for (int step = 0; step < 80; step++) {
            if (step > 0) {
                world.change(r);
            }
            Snapshot s = world.snapshot(step + 1, previous);
            DynamicGroups dynamic = step % 3 == 0 ? world.registrations(r) : new DynamicGroups(Map.of(), Map.of());
            InventoryRenderer.Rendered rendered = s.lineage("pieces", DocumentPieces::new).render(s, dynamic);
            byte[] expected = reference(s, dynamic);
            assertThat(rendered.json().toByteArray()).as("step %d", step).isEqualTo(expected);
            assertThat(rendered.json().length()).isEqualTo(expected.length);
            assertThat(gunzip(rendered.gzip().toByteArray())).as("gzip, step %d", step).isEqualTo(expected);
            assertThat(rendered.gzip().length()).isEqualTo(rendered.gzip().toByteArray().length);
            previous = s;
        }
    }

    @Test
    void aRevisionThatChangesOneHostReusesEveryOtherPiece() {
        Random r = new Random(11);
        World world = new World(r);
        Snapshot first = world.snapshot(1, null);
        InventoryRenderer.Rendered before = InventoryRenderer.of(first);
        String host = world.hosts.keySet().stream().skip(1234).findFirst().orElseThrow();
        world.hosts.put(host, new Host(host, RandomInventories.vars(r, 3), world.hosts.get(host).groups(), 2));
        InventoryRenderer.Rendered after = InventoryRenderer.of(world.snapshot(2, first));

        Set<byte[]> old = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        old.addAll(before.json().parts());
        long renderedAgain = after.json().parts().stream().filter(p -> !old.contains(p)).count();
        assertThat(after.json().parts()).hasSizeGreaterThan(15);
        // the changed host's run, and the two pieces rendered every time (the top and the end)
        assertThat(renderedAgain).isEqualTo(3);
        assertThat(after.json().toByteArray()).isEqualTo(reference(world.snapshot(3, null),
                new DynamicGroups(Map.of(), Map.of())));
    }

    @Test
    void aRevisionThatOnlyMovesHostsBetweenGroupsRendersNoHostAgain() {
        Random r = new Random(13);
        World world = new World(r);
        Snapshot first = world.snapshot(1, null);
        InventoryRenderer.Rendered before = InventoryRenderer.of(first);
        List<String> names = List.copyOf(world.hosts.keySet());
        for (int i = 0; i < 50; i++) {
            world.link(names.get(r.nextInt(names.size())), "g" + r.nextInt(120));
        }
        Snapshot second = world.snapshot(2, first);
        InventoryRenderer.Rendered after = InventoryRenderer.of(second);

        Set<byte[]> old = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        old.addAll(before.json().parts());
        int hostRuns = (int) before.json().parts().stream().takeWhile(p -> p[0] != '}').count();
        assertThat(after.json().parts().subList(0, hostRuns)).allSatisfy(p -> assertThat(old).contains(p));
        assertThat(after.json().toByteArray()).isEqualTo(reference(second, new DynamicGroups(Map.of(), Map.of())));
    }

    @Test
    void anEmptyInventoryIsTheDocumentAnsibleExpects() throws IOException {
        InventoryRenderer.Rendered rendered = InventoryRenderer.of(Snapshot.EMPTY);
        byte[] expected = reference(Snapshot.EMPTY, new DynamicGroups(Map.of(), Map.of()));
        assertThat(rendered.json().toByteArray()).isEqualTo(expected);
        assertThat(gunzip(rendered.gzip().toByteArray())).isEqualTo(expected);
    }

    /** A mutable inventory of a few thousand hosts; each change replaces only the objects it touches. */
    private static final class World {
        final Map<String, Host> hosts = new TreeMap<>() {
            @Override
            public Host put(String name, Host host) {
                Host old = super.put(name, host);
                sharded = sharded.with(Map.of(name, host));
                if (old == null) {
                    names = null;
                }
                return old;
            }

            @Override
            public Host remove(Object name) {
                Host old = super.remove(name);
                Map<String, Host> gone = new java.util.HashMap<>();
                gone.put((String) name, null);
                sharded = sharded.with(gone);
                names = null;
                return old;
            }
        };
        final Map<String, Group> groups = new TreeMap<>();
        /** As the mirror keeps them: a host map that shares unchanged shards, a name list kept while no host comes or goes. */
        ShardedMap<Host> sharded = ShardedMap.empty();
        List<String> names;

        World(Random r) {
            for (int i = 0; i < 3000; i++) {
                String name = String.format("h%05d.example.com", i);
                hosts.put(name, new Host(name, RandomInventories.vars(r, 1 + r.nextInt(4)), List.of(), 1));
            }
            RandomInventories.HOSTS.forEach(h -> hosts.put(h, new Host(h, RandomInventories.vars(r, 2), List.of(), 1)));
            for (int i = 0; i < 120; i++) {
                String name = "g" + i;
                groups.put(name, new Group(name, RandomInventories.vars(r, r.nextInt(3)), List.of(), List.of(),
                        List.of(), 1));
            }
            for (String h : List.copyOf(hosts.keySet())) {
                if (r.nextInt(20) != 0) {
                    for (int k = 0; k < 1 + r.nextInt(3); k++) {
                        link(h, "g" + r.nextInt(120));
                    }
                }
            }
            for (int i = 1; i < 120; i += 3) {
                nest("g" + (i - 1), "g" + i);
            }
        }

        void change(Random r) {
            List<String> names = List.copyOf(hosts.keySet());
            List<String> groupNames = List.copyOf(groups.keySet());
            for (int k = 0; k < 1 + r.nextInt(6); k++) {
                String h = names.get(r.nextInt(names.size()));
                switch (r.nextInt(7)) {
                    case 0 -> hosts.put(h, new Host(h, RandomInventories.vars(r, r.nextInt(4)), hosts.get(h).groups(), 2));
                    case 1 -> link(h, groupNames.get(r.nextInt(groupNames.size())));
                    case 2 -> hosts.get(h).groups().forEach(g -> unlink(h, g));
                    case 3 -> {
                        hosts.get(h).groups().forEach(g -> unlink(h, g));
                        hosts.remove(h);
                    }
                    case 4 -> {
                        String added = "new-" + r.nextInt(1_000_000) + ".example.com";
                        hosts.put(added, new Host(added, RandomInventories.vars(r, 2), List.of(), 1));
                        link(added, groupNames.get(r.nextInt(groupNames.size())));
                    }
                    case 5 -> {
                        String g = groupNames.get(r.nextInt(groupNames.size()));
                        Group old = groups.get(g);
                        groups.put(g, new Group(g, RandomInventories.vars(r, 2), old.hosts(), old.children(),
                                old.parents(), 2));
                    }
                    default -> {
                        String g = "late" + r.nextInt(1000);
                        if (!groups.containsKey(g)) {
                            groups.put(g, new Group(g, RandomInventories.vars(r, 1), List.of(), List.of(), List.of(), 1));
                            link(h, g);
                        }
                    }
                }
            }
        }

        void link(String host, String group) {
            Host h = hosts.get(host);
            Group g = groups.get(group);
            if (h.groups().contains(group)) {
                return;
            }
            hosts.put(host, new Host(host, h.vars(), sorted(h.groups(), group, true), h.version() + 1));
            groups.put(group, new Group(group, g.vars(), sorted(g.hosts(), host, true), g.children(), g.parents(),
                    g.version() + 1));
        }

        void unlink(String host, String group) {
            Host h = hosts.get(host);
            Group g = groups.get(group);
            hosts.put(host, new Host(host, h.vars(), sorted(h.groups(), group, false), h.version() + 1));
            groups.put(group, new Group(group, g.vars(), sorted(g.hosts(), host, false), g.children(), g.parents(),
                    g.version() + 1));
        }

        void nest(String parent, String child) {
            Group p = groups.get(parent);
            Group c = groups.get(child);
            groups.put(parent, new Group(parent, p.vars(), p.hosts(), sorted(p.children(), child, true), p.parents(), 2));
            groups.put(child, new Group(child, c.vars(), c.hosts(), c.children(), sorted(c.parents(), parent, true), 2));
        }

        /** Registrations as the inventory shows them: vars on some stored hosts, unknown hosts, service groups. */
        DynamicGroups registrations(Random r) {
            Map<String, Map<String, Integer>> vars = new TreeMap<>();
            List<String> names = List.copyOf(hosts.keySet());
            for (int i = 0; i < 5; i++) {
                vars.put(names.get(r.nextInt(names.size())), Map.of("service_port", 8000 + r.nextInt(10)));
            }
            vars.put("unknown-" + r.nextInt(100), Map.of("service_port", 9000));
            return new DynamicGroups(Map.of("service_api", List.copyOf(new TreeSet<>(vars.keySet()))), vars);
        }

        Snapshot snapshot(long revision, Snapshot previous) {
            if (names == null) {
                names = java.util.Collections.unmodifiableList(new ArrayList<>(hosts.keySet()));
            }
            return new Snapshot(revision, 0, 0, sharded, new TreeMap<>(groups), names,
                    List.copyOf(groups.keySet()), Map.of(), previous);
        }

        private static List<String> sorted(List<String> names, String name, boolean add) {
            Set<String> result = new TreeSet<>(names);
            if (add) {
                result.add(name);
            } else {
                result.remove(name);
            }
            return List.copyOf(result);
        }
    }

    private static byte[] gunzip(byte[] gzip) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }

    /** The renderer before pieces: one generator writes the whole document. */
    static byte[] reference(Snapshot s, DynamicGroups dynamic) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024 + s.hostCount() * 256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeName("_meta");
            g.writeStartObject();
            g.writeName("hostvars");
            g.writeStartObject();
            Set<String> written = new HashSet<>();
            for (String name : s.hostNames()) {
                Host host = s.host(name);
                g.writeName(name);
                g.writePOJO(DynamicGroups.withDynamicVars(host.vars(), dynamic.hostVars().get(name)));
                written.add(name);
            }
            for (Map.Entry<String, Map<String, Integer>> e : dynamic.hostVars().entrySet()) {
                if (!written.contains(e.getKey())) {
                    g.writeName(e.getKey());
                    g.writePOJO(e.getValue());
                }
            }
            g.writeEndObject();
            g.writeEndObject();

            Group all = s.group(Names.ALL);
            g.writeName(Names.ALL);
            g.writeStartObject();
            g.writeName("children");
            g.writeStartArray();
            for (String child : s.topLevelGroups()) {
                g.writeString(child);
            }
            for (String child : dynamic.groups().keySet()) {
                g.writeString(child);
            }
            g.writeString(Names.UNGROUPED);
            g.writeEndArray();
            if (!all.vars().isEmpty()) {
                g.writeName("vars");
                g.writePOJO(all.vars());
            }
            g.writeEndObject();

            g.writeName(Names.UNGROUPED);
            g.writeStartObject();
            names(g, "hosts", s.ungrouped());
            g.writeEndObject();

            for (String name : s.ordinaryGroupNames()) {
                Group group = s.storedGroup(name);
                g.writeName(name);
                g.writeStartObject();
                names(g, "hosts", group.hosts());
                if (!group.vars().isEmpty()) {
                    g.writeName("vars");
                    g.writePOJO(group.vars());
                }
                if (!group.children().isEmpty()) {
                    names(g, "children", group.children());
                }
                g.writeEndObject();
            }
            for (Map.Entry<String, List<String>> e : dynamic.groups().entrySet()) {
                g.writeName(e.getKey());
                g.writeStartObject();
                names(g, "hosts", e.getValue());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void names(JsonGenerator g, String field, List<String> names) {
        g.writeName(field);
        g.writeStartArray();
        for (String n : names) {
            g.writeString(n);
        }
        g.writeEndArray();
    }

}
