package io.kook.mirror;

import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.kook.inventory.Registration;
import io.kook.inventory.Snapshot;
import io.kook.store.EntityCodec;
import io.kook.store.ImportGuard;
import io.kook.store.RegistrationCodec;
import io.kook.store.TreeBootstrap;
import io.kook.store.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch-driven in-memory copy of Kook's subtree that answers every read.
 *
 * <p>Why not CuratorCache: it reports deletes without their zxid and re-reads data at arbitrary later points, so
 * it cannot say "everything up to zxid N is applied", which {@code X-Kook-Revision}, {@code minRevision} and
 * atomic visibility of multi-node writes all need. Instead one persistent recursive watch, added on the raw
 * ZooKeeper handle (Curator's wrapper drops the event's zxid), delivers every change in transaction order with
 * the zxid of the transaction that made it; that zxid is the revision, for Kook's writes and any other tool's.
 * Edge creates and all deletes apply at once, entity data is fetched asynchronously.
 *
 * <p>When a transaction is complete: all events of one transaction are sent together, before any later read's
 * answer. A Kook write ends its multi with the commit marker, so the marker's event closes it; after any other
 * event a <em>barrier</em> read is sent, and its answer closes every transaction before it. A {@link Delta} is
 * cut and an immutable {@link Snapshot} published only when nothing is outstanding (no fetch, no barrier), so
 * readers never see half a write, whoever wrote it.
 *
 * <p>Generations: from a disconnection on (the watch's own Disconnected event, which comes in order with the
 * watch events, or Curator's SUSPENDED or LOST), the mirror no longer knows what it missed. It starts a new
 * generation: nothing more is published (readers keep the last consistent snapshot, marked stale), events are
 * buffered, and after reconnecting the tree is re-read ({@link TreeLoader}, after a {@code sync}) and the buffered
 * events replayed on it. A fetch that fails for any reason but "no node" forces the same re-read. Writers plan
 * only on a snapshot of a finished generation ({@link #awaitCurrent}). ZooKeeper callbacks do O(1) work under
 * the state lock and never block; snapshot building runs on its own thread.
 */
public final class Mirror implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final CuratorFramework client;
    private final ZkLayout layout;
    private final int primeConcurrency;
    private final Watcher watcher = this::onEvent;
    private final ConnectionStateListener connectionListener = (c, newState) -> onConnectionState(newState);
    private final ScheduledExecutorService primer;
    private final Thread publisher;
    private final BlockingQueue<Delta> deltas = new LinkedBlockingQueue<>();
    private final ReentrantLock advanceLock = new ReentrantLock();
    private final Condition advanced = advanceLock.newCondition();
    private final List<Consumer<Published>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong reprimes = new AtomicLong();
    private final AtomicLong unreadableReads = new AtomicLong();
    private final MirrorLag lag = new MirrorLag();

    // guarded by this
    private MirrorState state = new MirrorState();
    private boolean priming = true;
    private boolean loading;
    private boolean fullNext;
    private int pending;
    private boolean needBarrier;
    private long eventRevision;
    private long drainedRevision;
    private ZooKeeper handle;
    private final List<WatchedEvent> buffered = new ArrayList<>();

    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile long publishedGeneration = -1;
    /** Written under the state lock; volatile so that {@link #catchingUp} reads it without the lock. */
    private volatile long generation;
    private volatile boolean primed;
    private volatile boolean running = true;
    private volatile boolean importOpen;

    public Mirror(CuratorFramework client, ZkLayout layout, int primeConcurrency) {
        this.client = client;
        this.layout = layout;
        this.primeConcurrency = primeConcurrency;
        this.primer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "kook-mirror-prime"));
        this.publisher = daemon(this::publishLoop, "kook-mirror-publish");
    }

    public void start() {
        publisher.start();
        client.getConnectionStateListenable().addListener(connectionListener);
        newGeneration(true);
    }

    /** The latest published snapshot; never blocks. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /** Whether the first load of the tree has been published (readiness). */
    public boolean primed() {
        return primed;
    }

    /** Re-reads of the whole tree since start (reconnections and failed fetches), for metrics. */
    public long reprimes() {
        return reprimes.get();
    }

    /** How far publication trails the watch, for metrics. */
    MirrorLag lag() {
        return lag;
    }

    /** Entity znodes whose data Kook could not parse, counted per read, for metrics. */
    public long unreadableReads() {
        return unreadableReads.get();
    }

    /**
     * Reads the whole tree straight from ZooKeeper into a snapshot, bypassing the mirror: for a batched import,
     * which holds every other writer off and must plan against the exact current state.
     */
    public Snapshot readTree() throws Exception {
        TreeLoader.Loaded loaded = new TreeLoader(client, layout, primeConcurrency).load();
        return SnapshotMerger.merge(Snapshot.EMPTY, List.of(loaded.state().drain(loaded.maxZxid(), true, 0)));
    }

    /** Whether a batched import is running: its partial state is not published and other writes must wait. */
    public boolean importOpen() {
        return importOpen;
    }

    /** Waits until the first load is published; {@code false} if that did not happen in time. */
    public boolean awaitPrimed(Duration timeout) throws InterruptedException {
        return awaitSnapshot(timeout, s -> primed) != null;
    }

    /** Whether the mirror is re-reading the tree after a (re)connection or a failed read, and may be behind. */
    public boolean catchingUp() {
        return publishedGeneration != generation;
    }

    /**
     * Waits until the current generation has published its first snapshot, and returns the latest one: the only
     * snapshots a write may be planned on.
     *
     * @return {@code null} if the mirror did not finish re-reading the tree in time
     */
    public Snapshot awaitCurrent(Duration timeout) throws InterruptedException {
        return awaitSnapshot(timeout, s -> !catchingUp());
    }

    /** Called with every newly published snapshot, on the publishing thread; keep it short. */
    public void onPublish(Consumer<Published> listener) {
        listeners.add(listener);
    }

    /**
     * Waits until a snapshot at or past {@code revision} is published.
     *
     * @return that snapshot, or {@code null} if the wait ran out first
     */
    public Snapshot awaitRevision(long revision, Duration timeout) throws InterruptedException {
        Snapshot current = snapshot;
        if (current.revision() >= revision) {
            return current;
        }
        return awaitSnapshot(timeout, s -> s.revision() >= revision);
    }

    /**
     * Brings the mirror up to everything ZooKeeper had committed when this was called, whoever wrote it: a
     * {@code sync} makes this replica's server catch up with the leader, and the answer of a read sent after it
     * comes after the events of every transaction before it. Then waits for a snapshot that holds them.
     *
     * @return the caught-up snapshot of a finished generation, or {@code null} if that took longer than
     * {@code timeout} or ZooKeeper could not be reached
     */
    public Snapshot catchUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int round = 0; round < 3; round++) {
            if (awaitCurrent(remaining(deadline)) == null) {
                return null;
            }
            CompletableFuture<Long> target = new CompletableFuture<>();
            ZooKeeper zk;
            synchronized (this) {
                zk = handle;
            }
            if (zk == null) {
                return null;
            }
            zk.sync(layout.inventory(), (rc, path, ctx) -> {
                if (rc != KeeperException.Code.OK.intValue()) {
                    target.complete(null);
                    return;
                }
                zk.exists(layout.inventory(), false, (rc2, path2, ctx2, stat) -> {
                    synchronized (Mirror.this) {
                        target.complete(rc2 != KeeperException.Code.OK.intValue() ? null
                                : priming ? Long.valueOf(-1) : Long.valueOf(eventRevision));
                    }
                }, null);
            }, null);
            Long revision;
            try {
                revision = target.get(remaining(deadline).toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return null;
            }
            if (revision == null) {
                return null;
            }
            if (revision >= 0) {
                Snapshot caughtUp = awaitRevision(revision, remaining(deadline));
                return caughtUp != null && !catchingUp() ? caughtUp : null;
            }
            // the mirror started a new generation meanwhile: wait for it and ask again
        }
        return null;
    }

    private Snapshot awaitSnapshot(Duration timeout, java.util.function.Predicate<Snapshot> done)
            throws InterruptedException {
        long nanos = timeout.toNanos();
        advanceLock.lock();
        try {
            Snapshot current;
            while (!done.test(current = snapshot)) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = advanced.awaitNanos(nanos);
            }
            return current;
        } finally {
            advanceLock.unlock();
        }
    }

    private void onConnectionState(ConnectionState newState) {
        switch (newState) {
            case SUSPENDED, LOST -> newGeneration(false);
            case RECONNECTED -> newGeneration(true);
            case CONNECTED -> {
                synchronized (this) {
                    if (loading) {
                        return; // start() is loading on this connection already
                    }
                }
                newGeneration(true);
            }
            default -> {
            }
        }
    }

    /**
     * Forgets what the mirror knows of ZooKeeper's recent past: nothing is published until the tree has been
     * read again. With {@code load}, the re-read starts now (connected); otherwise on reconnection.
     */
    private void newGeneration(boolean load) {
        long gen;
        synchronized (this) {
            gen = ++generation;
            priming = true;
            loading = load;
            pending = 0;
            needBarrier = false;
            buffered.clear();
        }
        signalAdvance();
        if (load && running) {
            primer.execute(() -> prime(gen));
        }
    }

    private void prime(long gen) {
        long started = System.nanoTime();
        try {
            synchronized (this) {
                if (gen != generation) {
                    return;
                }
            }
            TreeBootstrap.ensure(client, layout);
            ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
            zk.addWatch(layout.inventory(), watcher, AddWatchMode.PERSISTENT_RECURSIVE);
            zk.sync(layout.inventory());
            synchronized (this) {
                if (gen != generation) {
                    return;
                }
                handle = zk;
            }
            TreeLoader.Loaded loaded = new TreeLoader(client, layout, primeConcurrency).load();
            synchronized (this) {
                if (gen != generation) {
                    return;
                }
                state = loaded.state();
                state.markAllDirty();
                fullNext = true;
                eventRevision = Math.max(eventRevision, loaded.maxZxid());
                priming = false;
                loading = false;
                List<WatchedEvent> replay = new ArrayList<>(buffered);
                buffered.clear();
                for (WatchedEvent event : replay) {
                    apply(event, gen);
                }
                maybeCut();
            }
            if (gen > 1) {
                reprimes.incrementAndGet();
            }
            log.info("op=mirror.prime generation={} ms={}", gen, (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (!running) {
                return;
            }
            log.warn("op=mirror.prime generation={} outcome=failed reason=\"{}\"; retrying", gen, e.toString());
            primer.schedule(() -> prime(gen), 1, TimeUnit.SECONDS);
        }
    }

    private void onEvent(WatchedEvent event) {
        if (event.getType() == Watcher.Event.EventType.None) {
            // delivered in order with watch events, unlike Curator's SUSPENDED: no event after a disconnection can
            // be applied to the state from before it
            Watcher.Event.KeeperState keeperState = event.getState();
            if (keeperState == Watcher.Event.KeeperState.Disconnected
                    || keeperState == Watcher.Event.KeeperState.Expired) {
                newGeneration(false);
            }
            return;
        }
        if (event.getPath() == null) {
            return;
        }
        synchronized (this) {
            if (priming) {
                buffered.add(event);
                return;
            }
            apply(event, generation);
            maybeCut();
        }
    }

    private void apply(WatchedEvent event, long gen) {
        Watcher.Event.EventType type = event.getType();
        boolean deleted = type == Watcher.Event.EventType.NodeDeleted;
        boolean created = type == Watcher.Event.EventType.NodeCreated;
        boolean written = created || type == Watcher.Event.EventType.NodeDataChanged;
        long zxid = event.getZxid();
        ZkLayout.Node node = layout.parse(event.getPath());
        boolean stamped = true;
        if (node instanceof ZkLayout.MemberEdge m) {
            if (deleted) {
                state.removeMember(m.group(), m.host());
            } else if (created) {
                state.addMember(m.group(), m.host());
            }
        } else if (node instanceof ZkLayout.ChildEdge c) {
            if (deleted) {
                state.removeChild(c.group(), c.child());
            } else if (created) {
                state.addChild(c.group(), c.child());
            }
        } else if (node instanceof ZkLayout.HostNode h) {
            if (deleted) {
                state.removeHost(h.name());
            } else if (written) {
                fetch(event.getPath(), gen);
            }
        } else if (node instanceof ZkLayout.GroupNode g) {
            if (deleted) {
                state.removeGroup(g.name());
            } else if (written) {
                fetch(event.getPath(), gen);
            }
        } else if (node instanceof ZkLayout.RegistrationNode r) {
            if (deleted) {
                state.removeRegistration(r.service(), r.instance());
            } else if (written) {
                fetch(event.getPath(), gen);
            }
        } else if (node instanceof ZkLayout.TopologyNode || node instanceof ZkLayout.ImportNode) {
            fetch(event.getPath(), gen);
        } else if (!(node instanceof ZkLayout.CommitNode)) {
            stamped = false;
        }
        if (stamped) {
            stamp(zxid);
        }
        needBarrier = !(node instanceof ZkLayout.CommitNode);
    }

    private void stamp(long zxid) {
        if (zxid > eventRevision) {
            lag.seen(System.nanoTime());
        }
        eventRevision = Math.max(eventRevision, zxid);
    }

    private void fetch(String path, long gen) {
        pending++;
        try {
            handle.getData(path, false, (rc, p, ctx, data, stat) -> onData(gen, rc, p, data, stat), null);
        } catch (RuntimeException e) {
            pending--;
            fail(gen, "fetch " + path + ": " + e);
        }
    }

    private synchronized void onData(long gen, int rc, String path, byte[] data, Stat stat) {
        if (gen != generation) {
            return;
        }
        pending--;
        if (rc == KeeperException.Code.OK.intValue()) {
            ZkLayout.Node node = layout.parse(path);
            if (node instanceof ZkLayout.HostNode h) {
                EntityCodec.Decoded decoded = decode(path, data);
                state.putHost(h.name(), decoded.vars(), stat.getVersion(), stat.getCzxid(), decoded.readable());
            } else if (node instanceof ZkLayout.GroupNode g) {
                EntityCodec.Decoded decoded = decode(path, data);
                state.putGroup(g.name(), decoded.vars(), stat.getVersion(), stat.getCzxid(), decoded.readable());
            } else if (node instanceof ZkLayout.TopologyNode) {
                state.topologyVersion(stat.getVersion());
            } else if (node instanceof ZkLayout.ImportNode) {
                state.importGuard(stat.getVersion(), ImportGuard.parse(data).open());
                importOpen = state.importOpen();
            } else if (node instanceof ZkLayout.RegistrationNode r) {
                Registration registration = RegistrationCodec.decode(r.service(), r.instance(), data, stat);
                if (registration != null) {
                    state.putRegistration(registration);
                }
            }
        } else if (rc == KeeperException.Code.NOAUTH.intValue() && lockedOut(path)) {
            unreadableReads.incrementAndGet();
        } else if (rc != KeeperException.Code.NONODE.intValue()) {
            fail(gen, "fetch " + path + ": " + KeeperException.Code.get(rc));
            return;
        }
        maybeCut();
    }

    /** An entity whose ACL keeps Kook out: shown as unreadable, version unknown, like unparsable data. */
    private boolean lockedOut(String path) {
        ZkLayout.Node node = layout.parse(path);
        ObjectNode none = JsonNodeFactory.instance.objectNode();
        if (node instanceof ZkLayout.HostNode h) {
            state.putHost(h.name(), none, -1, 0, false);
        } else if (node instanceof ZkLayout.GroupNode g) {
            state.putGroup(g.name(), none, -1, 0, false);
        } else {
            return false;
        }
        log.warn("op=mirror.read path={} outcome=noauth: shown without vars, and Kook refuses to write over it", path);
        return true;
    }

    private EntityCodec.Decoded decode(String path, byte[] data) {
        EntityCodec.Decoded decoded = EntityCodec.read(data);
        if (!decoded.readable()) {
            unreadableReads.incrementAndGet();
            log.warn("op=mirror.read path={} outcome=unreadable: not {{\"vars\":{{...}}}} JSON; shown without vars,"
                    + " and Kook refuses to write over it", path);
        }
        return decoded;
    }

    /** A read failed: what the mirror holds may miss a change, so the tree is read again from scratch. */
    private void fail(long gen, String reason) {
        if (gen != generation || !running) {
            return;
        }
        log.warn("op=mirror.read outcome=failed reason=\"{}\"; re-reading the tree", reason);
        primer.execute(() -> {
            synchronized (this) {
                if (gen != generation) {
                    return;
                }
            }
            newGeneration(client.getZookeeperClient().isConnected());
        });
    }

    private void barrier(long gen) {
        pending++;
        needBarrier = false;
        try {
            handle.exists(layout.inventory(), false, (rc, path, ctx, stat) -> {
                synchronized (Mirror.this) {
                    if (gen != generation) {
                        return;
                    }
                    pending--;
                    if (rc != KeeperException.Code.OK.intValue()) {
                        fail(gen, "barrier: " + KeeperException.Code.get(rc));
                        return;
                    }
                    maybeCut();
                }
            }, null);
        } catch (RuntimeException e) {
            pending--;
            fail(gen, "barrier: " + e);
        }
    }

    /**
     * Cuts a delta when every transaction seen is complete: no fetch or barrier outstanding, and the last event
     * was a commit marker or a barrier has answered since.
     */
    private void maybeCut() {
        if (priming || pending != 0) {
            return;
        }
        if (needBarrier) {
            barrier(generation);
            return;
        }
        importOpen = state.importOpen();
        if (importOpen) {
            // a batched import's partial state is never published; it ends when its last batch (or a writer that
            // found it abandoned, see InventoryWriter#closeIfAbandoned) closes the guard, which is an event here
            return;
        }
        cut();
    }

    private void cut() {
        long revision = Math.max(eventRevision, drainedRevision);
        lag.cut(revision, snapshot.revision());
        if (!state.dirty() && revision <= drainedRevision && !fullNext) {
            return;
        }
        deltas.add(state.drain(revision, fullNext, generation));
        fullNext = false;
        drainedRevision = revision;
    }

    private void publishLoop() {
        List<Delta> batch = new ArrayList<>();
        while (running) {
            try {
                Delta first = deltas.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                deltas.drainTo(batch);
                boolean full = batch.stream().anyMatch(Delta::full);
                long gen = batch.stream().filter(Delta::full).mapToLong(Delta::generation).max().orElse(-1);
                Set<String> hosts = new HashSet<>();
                Set<String> groups = new HashSet<>();
                for (Delta d : batch) {
                    hosts.addAll(d.hosts().keySet());
                    groups.addAll(d.groups().keySet());
                }
                Snapshot previous = snapshot;
                Snapshot next = SnapshotMerger.merge(previous, batch);
                batch.clear();
                publish(new Published(previous, next, hosts, groups, full), gen);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("op=mirror.publish outcome=failed", e);
                batch.clear();
            }
        }
    }

    private void publish(Published published, long fullGeneration) {
        advanceLock.lock();
        try {
            snapshot = published.current();
            if (published.reset()) {
                primed = true;
                publishedGeneration = Math.max(publishedGeneration, fullGeneration);
            }
            advanced.signalAll();
        } finally {
            advanceLock.unlock();
        }
        for (Consumer<Published> listener : listeners) {
            try {
                listener.accept(published);
            } catch (RuntimeException e) {
                log.warn("op=mirror.listener outcome=failed", e);
            }
        }
    }

    private void signalAdvance() {
        advanceLock.lock();
        try {
            advanced.signalAll();
        } finally {
            advanceLock.unlock();
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    @Override
    public void close() {
        running = false;
        client.getConnectionStateListenable().removeListener(connectionListener);
        ZooKeeper zk;
        synchronized (this) {
            zk = handle;
        }
        if (zk != null) {
            try {
                zk.removeAllWatches(layout.inventory(), Watcher.WatcherType.Any, true);
            } catch (Exception e) {
                log.debug("op=mirror.close watch removal failed: {}", e.toString());
            }
        }
        primer.shutdownNow();
        publisher.interrupt();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
