package io.kook.store;

import java.nio.charset.StandardCharsets;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Creates Kook's fixed nodes (root, subtrees, topology guard, the {@code all} group) where they are missing; with
 * credentials, also publishes the agents' ACL policy and repairs ACLs (see {@link ZkAclRepair}).
 */
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
        create(client, layout.history(), new byte[0]);
        create(client, layout.leases(), new byte[0]);
        create(client, layout.clock(), new byte[0]);
        create(client, layout.importGuard(), "{}".getBytes(StandardCharsets.UTF_8));
        create(client, layout.group("all"), EntityCodec.encode(JsonNodeFactory.instance.objectNode()));
        if (layout.acls().secured()) {
            publishRegistrationAcl(client, layout);
            ZkAclRepair.repair(client, layout);
        }
    }

    /** Tells the agents Kook's and each other's digest ids (see {@link RegistrationAclPolicy}). */
    private static void publishRegistrationAcl(CuratorFramework client, ZkLayout layout) throws Exception {
        byte[] policy = RegistrationAclPolicy.of(layout.acls()).encode();
        create(client, layout.registrationAcl(), policy);
        if (!java.util.Arrays.equals(client.getData().forPath(layout.registrationAcl()), policy)) {
            client.setData().forPath(layout.registrationAcl(), policy);
        }
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
