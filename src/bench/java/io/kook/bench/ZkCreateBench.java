package io.kook.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * The write ceiling: raw ZooKeeper {@code create} of empty persistent znodes (what a membership edge is) with
 * {@code threads} synchronous callers sharing one session, as Kook's writers share one. Bounded by
 * {@code seconds}; the znodes are deleted afterwards.
 *
 * <pre>
 * java io.kook.bench.ZkCreateBench --connect 127.0.0.1:2181 [--threads 16] [--seconds 10] [--warmup 2]
 * </pre>
 * prints {@code zkcreate threads=16 ops=.. ops_per_s=..}.
 */
public final class ZkCreateBench {

    private static final int BUCKETS = 512;

    private ZkCreateBench() {
    }

    /** Deletes {@code base}, its buckets and their znodes in multis of 1000 deletes. */
    private static void deleteAll(ZooKeeper zk, String base) throws Exception {
        List<Op> batch = new ArrayList<>();
        for (String bucket : zk.getChildren(base, false)) {
            String path = base + "/" + bucket;
            for (String child : zk.getChildren(path, false)) {
                batch.add(Op.delete(path + "/" + child, -1));
                if (batch.size() == 1000) {
                    zk.multi(batch);
                    batch.clear();
                }
            }
            batch.add(Op.delete(path, -1));
        }
        batch.add(Op.delete(base, -1));
        for (int i = 0; i < batch.size(); i += 1000) {
            zk.multi(batch.subList(i, Math.min(batch.size(), i + 1000)));
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args);
        String connect = a.getOrDefault("connect", "127.0.0.1:2181");
        int threads = Integer.parseInt(a.getOrDefault("threads", "16"));
        double seconds = Double.parseDouble(a.getOrDefault("seconds", "10"));
        double warmup = Double.parseDouble(a.getOrDefault("warmup", "2"));
        String base = a.getOrDefault("path", "/kook-bench-raw-creates");
        ZooKeeper zk = CachelessInventory.connect(connect);
        try {
            try {
                zk.create(base, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException ignored) {
                // left by an earlier run
            }
            // buckets keep every parent's child list far below jute.maxbuffer (1 MB), for the deletion
            for (int b = 0; b < BUCKETS; b++) {
                try {
                    zk.create(base + "/b" + b, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                } catch (KeeperException.NodeExistsException ignored) {
                    // left by an earlier run
                }
            }
            LongAdder done = new LongAdder();
            AtomicLong counter = new AtomicLong();
            long startNs = System.nanoTime();
            long measureFrom = startNs + (long) (warmup * 1e9);
            long endNs = measureFrom + (long) (seconds * 1e9);
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                workers[t] = new Thread(() -> {
                    try {
                        while (true) {
                            long now = System.nanoTime();
                            if (now >= endNs) {
                                return;
                            }
                            long n = counter.incrementAndGet();
                            zk.create(base + "/b" + (n % BUCKETS) + "/n" + n, new byte[0],
                                    ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                            if (now >= measureFrom) {
                                done.increment();
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, "zkcreate-" + t);
                workers[t].start();
            }
            for (Thread w : workers) {
                w.join();
            }
            System.out.printf(java.util.Locale.ROOT, "zkcreate threads=%d ops=%d ops_per_s=%.1f%n", threads, done.sum(),
                    done.sum() / seconds);
            deleteAll(zk, base);
        } finally {
            zk.close();
        }
    }
}
