package io.kook.ansible;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.Names;
import io.kook.inventory.ShardedMap;
import io.kook.inventory.Snapshot;
import io.kook.web.Payload;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the {@code --list} document of a revision from pieces rendered for earlier ones: the hosts in sorted
 * runs and the groups in runs, each run kept as JSON and as a raw deflate block ending on a byte boundary
 * (a sync flush), so a gzip body is a header, the runs' blocks, an empty final block and a checksum. A
 * revision that changes one host re-renders and re-compresses the run holding it (a few hundred hosts), not
 * a million; runs end after names whose hash picks them, so a host added or removed moves no other boundary.
 *
 * <p>One instance serves the snapshots of one mirror ({@link Snapshot#lineage}); a run is reused only while
 * every name in it is the same and its vars (a group: the group itself) are the same object, so a renderer
 * reading an older or newer snapshot than the last one is still exact, merely slower. The bytes are those
 * of one Jackson generator writing the whole document.
 */
final class DocumentPieces {

    /** Hosts per run on average (a run of generated hosts is about 100 KB of JSON). */
    private static final int HOST_SPAN = 256;
    /** Groups per run on average. */
    private static final int GROUP_SPAN = 16;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    /** A final, empty block with fixed codes: what zlib writes to finish a stream after a sync flush. */
    private static final byte[] FINAL_BLOCK = {3, 0};
    private static final Piece HEAD = Piece.of(ascii("{\"_meta\":{\"hostvars\":{"));

    /** JSON, its CRC-32 and its raw deflate block (sync-flushed, not final). */
    record Piece(byte[] plain, int crc, byte[] deflated) {
        static Piece of(byte[] plain) {
            CRC32 crc = new CRC32();
            crc.update(plain);
            return new Piece(plain, (int) crc.getValue(), deflate(plain));
        }
    }

    /** A rendered run and what it was rendered from. */
    private record Run(String[] names, Object[] sources, Object[] extras, boolean leadingComma, Piece piece) {
        boolean renders(List<String> names, List<Object> sources, List<Object> extras, boolean comma) {
            if (comma != leadingComma || names.size() != this.names.length) {
                return false;
            }
            for (int i = 0; i < this.names.length; i++) {
                if (sources.get(i) != this.sources[i] || !this.names[i].equals(names.get(i))
                        || !Objects.equals(extras.get(i), this.extras[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The host runs of the last render, with what they were rendered from. */
    private record HostLayer(List<String> hostNames, ShardedMap<Host> hosts, Map<String, Map<String, Integer>> extras,
                             List<Run> runs, List<String> firstNames, List<String> ungrouped) {
    }

    private volatile HostLayer hostLayer;
    private volatile Map<String, Run> groupRuns = Map.of();

    InventoryRenderer.Rendered render(Snapshot s, DynamicGroups dynamic) {
        List<Piece> pieces = new ArrayList<>();
        pieces.add(HEAD);

        HostLayer hosts = hostRuns(s, dynamic);
        hostLayer = hosts;
        hosts.runs().forEach(run -> pieces.add(run.piece()));

        List<Map.Entry<String, Map<String, Integer>>> unknown = dynamic.hostVars().entrySet().stream()
                .filter(e -> s.host(e.getKey()) == null).toList();
        boolean anyHost = !s.hostNames().isEmpty();
        ByteArrayOutputStream middle = new ByteArrayOutputStream();
        if (!unknown.isEmpty()) {
            middle.writeBytes(ascii(anyHost ? "," : ""));
            middle.writeBytes(fields(g -> unknown.forEach(e -> {
                g.writeName(e.getKey());
                g.writePOJO(e.getValue());
            })));
        }
        middle.writeBytes(ascii("}},"));
        middle.writeBytes(fields(g -> {
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
            names(g, "hosts", hosts.ungrouped());
            g.writeEndObject();
        }));
        pieces.add(Piece.of(middle.toByteArray()));

        List<Run> groupRunList = new ArrayList<>();
        RunBuilder groups = new RunBuilder(GROUP_SPAN, true, groupRuns, groupRunList, run -> fields(g -> {
            for (Object source : run.sources) {
                Group group = (Group) source;
                g.writeName(group.name());
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
        }));
        for (String name : s.ordinaryGroupNames()) {
            groups.add(name, s.storedGroup(name), null);
        }
        groups.finish();
        groupRuns = byFirstName(groupRunList);
        groupRunList.forEach(run -> pieces.add(run.piece()));

        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        if (!dynamic.groups().isEmpty()) {
            tail.writeBytes(ascii(","));
            tail.writeBytes(fields(g -> dynamic.groups().forEach((name, members) -> {
                g.writeName(name);
                g.writeStartObject();
                names(g, "hosts", members);
                g.writeEndObject();
            })));
        }
        tail.writeBytes(ascii("}"));
        pieces.add(Piece.of(tail.toByteArray()));
        return assemble(s.revision(), pieces);
    }

    /**
     * The host runs of {@code s}. When no host came or went since the last render and registrations add the same
     * vars, only the hosts whose entries differ by identity in the host map (a few shards' worth) are looked at,
     * and only runs holding one whose vars changed are rendered again; otherwise every host is walked and runs
     * are reused where they still match.
     */
    private HostLayer hostRuns(Snapshot s, DynamicGroups dynamic) {
        HostLayer last = hostLayer;
        if (last != null && last.hostNames() == s.hostNames() && last.extras().equals(dynamic.hostVars())) {
            Set<String> changed = s.hostShards().changedSince(last.hosts(), last.runs().size());
            HostLayer patched = changed == null ? null : patched(last, changed, s, dynamic);
            if (patched != null) {
                return patched;
            }
        }
        Map<String, Run> known = last == null ? Map.of() : byFirstName(last.runs());
        List<Run> runs = new ArrayList<>();
        List<String> ungrouped = new ArrayList<>();
        RunBuilder builder = new RunBuilder(HOST_SPAN, false, known, runs, DocumentPieces::hostFields);
        for (String name : s.hostNames()) {
            Host host = s.host(name);
            if (host.groups().isEmpty()) {
                ungrouped.add(name);
            }
            builder.add(name, host.vars(), dynamic.hostVars().get(name));
        }
        builder.finish();
        return new HostLayer(s.hostNames(), s.hostShards(), dynamic.hostVars(), List.copyOf(runs),
                runs.stream().map(run -> run.names()[0]).toList(), List.copyOf(ungrouped));
    }

    /** The last layer with the runs of {@code changed} hosts rendered again; null if a host came or went. */
    private static HostLayer patched(HostLayer last, Set<String> changed, Snapshot s, DynamicGroups dynamic) {
        List<Run> runs = new ArrayList<>(last.runs());
        boolean ungroupedMoved = false;
        Set<Integer> dirty = new TreeSet<>();
        for (String name : changed) {
            Host before = last.hosts().get(name);
            Host now = s.host(name);
            if (before == null || now == null) {
                return null;
            }
            ungroupedMoved |= before.groups().isEmpty() != now.groups().isEmpty();
            if (before.vars() != now.vars()) {
                int found = Collections.binarySearch(last.firstNames(), name);
                dirty.add(found >= 0 ? found : -found - 2);
            }
        }
        for (int i : dirty) {
            Run old = runs.get(i);
            RunBuilder builder = new RunBuilder(HOST_SPAN, old.leadingComma(), Map.of(), List.of(),
                    DocumentPieces::hostFields);
            builder.collect(old.names(), name -> s.host(name).vars(), name -> dynamic.hostVars().get(name));
            runs.set(i, builder.build());
        }
        List<String> ungrouped = ungroupedMoved ? s.ungrouped() : last.ungrouped();
        return new HostLayer(s.hostNames(), s.hostShards(), last.extras(), List.copyOf(runs), last.firstNames(),
                ungrouped);
    }

    private static byte[] hostFields(RunBuilder run) {
        return fields(g -> {
            for (int i = 0; i < run.names.size(); i++) {
                g.writeName(run.names.get(i));
                @SuppressWarnings("unchecked")
                Map<String, Integer> extra = (Map<String, Integer>) run.extras.get(i);
                g.writePOJO(DynamicGroups.withDynamicVars((ObjectNode) run.sources.get(i), extra));
            }
        });
    }

    private static Map<String, Run> byFirstName(List<Run> runs) {
        Map<String, Run> byName = new HashMap<>(runs.size() * 2);
        runs.forEach(run -> byName.put(run.names()[0], run));
        return byName;
    }

    private static InventoryRenderer.Rendered assemble(long revision, List<Piece> pieces) {
        List<byte[]> plain = new ArrayList<>(pieces.size());
        List<byte[]> gzip = new ArrayList<>(pieces.size() + 3);
        gzip.add(GZIP_HEADER);
        long crc = 0;
        long length = 0;
        for (Piece piece : pieces) {
            plain.add(piece.plain());
            gzip.add(piece.deflated());
            crc = Crc32Combine.combine(crc, Integer.toUnsignedLong(piece.crc()), piece.plain().length);
            length += piece.plain().length;
        }
        gzip.add(FINAL_BLOCK);
        gzip.add(littleEndian((int) crc, (int) length));
        return new InventoryRenderer.Rendered(revision, Payload.of(plain), Payload.of(gzip));
    }

    /** Collects names into runs, reusing a known run when it renders the same sources. */
    private static final class RunBuilder {
        private final int span;
        private final Map<String, Run> known;
        private final List<Run> out;
        private final java.util.function.Function<RunBuilder, byte[]> render;
        private final List<String> names = new ArrayList<>();
        private final List<Object> sources = new ArrayList<>();
        private final List<Object> extras = new ArrayList<>();
        private boolean comma;

        RunBuilder(int span, boolean leadingComma, Map<String, Run> known, List<Run> out,
                   java.util.function.Function<RunBuilder, byte[]> render) {
            this.span = span;
            this.comma = leadingComma;
            this.known = known;
            this.out = out;
            this.render = render;
        }

        void add(String name, Object source, Object extra) {
            names.add(name);
            sources.add(source);
            extras.add(extra);
            if (endsRun(name, span)) {
                finish();
            }
        }

        /** One whole run's names, with their sources and extras, for {@link #build}. */
        void collect(String[] runNames, java.util.function.Function<String, Object> source,
                     java.util.function.Function<String, Object> extra) {
            for (String name : runNames) {
                names.add(name);
                sources.add(source.apply(name));
                extras.add(extra.apply(name));
            }
        }

        void finish() {
            if (!names.isEmpty()) {
                out.add(build());
            }
        }

        /** The run of the names collected since the last one: a known one if it matches, else rendered. */
        Run build() {
            Run run = known.get(names.get(0));
            if (run == null || !run.renders(names, sources, extras, comma)) {
                byte[] json = render.apply(this);
                if (comma) {
                    byte[] withComma = new byte[json.length + 1];
                    withComma[0] = ',';
                    System.arraycopy(json, 0, withComma, 1, json.length);
                    json = withComma;
                }
                run = new Run(names.toArray(String[]::new), sources.toArray(), extras.toArray(), comma, Piece.of(json));
            }
            names.clear();
            sources.clear();
            extras.clear();
            comma = true;
            return run;
        }
    }

    /** A run ends after a name whose (mixed) hash is 0 modulo the span: about one name in {@code span}. */
    static boolean endsRun(String name, int span) {
        int h = name.hashCode() * 0x9E3779B9;
        return ((h ^ (h >>> 16)) & (span - 1)) == 0;
    }

    /** The fields {@code write} writes, as JSON without the enclosing braces of their object. */
    private static byte[] fields(Consumer<JsonGenerator> write) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            write.accept(g);
            g.writeEndObject();
        }
        byte[] object = out.toByteArray();
        byte[] inner = new byte[object.length - 2];
        System.arraycopy(object, 1, inner, 0, inner.length);
        return inner;
    }

    private static void names(JsonGenerator g, String field, List<String> names) {
        g.writeName(field);
        g.writeStartArray();
        for (String n : names) {
            g.writeString(n);
        }
        g.writeEndArray();
    }

    private static byte[] deflate(byte[] plain) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(plain);
            ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
            byte[] buffer = new byte[Math.max(1024, Math.min(64 * 1024, plain.length + 64))];
            int n;
            do {
                n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                out.write(buffer, 0, n);
            } while (n == buffer.length);
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] littleEndian(int crc, int size) {
        return new byte[] {(byte) crc, (byte) (crc >>> 8), (byte) (crc >>> 16), (byte) (crc >>> 24),
                (byte) size, (byte) (size >>> 8), (byte) (size >>> 16), (byte) (size >>> 24)};
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
