package io.kook.hooks;

import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The znode {@code <root>/hooks/state}: the last (or the running) hook run, as JSON.
 *
 * <p>Every write is fenced twice, in one multi: it must find the version read when the run started (so a write
 * from anyone who is not the current run's owner fails) and the writer's own leader-latch node (so a leader
 * whose session ended cannot write at all). The multi goes once through the raw ZooKeeper handle, never
 * through Curator's retry loop: a retry of a write that had applied before the connection dropped would fail
 * its version check and read as "someone else claimed it", and the run would be skipped. A ConnectionLoss is
 * settled instead by syncing and reading the node back; each run carries a unique {@code runId}.
 */
final class HookState {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int SETTLE_ATTEMPTS = 3;

    /** The stored run ({@code {}} before the first) and the node's version when read. */
    record Read(JsonNode run, int version) {
    }

    private final CuratorFramework client;
    private final String path;

    HookState(CuratorFramework client, String path) {
        this.client = client;
        this.path = path;
    }

    /** Reads the state, creating an empty node first if there is none. */
    Read read() throws Exception {
        Stat stat = new Stat();
        try {
            byte[] data = client.getData().storingStatIn(stat).forPath(path);
            return new Read(parse(data), stat.getVersion());
        } catch (KeeperException.NoNodeException e) {
            try {
                client.create().creatingParentsIfNeeded().forPath(path, new byte[0]);
            } catch (KeeperException.NodeExistsException raced) {
                // created by another replica
            }
            return read();
        }
    }

    /** The stored run, for {@code GET /hooks}; reads only. */
    JsonNode peek() throws Exception {
        try {
            return parse(client.getData().forPath(path));
        } catch (KeeperException.NoNodeException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }

    /**
     * Replaces the state with {@code run} if the node is still at {@code expectedVersion} and {@code latchPath}
     * (this replica's leader-latch node) still exists.
     *
     * @return the node's new version, or empty when the write was refused: leadership moved or another write won
     */
    OptionalInt write(int expectedVersion, String latchPath, JsonNode run) throws Exception {
        if (latchPath == null) {
            return OptionalInt.empty();
        }
        byte[] bytes = JSON.writeValueAsBytes(run);
        for (int attempt = 1; ; attempt++) {
            try {
                List<OpResult> results = zooKeeper().multi(List.of(Op.check(latchPath, -1),
                        Op.setData(path, bytes, expectedVersion)));
                return OptionalInt.of(((OpResult.SetDataResult) results.get(1)).getStat().getVersion());
            } catch (KeeperException.NoNodeException | KeeperException.BadVersionException refused) {
                return OptionalInt.empty();
            } catch (KeeperException.ConnectionLossException lost) {
                if (attempt >= SETTLE_ATTEMPTS) {
                    throw lost;
                }
                // did it apply? Only a fresh read (after sync) can say; the write is resent only if it did not
                Read now = readSynced();
                if (now.run().path("runId").asString("").equals(run.path("runId").asString("-"))
                        && now.run().path("status").asString("").equals(run.path("status").asString("-"))) {
                    return OptionalInt.of(now.version());
                }
                if (now.version() != expectedVersion) {
                    return OptionalInt.empty();
                }
            }
        }
    }

    private Read readSynced() throws Exception {
        client.getZookeeperClient().blockUntilConnectedOrTimedOut();
        CountDownLatch synced = new CountDownLatch(1);
        AtomicInteger code = new AtomicInteger(KeeperException.Code.CONNECTIONLOSS.intValue());
        zooKeeper().sync(path, (rc, p, ctx) -> {
            code.set(rc);
            synced.countDown();
        }, null);
        synced.await(client.getZookeeperClient().getConnectionTimeoutMs(), TimeUnit.MILLISECONDS);
        if (code.get() != KeeperException.Code.OK.intValue()) {
            throw KeeperException.create(KeeperException.Code.get(code.get()), path);
        }
        Stat stat = new Stat();
        byte[] data = zooKeeper().getData(path, false, stat);
        return new Read(parse(data), stat.getVersion());
    }

    private ZooKeeper zooKeeper() throws Exception {
        return client.getZookeeperClient().getZooKeeper();
    }

    private static JsonNode parse(byte[] data) {
        return data == null || data.length == 0 ? JsonNodeFactory.instance.objectNode() : JSON.readTree(data);
    }
}
