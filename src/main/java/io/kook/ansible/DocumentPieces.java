package io.kook.ansible;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.Names;
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

    private volatile Map<String, Run> hostRuns = Map.of();
    private volatile Map<String, Run> groupRuns = Map.of();

    InventoryRenderer.Rendered render(Snapshot s, DynamicGroups dynamic) {
        List<Piece> pieces = new ArrayList<>();
        pieces.add(HEAD);

        Map<String, Run> hostsUsed = new HashMap<>();
        Map<String, Run> knownHosts = hostRuns;
        RunBuilder hosts = new RunBuilder(HOST_SPAN, false, knownHosts, hostsUsed, pieces, (run) -> fields(g -> {
            for (int i = 0; i < run.names.size(); i++) {
                g.writeName(run.names.get(i));
                @SuppressWarnings("unchecked")
                Map<String, Integer> extra = (Map<String, Integer>) run.extras.get(i);
                g.writePOJO(DynamicGroups.withDynamicVars((ObjectNode) run.sources.get(i), extra));
            }
        }));
        for (String name : s.hostNames()) {
            Host host = s.host(name);
            hosts.add(name, host.vars(), dynamic.hostVars().get(name));
        }
        hosts.finish();
        hostRuns = hostsUsed;

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
            names(g, "hosts", s.ungrouped());
            g.writeEndObject();
        }));
        pieces.add(Piece.of(middle.toByteArray()));

        Map<String, Run> groupsUsed = new HashMap<>();
        RunBuilder groups = new RunBuilder(GROUP_SPAN, true, groupRuns, groupsUsed, pieces, (run) -> fields(g -> {
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
        groupRuns = groupsUsed;

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

    /** Collects names into runs, reusing a known run's piece when it renders the same sources. */
    private static final class RunBuilder {
        private final int span;
        private final Map<String, Run> known;
        private final Map<String, Run> used;
        private final List<Piece> pieces;
        private final java.util.function.Function<RunBuilder, byte[]> render;
        private final List<String> names = new ArrayList<>();
        private final List<Object> sources = new ArrayList<>();
        private final List<Object> extras = new ArrayList<>();
        private boolean comma;

        RunBuilder(int span, boolean leadingComma, Map<String, Run> known, Map<String, Run> used, List<Piece> pieces,
                   java.util.function.Function<RunBuilder, byte[]> render) {
            this.span = span;
            this.comma = leadingComma;
            this.known = known;
            this.used = used;
            this.pieces = pieces;
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

        void finish() {
            if (names.isEmpty()) {
                return;
            }
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
            used.put(names.get(0), run);
            pieces.add(run.piece());
            names.clear();
            sources.clear();
            extras.clear();
            comma = true;
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
