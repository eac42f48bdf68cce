package io.kook.zookeeper;

import io.kook.inventory.KookException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this replica can talk to ZooKeeper right now, from Curator's connection states: writes are refused
 * from SUSPENDED or LOST until RECONNECTED. Answers from memory, so health checks and writes never block on it.
 */
public final class ZooKeeperConnection {

    private static final Logger log = LoggerFactory.getLogger(ZooKeeperConnection.class);

    private final CuratorFramework client;
    private volatile boolean connected;
    private volatile ConnectionState lastState;

    public ZooKeeperConnection(CuratorFramework client) {
        this.client = client;
        client.getConnectionStateListenable().addListener((c, state) -> onChange(state));
        this.connected = client.getZookeeperClient().isConnected();
        this.lastState = connected ? ConnectionState.CONNECTED : ConnectionState.SUSPENDED;
    }

    private void onChange(ConnectionState state) {
        lastState = state;
        connected = state.isConnected();
        if (connected) {
            log.info("op=zookeeper.connection state={}", state);
        } else {
            log.warn("op=zookeeper.connection state={}", state);
        }
    }

    public boolean connected() {
        return connected;
    }

    /** @throws KookException.Unavailable saying {@code what} is refused while ZooKeeper is unreachable */
    public void require(String what) {
        if (!connected) {
            throw new KookException.Unavailable("not connected to ZooKeeper; " + what + " are refused until it is back");
        }
    }

    public ConnectionState lastState() {
        return lastState;
    }

    public String connectString() {
        return client.getZookeeperClient().getCurrentConnectionString();
    }
}
