package io.kook.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;

/** Plain Curator clients for tests that look at Kook's tree from outside, with or without digest credentials. */
public final class ZooKeeperClients {

    private ZooKeeperClients() {
    }

    /** A started client with no credentials: ZooKeeper knows it as {@code world:anyone} only. */
    public static CuratorFramework anonymous(String connectString) {
        CuratorFramework client = CuratorFrameworkFactory.newClient(connectString, new RetryOneTime(100));
        client.start();
        return client;
    }

    /** A started client authenticated with the digest scheme as {@code user:password}. */
    public static CuratorFramework digest(String connectString, String user, String password) {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(connectString)
                .retryPolicy(new RetryOneTime(100))
                .authorization("digest", (user + ":" + password).getBytes(StandardCharsets.UTF_8)).build();
        client.start();
        return client;
    }

    /** Every znode at and under {@code top} with its ACL, parents first. */
    public static Map<String, List<ACL>> acls(CuratorFramework client, String top) throws Exception {
        Map<String, List<ACL>> result = new LinkedHashMap<>();
        Deque<String> pending = new ArrayDeque<>(List.of(top));
        while (!pending.isEmpty()) {
            String path = pending.removeFirst();
            try {
                result.put(path, client.getACL().forPath(path));
                for (String child : client.getChildren().forPath(path)) {
                    pending.addLast(path + "/" + child);
                }
            } catch (KeeperException.NoNodeException gone) {
                result.remove(path);
            }
        }
        return result;
    }
}
