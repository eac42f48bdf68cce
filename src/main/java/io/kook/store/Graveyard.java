package io.kook.store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sweeps tombstones (see {@link Change}) once they are older than any plan could be. Age is measured in ZooKeeper
 * time, against the commit marker's last write, never against this replica's clock. Every replica sweeps; the
 * deletes are idempotent.
 */
public final class Graveyard {

    private static final Logger log = LoggerFactory.getLogger(Graveyard.class);

    private final CuratorFramework client;
    private final ZkLayout layout;
    private final Duration retention;

    public Graveyard(CuratorFramework client, ZkLayout layout, Duration retention) {
        this.client = client;
        this.layout = layout;
        this.retention = retention;
    }

    /** @return how many tombstones were deleted */
    public int sweep() {
        try {
            if (!client.getZookeeperClient().isConnected()) {
                return 0;
            }
            Stat marker = client.checkExists().forPath(layout.commit());
            if (marker == null) {
                return 0;
            }
            long cutoff = marker.getMtime() - retention.toMillis();
            List<String> tombstones = client.getChildren().forPath(layout.graveyard());
            ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
            Semaphore inFlight = new Semaphore(64);
            int[] deleted = new int[1];
            for (String name : tombstones) {
                inFlight.acquire();
                String path = layout.graveyard() + "/" + name;
                zk.exists(path, false, (rc, p, ctx, stat) -> {
                    if (rc == KeeperException.Code.OK.intValue() && stat.getCtime() < cutoff) {
                        zk.delete(p, stat.getVersion(), (rc2, p2, ctx2) -> {
                            if (rc2 == KeeperException.Code.OK.intValue()) {
                                synchronized (deleted) {
                                    deleted[0]++;
                                }
                            }
                            inFlight.release();
                        }, null);
                    } else {
                        inFlight.release();
                    }
                }, null);
            }
            inFlight.tryAcquire(64, 5, TimeUnit.MINUTES);
            synchronized (deleted) {
                if (deleted[0] > 0) {
                    log.info("op=graveyard.sweep deleted={} kept={}", deleted[0], tombstones.size() - deleted[0]);
                }
                return deleted[0];
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            log.debug("op=graveyard.sweep outcome=failed reason=\"{}\"", e.toString());
            return 0;
        }
    }
}
