package io.kook.history;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.kook.store.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps history within {@code kook.history.retention} records and {@code max-age} (by ZooKeeper's time): the
 * replica a {@link LeaderLatch} elects deletes the oldest records. It first moves the horizon (the history node's
 * data, version-checked, so two compactors never race) past every record it is about to delete, so a reader never
 * meets a gap in history without being told: reads before the horizon answer 410.
 */
public final class HistoryCompactor implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(HistoryCompactor.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Records deleted per run at most, so one run never holds ZooKeeper busy for long. */
    static final int MAX_DELETES_PER_RUN = 5_000;

    private final CuratorFramework client;
    private final ZkLayout layout;
    private final HistoryStore history;
    private final int retention;
    private final Duration maxAge;
    private final LeaderLatch latch;

    public HistoryCompactor(CuratorFramework client, ZkLayout layout, HistoryStore history, int retention,
                            Duration maxAge) {
        this.client = client;
        this.layout = layout;
        this.history = history;
        this.retention = retention;
        this.maxAge = maxAge;
        this.latch = new LeaderLatch(client, layout.root().replaceAll("/$", "") + "/history-compactor");
    }

    public void start() throws Exception {
        latch.start();
    }

    /** The horizon a history node's data names ({@code {"horizon":N}}), 0 when none. */
    static long horizon(byte[] data) {
        if (data == null || data.length == 0) {
            return 0;
        }
        try {
            return JSON.readTree(data).path("horizon").asLong(0);
        } catch (RuntimeException unreadable) {
            return 0;
        }
    }

    /** One compaction run, on the elected replica only; returns how many records it deleted. */
    public int compact() {
        if (!latch.hasLeadership()) {
            return 0;
        }
        try {
            return compactNow();
        } catch (Exception e) {
            log.warn("op=history.compact outcome=failed reason=\"{}\"", e.toString());
            return 0;
        }
    }

    int compactNow() throws Exception {
        Stat historyStat = new Stat();
        byte[] data = client.getData().storingStatIn(historyStat).forPath(layout.history());
        List<HistoryStore.Stamp> newestFirst = history.stampsNewestFirst();
        Instant now = Instant.ofEpochMilli(client.setData().forPath(layout.clock(), new byte[0]).getMtime());
        Instant oldestKept = now.minus(maxAge);
        List<HistoryStore.Stamp> victims = new ArrayList<>();
        for (int i = newestFirst.size() - 1; i >= 0 && victims.size() < MAX_DELETES_PER_RUN; i--) {
            HistoryStore.Stamp record = newestFirst.get(i);
            if (i < retention && !record.time().isBefore(oldestKept)) {
                break;
            }
            victims.add(record);
        }
        if (victims.isEmpty()) {
            return 0;
        }
        long horizon = victims.get(victims.size() - 1).revision();
        // fenced: a concurrent compactor (a deposed leader) moved it first, and this run stops
        client.setData().withVersion(historyStat.getVersion()).forPath(layout.history(),
                ("{\"horizon\":" + Math.max(horizon, horizon(data)) + "}").getBytes(StandardCharsets.UTF_8));
        int deleted = history.delete(victims);
        log.info("op=history.compact deleted={} horizon={}", deleted, horizon);
        return deleted;
    }

    @Override
    public void close() {
        try {
            latch.close();
        } catch (Exception e) {
            // already closed, or the connection is gone: leadership ends with the session anyway
        }
    }
}
