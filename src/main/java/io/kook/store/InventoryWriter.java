package io.kook.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.kook.KookProperties;
import io.kook.inventory.KookException;
import io.kook.inventory.Snapshot;
import io.kook.mirror.Mirror;
import io.kook.zookeeper.ZooKeeperConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits writes: plan against the mirror, commit one versioned {@code multi}; under contention, behind the
 * write's Curator lock.
 *
 * <p>A write first commits without the lock: one round trip instead of four (the lock's create, its
 * {@code getChildren}, the multi, the lock's delete). Only when that attempt loses to a concurrent write does it
 * take the lock and retry, and for a second after, writers to the same lock stripe go straight to the lock
 * ({@link Contention}), so that contended writers queue instead of retrying each other away. The lock keeps
 * writers of the same entity from tripping over each other; correctness does not rest on
 * it. Every entity a plan touches is written with the version the plan read, so a plan made on a stale
 * mirror, or under a lock lost to a session expiry, fails whole. Plans are made only on a snapshot of a finished
 * mirror generation. On a conflict, and before refusing a write the plan found impossible, the writer has the
 * mirror catch up with everything ZooKeeper has committed ({@link Mirror#catchUp}) and plans again.
 *
 * <p>Every write answers within {@code kook.writes.deadline}: lock waits and the commit are cut off at it, so a
 * write sent while ZooKeeper dies answers {@code 503} (not applied) or {@code 504} (sent, outcome unknown).
 *
 * <p>The multi is sent once, on the raw ZooKeeper handle (Curator's retry loop could resend an applied
 * multi). If the connection drops with the multi in flight, the outcome is settled after reconnecting: the
 * marker names the last write, and untouched expected versions prove the multi did not apply.
 */
public final class InventoryWriter {

    private static final Logger log = LoggerFactory.getLogger(InventoryWriter.class);

    private final CuratorFramework client;
    private final ZkLayout layout;
    private final Mirror mirror;
    private final ZooKeeperConnection connection;
    private final KookProperties.Writes settings;
    private final WriteMetrics writeMetrics;
    private final Timer lockWait;
    private final long importLeaseMs;
    private final GuardWatch guardWatch = new GuardWatch();
    private final Contention contention = new Contention(TimeUnit.SECONDS.toNanos(1));
    // test seam: runs after each committed import batch with its 1-based number (pacing a slow import)
    private volatile java.util.function.IntConsumer afterBatch = n -> { };

    private volatile ChangePolicy policy;
    private volatile java.util.function.Supplier<Attribution> attribution = () -> Attribution.SYSTEM;
    /** History buckets known to exist, so that only the first write into a new one pays a create. */
    private final java.util.Set<String> buckets = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public InventoryWriter(CuratorFramework client, ZkLayout layout, Mirror mirror, ZooKeeperConnection connection,
                           KookProperties.Writes settings, MeterRegistry meters) {
        this(client, layout, mirror, connection, settings, new KookProperties.Imports(Duration.ofSeconds(60)), meters);
    }

    public InventoryWriter(CuratorFramework client, ZkLayout layout, Mirror mirror, ZooKeeperConnection connection,
                           KookProperties.Writes settings, KookProperties.Imports imports, MeterRegistry meters) {
        this.importLeaseMs = imports.lease().toMillis();
        this.policy = ChangePolicy.NONE;
        this.client = client;
        this.layout = layout;
        this.mirror = mirror;
        this.connection = connection;
        this.settings = settings;
        this.writeMetrics = new WriteMetrics(meters);
        this.lockWait = Timer.builder("kook.lock.wait").description("Time spent waiting for a write lock")
                .register(meters);
    }

    /** Lock names: one per entity, plus one for every change to the nesting graph. */
    public static String hostLock(String host) {
        return "host-" + host;
    }

    public static String groupLock(String group) {
        return "group-" + group;
    }

    public static final String TOPOLOGY_LOCK = "topology";

    /**
     * Plans and commits one write.
     *
     * @param op      a low-cardinality name for logs and metrics, e.g. {@code host.put}
     * @param lock    the lock that serializes writers of the same entity
     * @param planner builds the change from a snapshot; throws {@link KookException} to refuse the write
     * @return the commit's zxid, or the current revision when the plan had nothing to change
     */
    /** Sets the rule every planned change must pass (the caller's rights); none by default. */
    public void policy(ChangePolicy policy) {
        this.policy = policy == null ? ChangePolicy.NONE : policy;
    }

    /**
     * Sets who a write is recorded as made by (asked once per write, on the caller's thread, before anything is
     * done: it may refuse the write, e.g. for a missing reason); Kook itself by default.
     */
    public void attribution(java.util.function.Supplier<Attribution> attribution) {
        this.attribution = attribution == null ? () -> Attribution.SYSTEM : attribution;
    }

    private Function<Snapshot, Change> checked(Function<Snapshot, Change> planner) {
        ChangePolicy rule = policy;
        return snapshot -> {
            Change change = planner.apply(snapshot);
            rule.check(change);
            return change;
        };
    }

    public long commit(String op, String lock, Function<Snapshot, Change> unchecked) {
        return commit(op, lock, null, unchecked);
    }

    /** As {@link #commit(String, String, Function)}, recorded with {@code defaultReason} when the caller gave none. */
    public long commit(String op, String lock, String defaultReason, Function<Snapshot, Change> unchecked) {
        Attribution by = attribution.get();
        if (by.reason() == null && defaultReason != null) {
            by = new Attribution(by.actor(), defaultReason, by.requestId());
        }
        Function<Snapshot, Change> planner = checked(unchecked);
        Attribution attributed = by;
        long started = System.nanoTime();
        return writeMetrics.timed(op, started, () -> lockedCommit(op, attributed, lock, planner, started));
    }

    /** The {@code kook.writes} timers, for writes that commit elsewhere (registrations) to be counted alike. */
    public WriteMetrics writeMetrics() {
        return writeMetrics;
    }

    private long lockedCommit(String op, Attribution by, String lockName, Function<Snapshot, Change> planner,
                              long started) {
        Deadline deadline = Deadline.after(started, settings.deadline());
        connection.require("writes");
        requirePrimed();
        Snapshot snapshot = null;
        if (!contention.recent(lockName, System.nanoTime())) {
            Long committed = planAndAttempt(op, by, planner, current(deadline), started, deadline, 0);
            if (committed != null) {
                return committed;
            }
            contention.lost(lockName, System.nanoTime());
            snapshot = catchUp(deadline);
        }
        InterProcessMutex lock = acquire(lockName, deadline);
        try {
            return commitWithRetries(op, by, planner, started, deadline, snapshot);
        } finally {
            release(lock);
        }
    }

    /**
     * Takes the write's lock within the lock timeout and the write's deadline. Curator retries the lock node's
     * create across a connection loss, so the wait is cut by interrupting it at the deadline.
     */
    private InterProcessMutex acquire(String lockName, Deadline deadline) {
        InterProcessMutex lock = new InterProcessMutex(client, layout.locks() + "/" + lockName);
        long started = System.nanoTime();
        Duration wait = deadline.remaining(settings.lockTimeout());
        try (Deadline.Guard guard = deadline.interrupting(Duration.ZERO)) {
            try {
                if (!lock.acquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new KookException.Unavailable("another write holds the lock on " + lockName + "; try again");
                }
                return lock;
            } catch (KookException e) {
                throw e;
            } catch (Exception e) {
                if (guard.fired() || e instanceof InterruptedException) {
                    throw new KookException.Unavailable("could not take the write lock before the write's deadline;"
                            + " ZooKeeper may be unreachable");
                }
                throw new KookException.Unavailable("could not take the write lock: " + e.getMessage());
            }
        } finally {
            lockWait.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Plans, commits, and on a conflict catches up and plans again.
     *
     * @param snapshot what to plan the first attempt on, or {@code null} for the mirror's current snapshot
     */
    private long commitWithRetries(String op, Attribution by, Function<Snapshot, Change> planner, long started,
                                   Deadline deadline, Snapshot snapshot) {
        if (snapshot == null) {
            snapshot = current(deadline);
        }
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            Long committed = planAndAttempt(op, by, planner, snapshot, started, deadline, attempt);
            if (committed != null) {
                return committed;
            }
            snapshot = catchUp(deadline);
        }
        throw new KookException.Unavailable("the write kept conflicting with concurrent writes; try again");
    }

    /**
     * Plans on {@code snapshot} and commits once.
     *
     * @return the commit's zxid, the snapshot's revision when the plan changes nothing, or {@code null} when a
     *         concurrent write got there first (catch up and plan again)
     */
    private Long planAndAttempt(String op, Attribution by, Function<Snapshot, Change> planner, Snapshot snapshot,
                                long started, Deadline deadline, int attempt) {
        Change change = plan(planner, snapshot, deadline);
        return change.isEmpty() ? Long.valueOf(change.snapshot().revision())
                : attempt(op, by, change, started, deadline, attempt);
    }

    /**
     * Commits {@code change} in one multi with its change record and the commit marker.
     *
     * @param attempt the attempt's number under the lock, {@code 0} for the lock-free one (for the log)
     * @return the commit's zxid, or {@code null} when a concurrent write got there first (plan again)
     */
    private Long attempt(String op, Attribution by, Change change, long started, Deadline deadline, int attempt) {
        String writeId = io.kook.Ids.random();
        byte[] marker = ZkLayout.commitMarker(writeId);
        String bucket = layout.historyBucket(change.snapshot().revision());
        List<org.apache.zookeeper.Op> ops = change.ops(marker, bucket + "/" + writeId,
                io.kook.history.ChangeRecordCodec.encode(change.record(op, by)));
        connection.require("writes");
        try {
            ensureBucket(bucket);
            List<OpResult> results = multi(ops, deadline);
            long zxid = ((OpResult.SetDataResult) results.get(results.size() - 1)).getStat().getMzxid();
            log.info("op={} revision={} nodes={} attempt={} ms={}", op, zxid, ops.size(), attempt,
                    (System.nanoTime() - started) / 1_000_000);
            return zxid;
        } catch (KeeperException.ConnectionLossException | TimeoutException e) {
            return settle(change, writeId, deadline);
        } catch (KeeperException.SessionExpiredException e) {
            throw new KookException.Unavailable("the ZooKeeper session expired before the write was applied");
        } catch (KeeperException e) {
            if (!isConflict(e.code())) {
                throw new KookException.Unavailable("ZooKeeper refused the write: " + e.code());
            }
            buckets.remove(bucket); // a bucket swept by retention since it was known answers NONODE
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KookException.OutcomeUnknown("interrupted while the write was in flight; read the entity");
        }
    }

    /**
     * Plans on {@code snapshot}; a refusal (missing, existing, cyclic, precondition, unknown reference, or the
     * caller's rights, which depend on the state too: a group scope, a var's old value) is only
     * answered once the mirror has caught up with ZooKeeper and a second plan refuses too, so that a lagging
     * replica does not refuse what another replica has already made possible.
     */
    private Change plan(Function<Snapshot, Change> planner, Snapshot snapshot, Deadline deadline) {
        try {
            return planner.apply(snapshot);
        } catch (KookException.NotFound | KookException.AlreadyExists | KookException.Cycle
                 | KookException.PreconditionFailed | KookException.UnknownReference | KookException.Forbidden refused) {
            Snapshot fresh = catchUp(deadline);
            if (fresh.revision() == snapshot.revision()) {
                throw refused;
            }
            return planner.apply(fresh);
        }
    }

    /**
     * Sends the multi once, on the raw handle, and waits for its answer no longer than the deadline. Synchronous on
     * purpose: an async answer would queue on the event thread behind the mirror's watch events.
     *
     * @throws TimeoutException when the deadline cut the wait (the multi was sent: its outcome is unknown)
     */
    private List<OpResult> multi(List<org.apache.zookeeper.Op> ops, Deadline deadline)
            throws KeeperException, InterruptedException, TimeoutException {
        org.apache.zookeeper.ZooKeeper zk;
        try {
            zk = client.getZookeeperClient().getZooKeeper();
        } catch (Exception e) {
            throw new KookException.Unavailable("ZooKeeper is not reachable: " + e.getMessage());
        }
        awaitConnected(zk, deadline);
        try (Deadline.Guard guard = deadline.interrupting(Duration.ZERO)) {
            try {
                return zk.multi(ops);
            } catch (InterruptedException e) {
                if (guard.fired()) {
                    throw new TimeoutException("no answer to the commit before the write's deadline");
                }
                throw e;
            }
        }
    }

    /**
     * Waits (within the lock timeout and the deadline) until the handle is connected, so that a multi is only sent
     * on a live connection: one that cannot be sent is refused as not applied ({@code 503}), where one lost in
     * flight could only be answered as unknown. Curator's connection state lags the handle's, so the handle decides.
     */
    private void awaitConnected(org.apache.zookeeper.ZooKeeper zk, Deadline deadline) throws InterruptedException {
        long until = System.nanoTime() + deadline.remaining(settings.lockTimeout()).toNanos();
        while (!zk.getState().isConnected()) {
            if (System.nanoTime() - until >= 0) {
                throw new KookException.Unavailable("not connected to ZooKeeper; the write was not applied");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Commits a change that may be too big for one ZooKeeper request (an import). If it fits, it is one atomic
     * multi like any write. If not: the import guard is opened (every other write checks its version, so none
     * can commit meanwhile, and the mirror publishes nothing while it is open), the tree is read straight from
     * ZooKeeper, the change is planned against that exact state and committed in ordered batches, and the last
     * batch closes the guard. Readers see the state before the import, then the state after it. Timed in
     * {@code kook.writes} as op {@code import}, whatever {@code op} the change record names.
     */
    public long commitLarge(String op, Function<Snapshot, Change> unchecked) {
        return writeMetrics.timed("import", System.nanoTime(), () -> untimedCommitLarge(op, unchecked));
    }

    private long untimedCommitLarge(String op, Function<Snapshot, Change> unchecked) {
        Attribution by = attribution.get();
        Function<Snapshot, Change> planner = checked(unchecked);
        long started = System.nanoTime();
        connection.require("writes");
        requirePrimed();
        Deadline deadline = Deadline.after(started, settings.deadline());
        InterProcessMutex lock = acquire(TOPOLOGY_LOCK, deadline);
        try {
            Snapshot snapshot = catchUp(deadline);
            Change change = planner.apply(snapshot);
            if (change.isEmpty()) {
                return snapshot.revision();
            }
            if (change.fitsOneRequest()) {
                Long committed = attempt(op, by, change, started, deadline, 1);
                return committed != null ? committed
                        : commitWithRetries(op, by, planner, started, deadline, catchUp(deadline));
            }
            return commitInBatches(op, by, planner, snapshot, started);
        } finally {
            release(lock);
        }
    }

    /**
     * Runs a batched import as a sequence of steps, each one request that sets the import guard from the version
     * the step before left: open (batch 0), a renewal if planning took a while, then every batch of the change,
     * the last of which closes the guard and sets the commit marker. A step whose answer is lost is settled from
     * the guard after reconnecting ({@link #sendStep}); a step that fails ends the import.
     */
    private long commitInBatches(String op, Attribution by, Function<Snapshot, Change> planner, Snapshot seen,
                                 long started) {
        String importId = UUID.randomUUID().toString();
        byte[] opened = ImportGuard.open(importId, importLeaseMs, 0);
        int version = seen.importVersion();
        try {
            sendStep(List.of(org.apache.zookeeper.Op.setData(layout.importGuard(), opened, version)), version, null, opened);
        } catch (StepFailed e) {
            throw new KookException.Unavailable("another import or write got in first; try again");
        }
        version++;
        long renewedAt = System.nanoTime();
        int done = 0;
        List<List<org.apache.zookeeper.Op>> batches = List.of();
        try {
            Change change = planner.apply(mirror.readTree());
            if (System.nanoTime() - renewedAt > importLeaseMs * 1_000_000L / 4) {
                // planning a big tree took a good part of the lease: renew before the first batch
                sendStep(List.of(org.apache.zookeeper.Op.setData(layout.importGuard(), opened, version)), version, opened, opened);
                version++;
            }
            byte[] marker = ZkLayout.commitMarker(importId);
            String bucket = layout.historyBucket(change.snapshot().revision());
            ensureBucket(bucket);
            batches = change.batches(marker, importId, importLeaseMs, version, bucket + "/" + importId, op, by);
            long zxid = 0;
            byte[] before = opened;
            for (List<org.apache.zookeeper.Op> batch : batches) {
                byte[] after = ImportGuard.afterBatch(importId, importLeaseMs, done + 1, batches.size());
                zxid = sendStep(batch, version, before, after);
                version++;
                before = after;
                done++;
                if (done < batches.size()) {
                    afterBatch.accept(done);
                }
            }
            log.info("op={} revision={} batches={} ms={}", op, zxid, batches.size(),
                    (System.nanoTime() - started) / 1_000_000);
            return zxid;
        } catch (StepFailed e) {
            if (e.guardLost) {
                log.error("op={} outcome=guard-lost batches={}/{} reason=\"{}\"", op, done, batches.size(), e.getMessage());
                throw new KookException.OutcomeUnknown("the import lost its guard after " + done + " of "
                        + batches.size() + " batches (it was closed as abandoned or taken over); readers may see"
                        + " part of it. Run the same import again: imports converge");
            }
            // ZooKeeper refused a batch (a foreign change under the guard): give the guard back and report
            closeGuard(version, importId);
            if (done == 0) {
                throw new KookException.Unavailable("the import conflicted with a concurrent change; try again");
            }
            log.error("op={} outcome=failed batches={}/{} reason=\"{}\"", op, done, batches.size(), e.getMessage());
            throw new KookException.OutcomeUnknown("the import failed after " + done + " of " + batches.size()
                    + " batches (" + e.getMessage() + "); readers now see part of it. Run the same import again:"
                    + " imports converge");
        } catch (KookException e) {
            // versioned: if the step in doubt did apply, the guard has moved on and stays until abandoned
            closeGuard(version, importId);
            throw e;
        } catch (Exception e) {
            closeGuard(version, importId);
            if (done == 0) {
                throw new KookException.Unavailable("the import could not start: " + e.getMessage());
            }
            throw new KookException.OutcomeUnknown("the import was interrupted after " + done + " of " + batches.size()
                    + " batches; readers may see part of it. Run the same import again: imports converge");
        }
    }

    /** A step ZooKeeper refused, or whose guard someone else moved ({@code guardLost}). */
    private static final class StepFailed extends Exception {
        final boolean guardLost;

        StepFailed(String message, boolean guardLost) {
            super(message, null, false, false);
            this.guardLost = guardLost;
        }
    }

    /**
     * Sends one import step (a multi that sets the guard from {@code expectedVersion} to {@code after}) once. If
     * the answer is lost, waits for the connection, {@code sync()}s and reads the guard: the step applied if the
     * guard holds {@code after} at the next version, did not if it is unchanged (then it is sent again), and
     * the import has lost its guard otherwise.
     *
     * @param before the guard's data before the step, {@code null} when any data at that version is fine
     * @return the step's zxid
     */
    private long sendStep(List<org.apache.zookeeper.Op> ops, int expectedVersion, byte[] before, byte[] after)
            throws StepFailed {
        Deadline deadline = Deadline.after(System.nanoTime(), settings.deadline());
        for (int attempt = 1; ; attempt++) {
            if (attempt > settings.maxAttempts()) {
                throw new KookException.OutcomeUnknown("an import batch kept losing its connection; run the same"
                        + " import again: imports converge");
            }
            connection.require("writes");
            try {
                List<OpResult> results = client.getZookeeperClient().getZooKeeper().multi(ops);
                return ((OpResult.SetDataResult) results.get(results.size() - 1)).getStat().getMzxid();
            } catch (KeeperException.ConnectionLossException lost) {
                Stat stat = new Stat();
                byte[] now = afterReconnect(deadline, "the connection to ZooKeeper was lost during the import;"
                        + " readers keep the state from before it until its guard is given up. Run the same import"
                        + " again: imports converge", "an import batch",
                        zk -> zk.getData(layout.importGuard(), false, stat));
                ImportGuard.Settled settled = ImportGuard.settle(expectedVersion, before, after, stat.getVersion(), now);
                log.warn("op=import.settle expectedVersion={} foundVersion={} outcome={}", expectedVersion,
                        stat.getVersion(), settled);
                if (settled == ImportGuard.Settled.APPLIED) {
                    return stat.getMzxid();
                }
                if (settled == ImportGuard.Settled.LOST) {
                    throw new StepFailed("the guard moved to version " + stat.getVersion(), true);
                }
            } catch (KeeperException.SessionExpiredException e) {
                throw new KookException.OutcomeUnknown("the ZooKeeper session expired during the import");
            } catch (KeeperException e) {
                boolean guardLost = guardMoved(expectedVersion);
                throw new StepFailed("ZooKeeper refused the step: " + e.code(), guardLost);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KookException.OutcomeUnknown("interrupted during the import");
            } catch (KookException e) {
                throw e;
            } catch (Exception e) {
                // no handle to send on: the step was not sent
                throw new StepFailed("ZooKeeper is not reachable: " + e.getMessage(), false);
            }
        }
    }

    /** Whether the guard is no longer at {@code expectedVersion} (someone else moved it). */
    private boolean guardMoved(int expectedVersion) {
        try {
            Stat stat = client.checkExists().forPath(layout.importGuard());
            return stat == null || stat.getVersion() != expectedVersion;
        } catch (Exception e) {
            return true;
        }
    }

    /** Gives back this import's guard, version-checked: a guard someone else moved is left alone. */
    private void closeGuard(int version, String importId) {
        try {
            client.getZookeeperClient().getZooKeeper().multi(List.of(
                    org.apache.zookeeper.Op.setData(layout.importGuard(), ImportGuard.closedBy(importId), version),
                    org.apache.zookeeper.Op.setData(layout.commit(), ZkLayout.commitMarker(importId), -1)));
        } catch (Exception e) {
            log.warn("op=import.close outcome=failed reason=\"{}\"", e.toString());
        }
    }

    /**
     * Closes the import guard if it is open and this replica has seen the same guard version for longer than the
     * guard's lease (by {@link System#nanoTime()}, see {@link GuardWatch}): its importer stopped. The close is a
     * versioned setData together with the commit marker, so an importer that renewed meanwhile keeps its guard,
     * an abandoned one is fenced (its next step fails on the version), and readers get a revision for whatever
     * part of the import had applied. Each call reads the guard once; every replica calls it periodically and
     * before a write gives up on an open import.
     *
     * @return whether this call closed the guard
     */
    public boolean closeIfAbandoned() {
        if (!connection.connected()) {
            return false;
        }
        try {
            Stat stat = new Stat();
            byte[] data = client.getData().storingStatIn(stat).forPath(layout.importGuard());
            ImportGuard.Lease lease = ImportGuard.parse(data);
            long now = System.nanoTime();
            guardWatch.observe(stat.getVersion(), lease, now);
            if (!guardWatch.abandoned(now)) {
                return false;
            }
            client.getZookeeperClient().getZooKeeper().multi(List.of(
                    org.apache.zookeeper.Op.setData(layout.importGuard(), ImportGuard.closed(), stat.getVersion()),
                    org.apache.zookeeper.Op.setData(layout.commit(),
                            ZkLayout.commitMarker(UUID.randomUUID().toString()), -1)));
            log.warn("op=import.abandoned importer={} batches={} leaseMs={} outcome=closed", lease.importer(),
                    lease.batch(), lease.leaseMs());
            return true;
        } catch (KeeperException.BadVersionException renewed) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            log.debug("op=import.watch outcome=failed reason=\"{}\"", e.toString());
            return false;
        }
    }

    /** How often a replica should call {@link #closeIfAbandoned()}: a quarter of the lease. */
    public Duration guardCheckInterval() {
        return Duration.ofMillis(Math.max(50, importLeaseMs / 4));
    }

    /** Test seam: runs after each import batch but the last, with its 1-based number. */
    void afterEachBatch(java.util.function.IntConsumer hook) {
        this.afterBatch = hook;
    }

    /** Creates a history bucket the first time a write files a record in it (idempotent across replicas). */
    private void ensureBucket(String bucket) {
        if (buckets.contains(bucket)) {
            return;
        }
        try {
            client.create().creatingParentsIfNeeded().forPath(bucket);
        } catch (KeeperException.NodeExistsException exists) {
            // another write got there first
        } catch (Exception e) {
            throw new KookException.Unavailable("could not prepare the change record: " + e.getMessage());
        }
        buckets.add(bucket);
    }

    private static boolean isConflict(KeeperException.Code code) {
        return code == KeeperException.Code.BADVERSION || code == KeeperException.Code.NODEEXISTS
                || code == KeeperException.Code.NONODE || code == KeeperException.Code.NOTEMPTY;
    }

    /** The latest snapshot of a finished mirror generation: plans are never made on a half-reloaded mirror. */
    private Snapshot current(Deadline deadline) {
        if (mirror.importOpen() && !closeIfAbandoned()) {
            throw new KookException.Unavailable("an inventory import is running; writes resume when it ends");
        }
        try {
            Snapshot current = mirror.awaitCurrent(deadline.remaining(settings.lockTimeout()));
            if (current == null) {
                throw new KookException.Unavailable("this replica is re-reading the inventory from ZooKeeper; retry"
                        + " shortly");
            }
            return current;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KookException.Unavailable("interrupted");
        }
    }

    /** Waits until the mirror holds everything ZooKeeper has committed, so the next plan sees what the last missed. */
    private Snapshot catchUp(Deadline deadline) {
        if (mirror.importOpen() && !closeIfAbandoned()) {
            throw new KookException.Unavailable("an inventory import is running; writes resume when it ends");
        }
        try {
            Snapshot caughtUp = mirror.catchUp(deadline.remaining(Duration.ofSeconds(5)));
            if (caughtUp == null) {
                throw new KookException.Unavailable("this replica could not catch up with ZooKeeper in time; retry");
            }
            return caughtUp;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KookException.Unavailable("interrupted");
        }
    }

    /**
     * Finds out whether a multi whose answer was lost applied.
     *
     * @return its zxid if it did, {@code null} if it provably did not (the caller may retry)
     * @throws KookException.OutcomeUnknown when neither can be shown before the deadline
     */
    private Long settle(Change change, String writeId, Deadline deadline) {
        return afterReconnect(deadline, "the connection to ZooKeeper was lost after the write was sent; whether it"
                + " applied is unknown: read the entity, or retry with If-Match", "the outcome of a write", zk -> {
            Stat stat = new Stat();
            String marker = new String(zk.getData(layout.commit(), false, stat), StandardCharsets.UTF_8);
            if (marker.contains(writeId)) {
                return stat.getMzxid();
            }
            for (Change.Expectation expected : change.expectations()) {
                if (!expected.holds(zk.exists(expected.path(), false))) {
                    throw new KookException.OutcomeUnknown("the connection to ZooKeeper was lost after the write was"
                            + " sent and other writes followed; whether it applied is unknown: read the entity");
                }
            }
            return null;
        });
    }

    /** A read that settles a lost answer; runs on a server that has caught up with the leader. */
    @FunctionalInterface
    private interface SettlingRead<T> {
        T read(org.apache.zookeeper.ZooKeeper zk) throws Exception;
    }

    /**
     * Runs {@code read} once this replica is connected again and its server has applied everything the leader has
     * ({@code sync}), so that an answer lost with the connection is settled on a state that includes it. Curator's
     * connection state can lag the loss itself, so a connection loss here means "not yet" and is waited out.
     *
     * @param unknown what to answer if the deadline passes first
     * @param what    what is being settled, for the message of an unexpected failure
     */
    private <T> T afterReconnect(Deadline deadline, String unknown, String what, SettlingRead<T> read) {
        while (!deadline.passed()) {
            if (connection.connected()) {
                try (Deadline.Guard guard = deadline.interrupting(Duration.ZERO)) {
                    org.apache.zookeeper.ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
                    zk.sync(layout.inventory());
                    return read.read(zk);
                } catch (KeeperException.ConnectionLossException | KeeperException.SessionMovedException stillDown) {
                    // the connection state had not caught up with the loss yet: wait for the reconnection
                } catch (InterruptedException e) {
                    throw new KookException.OutcomeUnknown(unknown);
                } catch (KookException e) {
                    throw e;
                } catch (Exception e) {
                    throw new KookException.OutcomeUnknown("could not settle " + what + ": "
                            + (e instanceof KeeperException k ? k.code() : e.getClass().getSimpleName()));
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KookException.OutcomeUnknown("interrupted while settling " + what);
            }
        }
        throw new KookException.OutcomeUnknown(unknown);
    }

    /** Plans need a loaded mirror; right after start-up a write waits for the first load, briefly. */
    private void requirePrimed() {
        try {
            if (!mirror.awaitPrimed(settings.lockTimeout())) {
                throw new KookException.Unavailable("this replica is still loading the inventory; retry shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KookException.Unavailable("interrupted");
        }
    }

    /** Releases within a second: Curator's guaranteed delete finishes in the background if ZooKeeper is away. */
    private static void release(InterProcessMutex lock) {
        try (Deadline.Guard guard = Deadline.after(System.nanoTime(), Duration.ofSeconds(1)).interrupting(Duration.ZERO)) {
            lock.release();
        } catch (Exception e) {
            log.debug("op=lock.release outcome=failed reason=\"{}\"", e.toString());
        }
    }
}
