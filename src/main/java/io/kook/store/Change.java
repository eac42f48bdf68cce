package io.kook.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kook.history.ChangeRecord;
import io.kook.history.ChangeRecordCodec;
import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.KookException;
import io.kook.inventory.Snapshot;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import tools.jackson.databind.node.ObjectNode;

/**
 * One write, planned against a snapshot and committed as a single ZooKeeper {@code multi}. Every entity the
 * write touches is written with the version the snapshot had, including entities whose only change is an
 * edge ("touch"), so that entity versions cover memberships and a stale plan fails whole instead of
 * applying on top of a newer state. Ops are ordered so that the multi is valid: incarnation guards, creates,
 * edge deletes, edge creates, data writes, node deletes, then the topology guard and, last, the commit marker.
 *
 * <p>Versions alone suffer ABA: ZooKeeper restarts them at 0 when a node is re-created, so a plan made before a
 * delete and re-create would match the new node. ZooKeeper has no check on the creation zxid, so every delete of
 * an entity leaves a tombstone named by that zxid and the name ({@link ZkLayout#tombstone}), and every write that expects an
 * entity to still be the one it read creates and deletes that tombstone in the same multi: it fails with
 * NODEEXISTS, whole, if that incarnation was deleted meanwhile. Tombstones outlive any plan
 * ({@link Graveyard} sweeps old ones) and live outside the watched subtree.
 */
public final class Change {

    /** ZooKeeper refuses requests past jute.maxbuffer (1 MiB by default) by dropping the connection; stay clear. */
    static final int MAX_REQUEST_BYTES = 900_000;

    private enum Kind { CREATE, SET, TOUCH, DELETE }

    private record EntityWrite(Kind kind, ObjectNode vars, int version, long czxid) {
    }

    private final Snapshot snapshot;
    private final ZkLayout layout;
    private final Map<String, EntityWrite> hosts = new LinkedHashMap<>();
    private final Map<String, EntityWrite> groups = new LinkedHashMap<>();
    private final Set<Edge> edgeCreates = new LinkedHashSet<>();
    private final Set<Edge> edgeDeletes = new LinkedHashSet<>();
    private final Map<String, EntityWrite> groupGuards = new LinkedHashMap<>();
    private boolean topologyGuard;

    public Change(Snapshot snapshot, ZkLayout layout) {
        this.snapshot = snapshot;
        this.layout = layout;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** Receives a var this change gives a value it did not have before (a new var, or a changed one). */
    @FunctionalInterface
    public interface VarVisitor {
        void visit(String entity, String var, tools.jackson.databind.JsonNode value);
    }

    /** Each var this change newly sets, on hosts ({@code host <name>}) and groups ({@code group <name>}). */
    public void forEachNewVar(VarVisitor visitor) {
        hosts.forEach((name, write) -> {
            Host before = write.kind() == Kind.SET ? snapshot.host(name) : null;
            visitNew("host " + name, write.vars(), before == null ? null : before.vars(), visitor);
        });
        groups.forEach((name, write) -> {
            io.kook.inventory.Group before = write.kind() == Kind.SET ? snapshot.group(name) : null;
            visitNew("group " + name, write.vars(), before == null ? null : before.vars(), visitor);
        });
    }

    private static void visitNew(String entity, ObjectNode vars, ObjectNode before, VarVisitor visitor) {
        if (vars == null) {
            return;
        }
        vars.properties().forEach(var -> {
            if (before == null || !var.getValue().equals(before.get(var.getKey()))) {
                visitor.visit(entity, var.getKey(), var.getValue());
            }
        });
    }

    /** The hosts this change creates, rewrites or deletes, or whose memberships it changes. */
    public Set<String> hostsChanged() {
        return Collections.unmodifiableSet(hosts.keySet());
    }

    /** The groups this change creates, rewrites or deletes, or whose members, children or parents it changes. */
    public Set<String> groupsChanged() {
        return Collections.unmodifiableSet(groups.keySet());
    }

    /** The topology this change is planned on. */
    public Topology before() {
        return Topology.of(snapshot);
    }

    /** The topology once this change is committed: the snapshot's, with its creates, deletes and edges applied. */
    public Topology after() {
        Topology before = before();
        Map<String, Set<String>> parents = new HashMap<>();
        Map<String, Set<String>> memberships = new HashMap<>();
        for (Set<Edge> edges : List.of(edgeDeletes, edgeCreates)) {
            for (Edge edge : edges) {
                Set<String> owners = edge.child()
                        ? parents.computeIfAbsent(edge.member(), g -> new HashSet<>(before.parents(g)))
                        : memberships.computeIfAbsent(edge.member(), h -> new HashSet<>(before.groupsOf(h)));
                if (edges == edgeCreates) {
                    owners.add(edge.group());
                } else {
                    owners.remove(edge.group());
                }
            }
        }
        return new Topology() {
            @Override
            public boolean hasGroup(String group) {
                EntityWrite write = groups.get(group);
                return write == null ? before.hasGroup(group) : write.kind() != Kind.DELETE;
            }

            @Override
            public Collection<String> parents(String group) {
                if (!hasGroup(group)) {
                    return Set.of();
                }
                Set<String> changed = parents.get(group);
                return changed != null ? changed : before.parents(group);
            }

            @Override
            public boolean hasHost(String host) {
                EntityWrite write = hosts.get(host);
                return write == null ? before.hasHost(host) : write.kind() != Kind.DELETE;
            }

            @Override
            public Collection<String> groupsOf(String host) {
                if (!hasHost(host)) {
                    return Set.of();
                }
                Set<String> changed = memberships.get(host);
                return changed != null ? changed : before.groupsOf(host);
            }
        };
    }

    /**
     * Makes the commit fail, to be planned again, if {@code group} changes before it lands, although this change does
     * not write it: for a rule that judged the change by that group's edges (a token's scope, through ancestors).
     */
    public Change guardGroup(String name) {
        Group group = snapshot.storedGroup(name);
        if (group != null && !groups.containsKey(name) && group.version() >= 0) {
            groupGuards.putIfAbsent(name, new EntityWrite(Kind.TOUCH, null, group.version(), group.czxid()));
        }
        return this;
    }

    public Change createHost(String name, ObjectNode vars) {
        hosts.put(name, new EntityWrite(Kind.CREATE, vars, -1, 0));
        return this;
    }

    public Change setHost(String name, ObjectNode vars) {
        Host host = readable(existingHost(name));
        hosts.put(name, new EntityWrite(Kind.SET, vars, host.version(), host.czxid()));
        return this;
    }

    /** Deletes the host and every membership edge pointing at it. */
    public Change deleteHost(String name) {
        Host host = existingHost(name);
        for (String group : host.groups()) {
            removeMember(group, name);
        }
        hosts.put(name, new EntityWrite(Kind.DELETE, null, host.version(), host.czxid()));
        return this;
    }

    public Change createGroup(String name, ObjectNode vars) {
        groups.put(name, new EntityWrite(Kind.CREATE, vars, -1, 0));
        return this;
    }

    public Change setGroup(String name, ObjectNode vars) {
        Group group = readable(existingGroup(name));
        groups.put(name, new EntityWrite(Kind.SET, vars, group.version(), group.czxid()));
        return this;
    }

    /** Deletes the group, its memberships and its edges to parents and children. */
    public Change deleteGroup(String name) {
        Group group = existingGroup(name);
        group.hosts().forEach(h -> removeMember(name, h));
        group.children().forEach(c -> removeChild(name, c));
        group.parents().forEach(p -> removeChild(p, name));
        groups.put(name, new EntityWrite(Kind.DELETE, null, group.version(), group.czxid()));
        return this;
    }

    public Change addMember(String group, String host) {
        edge(Edge.member(group, host), true);
        touchHost(host);
        touchGroup(group);
        return this;
    }

    public Change removeMember(String group, String host) {
        edge(Edge.member(group, host), false);
        touchHost(host);
        touchGroup(group);
        return this;
    }

    /** Adds a nesting edge; guards the topology so that concurrent nestings cannot close a cycle together. */
    public Change addChild(String group, String child) {
        edge(Edge.child(group, child), true);
        touchGroup(group);
        touchGroup(child);
        topologyGuard = true;
        return this;
    }

    public Change removeChild(String group, String child) {
        edge(Edge.child(group, child), false);
        touchGroup(group);
        touchGroup(child);
        return this;
    }

    public boolean isEmpty() {
        return hosts.isEmpty() && groups.isEmpty() && edgeCreates.isEmpty() && edgeDeletes.isEmpty();
    }

    private void edge(Edge edge, boolean create) {
        if (create) {
            if (!edgeDeletes.remove(edge)) {
                edgeCreates.add(edge);
            }
        } else if (!edgeCreates.remove(edge)) {
            edgeDeletes.add(edge);
        }
    }

    private void touchHost(String name) {
        if (!hosts.containsKey(name)) {
            Host host = snapshot.host(name);
            if (host != null) {
                readable(host);
                hosts.put(name, new EntityWrite(Kind.TOUCH, host.vars(), host.version(), host.czxid()));
            }
        }
    }

    private void touchGroup(String name) {
        if (!groups.containsKey(name)) {
            Group group = snapshot.storedGroup(name);
            if (group != null) {
                readable(group);
                groups.put(name, new EntityWrite(Kind.TOUCH, group.vars(), group.version(), group.czxid()));
            }
        }
    }

    private static Host readable(Host host) {
        requireReadable("host", host.name(), host.unreadable());
        return host;
    }

    private static Group readable(Group group) {
        requireReadable("group", group.name(), group.unreadable());
        return group;
    }

    private static void requireReadable(String kind, String name, boolean unreadable) {
        if (unreadable) {
            throw new KookException.Unreadable(kind + " " + name + " holds data Kook cannot read (written by another"
                    + " tool); Kook will not write over it: delete the " + kind + " or repair its data in ZooKeeper");
        }
    }

    private Host existingHost(String name) {
        Host host = snapshot.host(name);
        if (host == null) {
            throw new KookException.NotFound("host " + name + " does not exist");
        }
        return host;
    }

    private Group existingGroup(String name) {
        Group group = snapshot.storedGroup(name);
        if (group == null) {
            throw new KookException.NotFound("group " + name + " does not exist");
        }
        return group;
    }

    /**
     * The ops of this change, the import guard check, its change record ({@code recordPath}, {@code record}; none
     * when {@code null}), and last the commit marker whose result carries the zxid.
     */
    List<Op> ops(byte[] marker, String recordPath, byte[] record) {
        Batch batch = entityOps();
        batch.check(layout.importGuard(), snapshot.importVersion());
        if (topologyGuard) {
            batch.setData(layout.topology(), new byte[0], snapshot.topologyVersion());
        }
        if (record != null) {
            batch.create(recordPath, record);
        }
        batch.setData(layout.commit(), marker, -1);
        long bytes = batch.bytes;
        if (bytes > MAX_REQUEST_BYTES) {
            throw new KookException.TooLarge("this write changes " + batch.ops.size() + " nodes (~" + bytes
                    + " bytes with its change record), past ZooKeeper's 1 MB request limit; split it into smaller writes");
        }
        return batch.ops;
    }

    /** Whether {@link #ops} fits one ZooKeeper request, change record included. */
    boolean fitsOneRequest() {
        Batch batch = entityOps();
        return batch.bytes + batch.recordBytes + 1024 <= MAX_REQUEST_BYTES;
    }

    /** This whole change as history records it (revision and time come from the record znode when read back). */
    public ChangeRecord record(String op, Attribution by) {
        List<Object> keys = new ArrayList<>();
        hosts.keySet().forEach(name -> keys.add("h:" + name));
        groups.keySet().forEach(name -> keys.add("g:" + name));
        keys.addAll(edgeDeletes);
        keys.addAll(edgeCreates);
        return record(op, by, keys, 1, 1);
    }

    /** The record of the entities ({@code h:}/{@code g:} keys) and {@link Edge}s among {@code keys}. */
    private ChangeRecord record(String op, Attribution by, List<Object> keys, int part, int parts) {
        List<ChangeRecord.EntityChange> entities = new ArrayList<>();
        List<ChangeRecord.EdgeChange> edges = new ArrayList<>();
        for (Object key : keys) {
            if (key instanceof Edge edge) {
                edges.add(new ChangeRecord.EdgeChange(edge.child(), edge.group(), edge.member(),
                        edgeCreates.contains(edge)));
            } else if (key instanceof String entity) {
                boolean host = entity.startsWith("h:");
                String name = entity.substring(2);
                entities.add(entityChange(host, name, (host ? hosts : groups).get(name)));
            }
        }
        return new ChangeRecord(0, null, by.actor(), by.reason(), by.requestId(), op, entities, edges, part, parts);
    }

    private ChangeRecord.EntityChange entityChange(boolean host, String name, EntityWrite write) {
        ChangeRecord.EntityType type = host ? ChangeRecord.EntityType.HOST : ChangeRecord.EntityType.GROUP;
        ChangeRecord.Kind kind = switch (write.kind()) {
            case CREATE -> ChangeRecord.Kind.CREATED;
            case DELETE -> ChangeRecord.Kind.DELETED;
            default -> ChangeRecord.Kind.UPDATED;
        };
        return new ChangeRecord.EntityChange(type, name, kind, write.version(), write.czxid(),
                varsBefore(host, name, write));
    }

    /** The vars an entity had before this change, when the change alters them or deletes it; else {@code null}. */
    private ObjectNode varsBefore(boolean host, String name, EntityWrite write) {
        if (write.kind() == Kind.CREATE || write.kind() == Kind.TOUCH) {
            return null;
        }
        boolean unreadable = host ? snapshot.host(name).unreadable() : snapshot.storedGroup(name).unreadable();
        if (unreadable) {
            return null; // only a delete gets here: the entity is put back unreadable, as it was
        }
        ObjectNode before = host ? snapshot.host(name).vars() : snapshot.storedGroup(name).vars();
        return write.kind() == Kind.SET && before.equals(write.vars()) ? null : before;
    }

    /**
     * The ops of this change cut into requests under the size limit, for a batched import {@code importId} that
     * holds the import guard open at version {@code firstVersion}. Order is kept, so every request is valid after
     * the ones before. Batch {@code i} (0-based) also sets the guard, expecting version {@code firstVersion + i},
     * to {@link ImportGuard#afterBatch}: every batch renews the lease and records how far the import got, and
     * the last closes the guard and, last of all, sets the commit marker.
     */
    List<List<Op>> batches(byte[] marker, String importId, long leaseMs, int firstVersion) {
        return batches(marker, importId, leaseMs, firstVersion, null, null, null);
    }

    /**
     * As above, each batch with the change record of what it applies ({@code <recordPrefix>.<part>}, part {@code i}
     * of the batches' count), so that history holds every batch that committed, also of an import cut short.
     */
    List<List<Op>> batches(byte[] marker, String importId, long leaseMs, int firstVersion, String recordPrefix,
                           String op, Attribution by) {
        Batch all = entityOps();
        List<List<Op>> result = new ArrayList<>();
        List<List<Object>> owners = new ArrayList<>();
        List<Op> current = new ArrayList<>();
        List<Object> currentOwners = new ArrayList<>();
        long bytes = 0;
        // room for the record's own envelope and the guard and marker ops every batch ends with
        long limit = MAX_REQUEST_BYTES - 4096;
        for (int i = 0; i < all.ops.size(); i++) {
            int size = all.sizes.get(i);
            if (!current.isEmpty() && bytes + size > limit && !all.gluedToNext.contains(i - 1)) {
                result.add(current);
                owners.add(currentOwners);
                current = new ArrayList<>();
                currentOwners = new ArrayList<>();
                bytes = 0;
            }
            current.add(all.ops.get(i));
            if (all.owners.get(i) != null) {
                currentOwners.add(all.owners.get(i));
            }
            bytes += size;
        }
        if (topologyGuard) {
            current.add(Op.setData(layout.topology(), new byte[0], snapshot.topologyVersion()));
        }
        result.add(current);
        owners.add(currentOwners);
        int count = result.size();
        for (int i = 0; i < count; i++) {
            if (recordPrefix != null) {
                ChangeRecord part = record(op, by, owners.get(i), i + 1, count);
                String path = recordPrefix + "." + (i + 1);
                result.get(i).add(Op.create(path, ChangeRecordCodec.encode(part), layout.acl(path), CreateMode.PERSISTENT));
            }
            result.get(i).add(Op.setData(layout.importGuard(), ImportGuard.afterBatch(importId, leaseMs, i + 1, count),
                    firstVersion + i));
        }
        result.get(count - 1).add(Op.setData(layout.commit(), marker, -1));
        return result;
    }

    private Batch entityOps() {
        Batch batch = new Batch(layout);
        byte[] empty = new byte[0];
        incarnationGuards(batch, groups, false);
        incarnationGuards(batch, hosts, true);
        Map<String, EntityWrite> guardsOnly = new LinkedHashMap<>(groupGuards);
        guardsOnly.keySet().removeAll(groups.keySet());
        incarnationGuards(batch, guardsOnly, false);
        groups.forEach((name, w) -> {
            if (w.kind() == Kind.CREATE) {
                batch.create(layout.group(name), EntityCodec.encode(w.vars()));
                own(batch, false, name, w);
                batch.create(layout.groupHosts(name), empty);
                batch.create(layout.groupChildren(name), empty);
            }
        });
        hosts.forEach((name, w) -> {
            if (w.kind() == Kind.CREATE) {
                batch.create(layout.host(name), EntityCodec.encode(w.vars()));
                own(batch, true, name, w);
            }
        });
        edgeDeletes.forEach(edge -> {
            batch.delete(edge.path(layout), -1);
            batch.own(edge, EDGE_RECORD_BYTES + edge.group().length() + edge.member().length());
        });
        edgeCreates.forEach(edge -> {
            batch.create(edge.path(layout), empty);
            batch.own(edge, EDGE_RECORD_BYTES + edge.group().length() + edge.member().length());
        });
        groups.forEach((name, w) -> {
            if (w.kind() == Kind.SET || w.kind() == Kind.TOUCH) {
                batch.setData(layout.group(name), EntityCodec.encode(w.vars()), w.version());
                own(batch, false, name, w);
            }
        });
        hosts.forEach((name, w) -> {
            if (w.kind() == Kind.SET || w.kind() == Kind.TOUCH) {
                batch.setData(layout.host(name), EntityCodec.encode(w.vars()), w.version());
                own(batch, true, name, w);
            }
        });
        groupGuards.forEach((name, w) -> {
            if (!groups.containsKey(name)) {
                batch.check(layout.group(name), w.version());
            }
        });
        groups.forEach((name, w) -> {
            if (w.kind() == Kind.DELETE) {
                batch.delete(layout.groupHosts(name), -1);
                own(batch, false, name, w);
                batch.delete(layout.groupChildren(name), -1);
                batch.delete(layout.group(name), w.version());
            }
        });
        hosts.forEach((name, w) -> {
            if (w.kind() == Kind.DELETE) {
                batch.delete(layout.host(name), w.version());
                own(batch, true, name, w);
            }
        });
        return batch;
    }

    /** Record bytes of one edge entry besides its names, and of one entity entry besides its name and vars. */
    private static final int EDGE_RECORD_BYTES = 40;
    private static final int ENTITY_RECORD_BYTES = 64;

    private void own(Batch batch, boolean host, String name, EntityWrite write) {
        ObjectNode before = varsBefore(host, name, write);
        batch.own((host ? "h:" : "g:") + name, ENTITY_RECORD_BYTES + name.length()
                + (before == null ? 0 : before.toString().length()));
    }

    /** Deletes leave the entity's tombstone; sets and touches prove, by creating and deleting it, there is none. */
    private void incarnationGuards(Batch batch, Map<String, EntityWrite> writes, boolean host) {
        byte[] empty = new byte[0];
        writes.forEach((name, w) -> {
            if (w.kind() == Kind.CREATE || w.czxid() <= 0) {
                return;
            }
            String tombstone = layout.tombstone(w.czxid(), host, name);
            batch.create(tombstone, empty);
            if (w.kind() != Kind.DELETE) {
                batch.glueLast(); // never split from its delete: a tombstone left alone would refuse the live entity
                batch.delete(tombstone, -1);
            }
        });
    }

    /** Ops with a running estimate of the request's size. */
    private static final class Batch {
        final ZkLayout layout;
        final List<Op> ops = new ArrayList<>();
        final List<Integer> sizes = new ArrayList<>();
        final Set<Integer> gluedToNext = new java.util.HashSet<>();
        /** Per op: the entity key ({@code h:}/{@code g:} and name) or {@link Edge} its change record entry belongs to. */
        final List<Object> owners = new ArrayList<>();
        long bytes;
        /** Estimated bytes the change record takes for the ops so far (counted in {@link #sizes} as well). */
        long recordBytes;

        Batch(ZkLayout layout) {
            this.layout = layout;
        }

        /** Files the last op's change under {@code owner}, whose record entry takes about {@code size} bytes. */
        void own(Object owner, int size) {
            owners.set(owners.size() - 1, owner);
            sizes.set(sizes.size() - 1, sizes.get(sizes.size() - 1) + size);
            recordBytes += size;
        }

        void glueLast() {
            gluedToNext.add(ops.size() - 1);
        }

        void create(String path, byte[] data) {
            ops.add(Op.create(path, data, layout.acl(path), CreateMode.PERSISTENT));
            count(path, data.length);
        }

        void setData(String path, byte[] data, int version) {
            ops.add(Op.setData(path, data, version));
            count(path, data.length);
        }

        void delete(String path, int version) {
            ops.add(Op.delete(path, version));
            count(path, 0);
        }

        void check(String path, int version) {
            ops.add(Op.check(path, version));
            count(path, 0);
        }

        private void count(String path, int dataLength) {
            // multi header, lengths, ACL, flags: measured at under 64 bytes per op besides path and data
            int size = 64 + path.getBytes(StandardCharsets.UTF_8).length + dataLength;
            sizes.add(size);
            owners.add(null);
            bytes += size;
        }
    }

    /**
     * The ops whose success proves the multi did not apply if they would still succeed: versioned writes and
     * deletes must still see their expected version, creates must still find no node.
     */
    List<Expectation> expectations() {
        List<Expectation> result = new ArrayList<>();
        groups.forEach((name, w) -> result.add(expectation(layout.group(name), w)));
        hosts.forEach((name, w) -> result.add(expectation(layout.host(name), w)));
        edgeCreates.forEach(edge -> result.add(new Expectation(edge.path(layout), -1, 0)));
        return result;
    }

    private static Expectation expectation(String path, EntityWrite w) {
        if (w.kind() == Kind.CREATE) {
            return new Expectation(path, -1, 0);
        }
        // an entity Kook may not read (NOAUTH) has no known version: nothing can prove it unchanged
        return new Expectation(path, w.version() < 0 ? Expectation.UNKNOWN : w.version(), w.czxid());
    }

    /**
     * A node's state before this change: {@code version} -1 means "absent". The creation zxid is part of it, since
     * a node deleted and created again starts over at version 0.
     */
    record Expectation(String path, int version, long czxid) {

        /** A state that was never read, so no stat can show it unchanged. */
        static final int UNKNOWN = Integer.MIN_VALUE;

        /** Whether {@code now} (the node's stat, {@code null} if absent) is still the state this change expected. */
        boolean holds(org.apache.zookeeper.data.Stat now) {
            if (version == UNKNOWN) {
                return false;
            }
            return version < 0 ? now == null : now != null && now.getVersion() == version && now.getCzxid() == czxid;
        }
    }
}
