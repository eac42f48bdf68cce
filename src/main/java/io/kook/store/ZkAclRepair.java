package io.kook.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the ACLs of an existing tree in line with {@link ZkAcls} at start, when credentials are configured:
 * a tree written before Kook had credentials is open, and a changed agent list changes the registration
 * containers' ACLs. The root's ACL is the sign: only when it differs is the whole tree walked (once, on the
 * upgrade), children before their parent and the root last, so an interrupted repair is resumed by the next start.
 * The registration containers are checked at every start (there are few). Agents' ephemeral registrations are
 * left alone: they carry their agent's own ACL and vanish with its session.
 */
final class ZkAclRepair {

    private static final Logger log = LoggerFactory.getLogger(ZkAclRepair.class);
    /** ZooKeeper's own subtree, under a root of {@code /}: not Kook's, and its config node is read-only. */
    private static final String ZOOKEEPER_SYSTEM = "/zookeeper";

    private ZkAclRepair() {
    }

    static void repair(CuratorFramework client, ZkLayout layout) throws Exception {
        ZkAcls acls = layout.acls();
        String root = layout.root();
        if (!same(client.getACL().forPath(root), acls.forPath(root))) {
            long started = System.nanoTime();
            int fixed = walk(client, acls, root);
            log.warn("op=zookeeper.acl.repair nodes={} tookMs={} reason=\"the tree under {} was not protected by"
                    + " Kook's digest ACL (an upgrade from an open tree?)\"", fixed,
                    (System.nanoTime() - started) / 1_000_000, root);
        }
        fix(client, acls, layout.services());
        for (String service : client.getChildren().forPath(layout.services())) {
            fix(client, acls, layout.service(service));
        }
    }

    /** Sets every node's ACL below and at {@code top}, deepest first; returns how many changed. */
    private static int walk(CuratorFramework client, ZkAcls acls, String top) throws Exception {
        List<String> order = new ArrayList<>();
        Deque<String> pending = new ArrayDeque<>(List.of(top));
        while (!pending.isEmpty()) {
            String path = pending.pop();
            order.add(path);
            try {
                for (String child : client.getChildren().forPath(path)) {
                    String childPath = path.equals("/") ? "/" + child : path + "/" + child;
                    if (!childPath.equals(ZOOKEEPER_SYSTEM)) {
                        pending.push(childPath);
                    }
                }
            } catch (KeeperException.NoNodeException gone) {
                // deleted meanwhile
            }
        }
        int fixed = 0;
        for (int i = order.size() - 1; i >= 0; i--) {
            if (fix(client, acls, order.get(i))) {
                fixed++;
            }
        }
        return fixed;
    }

    private static boolean fix(CuratorFramework client, ZkAcls acls, String path) throws Exception {
        try {
            Stat stat = new Stat();
            List<ACL> current = client.getACL().storingStatIn(stat).forPath(path);
            List<ACL> wanted = acls.forPath(path);
            if (stat.getEphemeralOwner() != 0 || same(current, wanted)) {
                return false;
            }
            client.setACL().withACL(wanted).forPath(path);
            return true;
        } catch (KeeperException.NoNodeException gone) {
            return false;
        }
    }

    private static boolean same(List<ACL> a, List<ACL> b) {
        return a.size() == b.size() && new HashSet<>(a).equals(new HashSet<>(b));
    }
}
