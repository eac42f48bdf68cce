package io.kook.store;

import java.nio.charset.StandardCharsets;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import tools.jackson.databind.node.JsonNodeFactory;

/** Creates Kook's fixed nodes (root, subtrees, topology guard, the {@code all} group) where they are missing. */
public final class TreeBootstrap {

    static final byte[] ROOT_DATA = "{\"schema\":1}".getBytes(StandardCharsets.UTF_8);

    private TreeBootstrap() {
    }

    public static void ensure(CuratorFramework client, ZkLayout layout) throws Exception {
        create(client, layout.root(), ROOT_DATA);
        create(client, layout.inventory(), new byte[0]);
        create(client, layout.hosts(), new byte[0]);
        create(client, layout.groups(), new byte[0]);
        create(client, layout.topology(), new byte[0]);
        create(client, layout.commit(), new byte[0]);
        create(client, layout.services(), new byte[0]);
        create(client, layout.graveyard(), new byte[0]);
        create(client, layout.leases(), new byte[0]);
        create(client, layout.clock(), new byte[0]);
        create(client, layout.importGuard(), "{}".getBytes(StandardCharsets.UTF_8));
        create(client, layout.group("all"), EntityCodec.encode(JsonNodeFactory.instance.objectNode()));
    }

    private static void create(CuratorFramework client, String path, byte[] data) throws Exception {
        if (path.equals("/") || client.checkExists().forPath(path) != null) {
            return;
        }
        try {
            client.create().creatingParentsIfNeeded().forPath(path, data);
        } catch (KeeperException.NodeExistsException raced) {
            // another replica created it first
        }
    }
}
