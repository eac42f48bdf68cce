package io.kook.support;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.ZooKeeper;

/**
 * Makes a replica lag: blocks its ZooKeeper client's event thread, which delivers every watch event and async
 * answer, so its mirror stops advancing while its synchronous requests (locks, commits) still go through.
 */
public final class EventThreadBlocker implements AutoCloseable {

    private final CountDownLatch release = new CountDownLatch(1);

    private EventThreadBlocker(CuratorFramework client) throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
        zk.exists("/", false, (rc, path, ctx, stat) -> {
            blocked.countDown();
            try {
                release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, null);
        if (!blocked.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the event thread did not pick up the blocking callback");
        }
    }

    public static EventThreadBlocker block(CuratorFramework client) throws Exception {
        return new EventThreadBlocker(client);
    }

    /** Releases the event thread after {@code millis}, from another thread, and returns at once. */
    public void releaseAfter(long millis) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        }, "event-thread-release");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        release.countDown();
    }
}
