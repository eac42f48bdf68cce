package io.kook.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.kook.inventory.KookException;
import io.kook.store.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the change records from ZooKeeper. Records never change once written, so each is fetched once and kept;
 * a read costs a {@code sync} (so it holds every write committed before it, on any replica), the list of buckets,
 * and a cheap {@code exists} per bucket, whose child version says whether its listing must be read again. History
 * is read on request rather than mirrored: it is not on any hot path, and this way it needs no watch to keep
 * consistent across reconnections.
 */
public final class HistoryStore {

    private static final Logger log = LoggerFactory.getLogger(HistoryStore.class);
    private static final long TIMEOUT_SECONDS = 30;

    private record Listing(int cversion, List<String> children) {
    }

    private final CuratorFramework client;
    private final ZkLayout layout;
    private final Map<String, Listing> buckets = new HashMap<>();
    private final Map<String, ChangeRecord> records = new HashMap<>();
    private final Map<String, Stamp> stamps = new HashMap<>();
    /** Records another tool wrote that do not parse: logged once, then left out. */
    private final Set<String> unreadable = ConcurrentHashMap.newKeySet();
    private List<ChangeRecord> newestFirst = List.of();

    public HistoryStore(CuratorFramework client, ZkLayout layout) {
        this.client = client;
        this.layout = layout;
    }

    /**
     * The retained history: its records newest first, and its horizon, the oldest revision whose state history can
     * rebuild (records began when the history node was created; retention moves the horizon up, see
     * {@link HistoryCompactor}).
     */
    public record Log(List<ChangeRecord> newestFirst, long horizon) {
    }

    /** Every retained change record, newest first, including every write committed before this call. */
    public List<ChangeRecord> newestFirst() {
        return read().newestFirst();
    }

    /** The retained history, including every write committed before this call. */
    public synchronized Log read() {
        try {
            ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
            sync(zk);
            Stat historyStat = new Stat();
            long horizon = Math.max(HistoryCompactor.horizon(zk.getData(layout.history(), false, historyStat)),
                    historyStat.getCzxid());
            Set<String> live = livePaths(zk);
            List<String> missing = new ArrayList<>();
            for (String record : live) {
                if (!records.containsKey(record) && !unreadable.contains(record)) {
                    missing.add(record);
                }
            }
            boolean changed = records.keySet().retainAll(live);
            changed |= fetch(zk, missing);
            if (changed) {
                List<ChangeRecord> sorted = new ArrayList<>(records.values());
                sorted.sort(Comparator.comparingLong(ChangeRecord::revision).reversed());
                newestFirst = List.copyOf(sorted);
            }
            return new Log(newestFirst, horizon);
        } catch (Exception e) {
            throw unavailable(e);
        }
    }

    private static KookException unavailable(Exception e) {
        if (e instanceof KookException kook) {
            return kook;
        }
        if (e instanceof KeeperException keeper) {
            return new KookException.Unavailable("the change history could not be read from ZooKeeper ("
                    + keeper.code() + "); try again");
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new KookException.Unavailable("interrupted while reading the change history");
        }
        return new KookException.Unavailable("ZooKeeper is not reachable: " + e.getMessage());
    }

    /** How many whole records this replica holds (tests: the compactor alone must hold none). */
    synchronized int recordsHeld() {
        return records.size();
    }

    /** A record's path, revision and time: what retention needs, without the record's body. */
    public record Stamp(String path, long revision, Instant time) {
    }

    /**
     * Every retained record's stamp, newest first, from the records' znode stats (their revision is the zxid that
     * created them, their time ZooKeeper's): the compactor reads these, so a replica holds whole records only
     * once someone asks for history.
     */
    public synchronized List<Stamp> stampsNewestFirst() {
        try {
            return stamps(client.getZookeeperClient().getZooKeeper());
        } catch (Exception e) {
            throw unavailable(e);
        }
    }

    private List<Stamp> stamps(ZooKeeper zk) throws Exception {
        sync(zk);
        Set<String> live = livePaths(zk);
        stamps.keySet().retainAll(live);
        List<String> missing = new ArrayList<>();
        for (String path : live) {
            if (stamps.containsKey(path)) {
                continue;
            }
            ChangeRecord held = records.get(path);   // already read for /changes: its stamp is known
            if (held != null) {
                stamps.put(path, new Stamp(path, held.revision(), held.time()));
            } else {
                missing.add(path);
            }
        }
        Map<String, Stamp> fetched = inParallel(missing, (path, reply) -> zk.exists(path, false,
                (rc, p, ctx, stat) -> reply.answer(rc, p,
                        stat == null ? null : new Stamp(p, stat.getCzxid(), Instant.ofEpochMilli(stat.getCtime()))),
                null));
        stamps.putAll(fetched);
        List<Stamp> sorted = new ArrayList<>(stamps.values());
        sorted.sort(Comparator.comparingLong(Stamp::revision).reversed());
        return sorted;
    }

    /** The paths of every record under the history node, with the bucket listings kept while unchanged. */
    private Set<String> livePaths(ZooKeeper zk) throws Exception {
        Set<String> live = new HashSet<>();
        Set<String> bucketPaths = new HashSet<>();
        for (String bucket : zk.getChildren(layout.history(), false)) {
            String path = layout.history() + "/" + bucket;
            Stat stat = zk.exists(path, false);
            if (stat == null) {
                continue;
            }
            bucketPaths.add(path);
            Listing listing = buckets.get(path);
            if (listing == null || listing.cversion() != stat.getCversion()) {
                Stat listed = new Stat();
                List<String> children = zk.getChildren(path, false, listed);
                listing = new Listing(listed.getCversion(), children);
                buckets.put(path, listing);
            }
            for (String child : listing.children()) {
                live.add(path + "/" + child);
            }
        }
        buckets.keySet().retainAll(bucketPaths);
        unreadable.retainAll(live);
        return live;
    }

    /**
     * Deletes records (retention; the horizon must already be past them), then the buckets they leave empty but the
     * newest, which writes may still be filing into.
     *
     * @return how many records were deleted
     */
    synchronized int delete(List<Stamp> victims) throws Exception {
        Set<ChangeRecord> doomed = new HashSet<>();
        int deleted = 0;
        for (Stamp victim : victims) {
            try {
                client.delete().forPath(victim.path());
                deleted++;
            } catch (KeeperException.NoNodeException gone) {
                // deleted already
            }
            stamps.remove(victim.path());
            ChangeRecord record = records.remove(victim.path());
            if (record != null) {
                doomed.add(record);
            }
        }
        List<String> bucketNames = new ArrayList<>(client.getChildren().forPath(layout.history()));
        bucketNames.sort(null);
        for (int i = 0; i < bucketNames.size() - 1; i++) {
            String bucket = layout.history() + "/" + bucketNames.get(i);
            try {
                client.delete().withVersion(-1).forPath(bucket);
                buckets.remove(bucket);
            } catch (KeeperException.NotEmptyException | KeeperException.NoNodeException kept) {
                // still holds records, or gone already
            }
        }
        if (!doomed.isEmpty()) {
            newestFirst = newestFirst.stream().filter(r -> !doomed.contains(r)).toList();
        }
        return deleted;
    }

    /** Makes this replica's server catch up with the leader, so that the listing holds every committed write. */
    private void sync(ZooKeeper zk) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        zk.sync(layout.history(), (rc, path, ctx) -> done.complete(rc), null);
        int rc = done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (rc != KeeperException.Code.OK.intValue()) {
            throw KeeperException.create(KeeperException.Code.get(rc));
        }
    }

    /** Fetches records in parallel; one swept meanwhile by retention is skipped. */
    private boolean fetch(ZooKeeper zk, List<String> paths) throws Exception {
        if (paths.isEmpty()) {
            return false;
        }
        Map<String, ChangeRecord> fetched = inParallel(paths, (path, reply) -> zk.getData(path, false,
                (rc, p, ctx, data, stat) -> reply.answer(rc, p,
                        rc == KeeperException.Code.OK.intValue() ? decode(p, data, stat) : null), null));
        records.putAll(fetched);
        return !fetched.isEmpty();
    }

    /** A record, or null (logged once) when another tool wrote something that does not parse. */
    private ChangeRecord decode(String path, byte[] data, Stat stat) {
        try {
            return ChangeRecordCodec.decode(data, stat.getCzxid(), Instant.ofEpochMilli(stat.getCtime()));
        } catch (RuntimeException e) {
            unreadable.add(path);
            log.warn("op=history.read path={} outcome=unreadable reason=\"{}\"", path, e.toString());
            return null;
        }
    }

    /** An asynchronous read's answer: its result code, path and value (null: nothing to keep). */
    private interface Reply<T> {
        void answer(int rc, String path, T value);
    }

    /**
     * Sends one asynchronous read per path, all in flight at once, and collects the values: a node swept meanwhile
     * (NONODE) is skipped, any other failure fails the whole read.
     */
    private static <T> Map<String, T> inParallel(List<String> paths,
                                                 java.util.function.BiConsumer<String, Reply<T>> send) throws Exception {
        Map<String, T> values = new ConcurrentHashMap<>();
        Map<String, Integer> failed = new ConcurrentHashMap<>();
        CountDownLatch latch = new CountDownLatch(paths.size());
        for (String path : paths) {
            send.accept(path, (rc, p, value) -> {
                if (rc == KeeperException.Code.OK.intValue()) {
                    if (value != null) {
                        values.put(p, value);
                    }
                } else if (rc != KeeperException.Code.NONODE.intValue()) {
                    failed.put(p, rc);
                }
                latch.countDown();
            });
        }
        if (!latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new KookException.Unavailable("reading the change history timed out");
        }
        if (!failed.isEmpty()) {
            throw KeeperException.create(KeeperException.Code.get(failed.values().iterator().next()));
        }
        return values;
    }
}
