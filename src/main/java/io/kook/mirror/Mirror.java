package io.kook.mirror;

import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.kook.inventory.Snapshot;
import io.kook.inventory.Registration;
import io.kook.store.EntityCodec;
import io.kook.store.RegistrationCodec;
import io.kook.store.ImportGuard;
import io.kook.store.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch-driven in-memory copy of Kook's subtree that answers every read.
 *
 * <p>Why not CuratorCache: it reports deletes without their zxid and re-reads data at arbitrary later
 * points, so it cannot say "everything up to zxid N is applied" — which {@code X-Kook-Revision},
 * {@code minRevision} and atomic visibility of multi-node writes all need. Instead a Curator
 * {@link PersistentWatcher} (one recursive watch) delivers every change in transaction order; edge creates
 * and all deletes apply at once, entity data is fetched asynchronously. Every Kook write ends its multi by
 * setting the commit marker, so the marker's notification closes a transaction and its mzxid names it.
 * Only when the last notification was a marker and no fetch is outstanding is a {@link Delta} cut and a new
 * immutable {@link Snapshot} published, so readers never see half a write.
 *
 * <p>On every (re)connection the watch is re-added and the tree re-read ({@link TreeLoader}); events that
 * arrive meanwhile are buffered and replayed, which is safe because each is idempotent. ZooKeeper callbacks
 * do O(1) work under the state lock and never block; snapshot building runs on its own thread.
 */
public final class Mirror implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final CuratorFramework client;
    private final ZkLayout layout;
    private final int primeConcurrency;
    private final PersistentWatcher watcher;
    private final ScheduledExecutorService primer;
    private final Thread publisher;
    private final BlockingQueue<Delta> deltas = new LinkedBlockingQueue<>();
    private final ReentrantLock advanceLock = new ReentrantLock();
    private final Condition advanced = advanceLock.newCondition();
    private final List<Consumer<Published>> listeners = new CopyOnWriteArrayList<>();

    // guarded by this
    private MirrorState state = new MirrorState();
    private boolean priming = true;
    private boolean fullNext;
    private long generation;
    private int pending;
    private long committedZxid;
    private long observedZxid;
    private long drainedZxid;
    private boolean atBoundary = true;
    private long eventsSeen;
    private boolean quietCutScheduled;
    private long importRecheckAt;
    private final List<WatchedEvent> buffered = new ArrayList<>();

    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile boolean primed;
    private volatile boolean catchingUp = true;
    private volatile boolean running = true;
    private volatile boolean importOpen;

    public Mirror(CuratorFramework client, ZkLayout layout, int primeConcurrency) {
        this.client = client;
        this.layout = layout;
        this.primeConcurrency = primeConcurrency;
        this.watcher = new PersistentWatcher(client, layout.inventory(), true);
        this.primer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "kook-mirror-prime"));
        this.publisher = daemon(this::publishLoop, "kook-mirror-publish");
    }

    public void start() {
        publisher.start();
        watcher.getListenable().addListener(this::onEvent);
        watcher.getResetListenable().addListener(this::onReset);
        watcher.start();
    }

    /** The latest published snapshot; never blocks. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /** Whether the first load of the tree has been published (readiness). */
    public boolean primed() {
        return primed;
    }

    /**
     * Reads the whole tree straight from ZooKeeper into a snapshot, bypassing the mirror: for a batched import,
     * which holds every other writer off and must plan against the exact current state.
     */
    public Snapshot readTree() throws Exception {
        TreeLoader.Loaded loaded = new TreeLoader(client, layout, primeConcurrency).load();
        return SnapshotMerger.merge(Snapshot.EMPTY, List.of(loaded.state().drain(loaded.maxZxid(), true)));
    }

    /** Whether a batched import is running: its partial state is not published and other writes must wait. */
    public boolean importOpen() {
        return importOpen;
    }

    /** Waits until the first load is published; {@code false} if that did not happen in time. */
    public boolean awaitPrimed(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        advanceLock.lock();
        try {
            while (!primed) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = advanced.awaitNanos(nanos);
            }
            return true;
        } finally {
            advanceLock.unlock();
        }
    }

    /** Whether the mirror is re-reading the tree after a (re)connection and may be behind. */
    public boolean catchingUp() {
        return catchingUp;
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
        long nanos = timeout.toNanos();
        advanceLock.lock();
        try {
            while ((current = snapshot).revision() < revision) {
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

    private void onReset() {
        long gen;
        synchronized (this) {
            gen = ++generation;
            priming = true;
            pending = 0;
            buffered.clear();
        }
        catchingUp = true;
        primer.execute(() -> prime(gen));
    }

    private void prime(long gen) {
        long started = System.nanoTime();
        try {
            TreeLoader.Loaded loaded = new TreeLoader(client, layout, primeConcurrency).load();
            synchronized (this) {
                if (gen != generation) {
                    return;
                }
                state = loaded.state();
                state.markAllDirty();
                fullNext = true;
                committedZxid = Math.max(committedZxid, loaded.maxZxid());
                atBoundary = true;
                priming = false;
                List<WatchedEvent> replay = new ArrayList<>(buffered);
                buffered.clear();
                for (WatchedEvent event : replay) {
                    apply(event, gen);
                }
                maybeCut();
            }
            log.info("op=mirror.prime generation={} ms={}", gen, (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            if (!running) {
                return;
            }
            log.warn("op=mirror.prime generation={} outcome=failed reason=\"{}\"; retrying", gen, e.toString());
            primer.schedule(() -> {
                synchronized (this) {
                    if (gen != generation) {
                        return;
                    }
                }
                prime(gen);
            }, 1, TimeUnit.SECONDS);
        }
    }

    private void onEvent(WatchedEvent event) {
        if (event.getType() == Watcher.Event.EventType.None || event.getPath() == null) {
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
        eventsSeen++;
        boolean deleted = event.getType() == Watcher.Event.EventType.NodeDeleted;
        boolean written = event.getType() == Watcher.Event.EventType.NodeCreated
                || event.getType() == Watcher.Event.EventType.NodeDataChanged;
        ZkLayout.Node node = layout.parse(event.getPath());
        if (node instanceof ZkLayout.MemberEdge m) {
            if (deleted) {
                state.removeMember(m.group(), m.host());
            } else if (event.getType() == Watcher.Event.EventType.NodeCreated) {
                state.addMember(m.group(), m.host());
            }
        } else if (node instanceof ZkLayout.ChildEdge c) {
            if (deleted) {
                state.removeChild(c.group(), c.child());
            } else if (event.getType() == Watcher.Event.EventType.NodeCreated) {
                state.addChild(c.group(), c.child());
            }
        } else if (node instanceof ZkLayout.HostNode h && deleted) {
            state.removeHost(h.name());
        } else if (node instanceof ZkLayout.GroupNode g && deleted) {
            state.removeGroup(g.name());
        } else if (node instanceof ZkLayout.RegistrationNode r && deleted) {
            // agents' ephemeral nodes vanish without a commit marker: learn the delete's zxid from the parent
            state.removeRegistration(r.service(), r.instance());
            fetchStat(layout.service(r.service()), gen);
        } else if (node instanceof ZkLayout.ServiceNode && deleted) {
            fetchStat(layout.services(), gen);
        } else if (written && !(node instanceof ZkLayout.OtherNode) && !(node instanceof ZkLayout.ServiceNode)) {
            fetch(event.getPath(), gen);
        }
        atBoundary = node instanceof ZkLayout.CommitNode;
    }

    private void fetch(String path, long gen) {
        pending++;
        try {
            client.getData().inBackground((c, event) -> onData(gen, event)).forPath(path);
        } catch (Exception e) {
            pending--;
            log.warn("op=mirror.fetch path={} outcome=failed reason=\"{}\"", path, e.toString());
        }
    }

    private void fetchStat(String path, long gen) {
        pending++;
        try {
            client.checkExists().inBackground((c, event) -> onStat(gen, event)).forPath(path);
        } catch (Exception e) {
            pending--;
            log.warn("op=mirror.fetch path={} outcome=failed reason=\"{}\"", path, e.toString());
        }
    }

    private synchronized void onStat(long gen, CuratorEvent event) {
        if (gen != generation) {
            return;
        }
        pending--;
        if (event.getStat() != null) {
            observedZxid = Math.max(observedZxid, event.getStat().getPzxid());
        }
        maybeCut();
    }

    private synchronized void onData(long gen, CuratorEvent event) {
        if (gen != generation) {
            return;
        }
        pending--;
        if (event.getResultCode() == KeeperException.Code.OK.intValue()) {
            int version = event.getStat().getVersion();
            ZkLayout.Node node = layout.parse(event.getPath());
            if (node instanceof ZkLayout.HostNode h) {
                state.putHost(h.name(), EntityCodec.decode(event.getData()), version);
            } else if (node instanceof ZkLayout.GroupNode g) {
                state.putGroup(g.name(), EntityCodec.decode(event.getData()), version);
            } else if (node instanceof ZkLayout.TopologyNode) {
                state.topologyVersion(version);
            } else if (node instanceof ZkLayout.ImportNode) {
                state.importGuard(version, ImportGuard.openUntil(event.getData()));
                importOpen = state.importOpenUntil() > System.currentTimeMillis();
            } else if (node instanceof ZkLayout.RegistrationNode r) {
                Registration registration = RegistrationCodec.decode(r.service(), r.instance(), event.getData(),
                        event.getStat());
                if (registration != null) {
                    state.putRegistration(registration);
                }
                observedZxid = Math.max(observedZxid, event.getStat().getMzxid());
            } else if (node instanceof ZkLayout.CommitNode) {
                committedZxid = Math.max(committedZxid, event.getStat().getMzxid());
            }
        } else if (event.getResultCode() != KeeperException.Code.NONODE.intValue()) {
            log.warn("op=mirror.fetch path={} outcome={}", event.getPath(),
                    KeeperException.Code.get(event.getResultCode()));
        }
        maybeCut();
    }

    /**
     * Cuts a delta at a transaction boundary with nothing outstanding: the last notification was a commit
     * marker (the last op of every Kook write) and every fetch has been answered, so the state holds whole
     * transactions up to the marker's zxid. Changes made by other tools (no marker) are cut once quiet.
     */
    private void maybeCut() {
        if (priming || pending != 0) {
            return;
        }
        long until = state.importOpenUntil();
        long openFor = until - System.currentTimeMillis();
        importOpen = openFor > 0;
        if (importOpen) {
            // one recheck per guard expiry, however many quiet points the import's batches make
            if (importRecheckAt != until) {
                importRecheckAt = until;
                long gen = generation;
                primer.schedule(() -> {
                    synchronized (this) {
                        if (gen == generation) {
                            maybeCut();
                        }
                    }
                }, openFor + 1, TimeUnit.MILLISECONDS);
            }
            return;
        }
        if (!atBoundary) {
            if (!quietCutScheduled) {
                quietCutScheduled = true;
                long seen = eventsSeen;
                long gen = generation;
                primer.schedule(() -> quietCut(gen, seen), 200, TimeUnit.MILLISECONDS);
            }
            return;
        }
        cut();
    }

    private synchronized void quietCut(long gen, long seen) {
        quietCutScheduled = false;
        if (gen != generation || priming || pending != 0 || atBoundary) {
            return;
        }
        if (seen == eventsSeen) {
            cut();
        } else {
            maybeCut();
        }
    }

    private void cut() {
        long revision = Math.max(committedZxid, observedZxid);
        if (!state.dirty() && revision <= drainedZxid && !fullNext) {
            return;
        }
        deltas.add(state.drain(revision, fullNext));
        fullNext = false;
        drainedZxid = revision;
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
                Set<String> hosts = new HashSet<>();
                Set<String> groups = new HashSet<>();
                for (Delta d : batch) {
                    hosts.addAll(d.hosts().keySet());
                    groups.addAll(d.groups().keySet());
                }
                Snapshot previous = snapshot;
                Snapshot next = SnapshotMerger.merge(previous, batch);
                batch.clear();
                publish(new Published(previous, next, hosts, groups, full));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("op=mirror.publish outcome=failed", e);
                batch.clear();
            }
        }
    }

    private void publish(Published published) {
        advanceLock.lock();
        try {
            snapshot = published.current();
            if (published.reset()) {
                primed = true;
                catchingUp = false;
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

    @Override
    public void close() {
        running = false;
        watcher.close();
        primer.shutdownNow();
        publisher.interrupt();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
