package io.kook.mirror;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.kook.KookProperties;
import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.KookException;
import io.kook.inventory.Snapshot;
import io.kook.store.Change;
import io.kook.store.EntityCodec;
import io.kook.store.InventoryWriter;
import io.kook.store.ZkLayout;
import io.kook.zookeeper.ZooKeeperConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In the style of Curator's TestCuratorCacheConsistency: several mirrors on a real 3-server ensemble, random
 * writes from two writers while a server is killed, then every mirror must equal a fresh read of the tree.
 */
class MirrorConsistencyTests {

    private static final Logger log = LoggerFactory.getLogger(MirrorConsistencyTests.class);

    private record Node(CuratorFramework client, Mirror mirror, InventoryWriter writer) implements AutoCloseable {
        @Override
        public void close() {
            mirror.close();
            client.close();
        }
    }

    private static Node node(TestingCluster cluster, ZkLayout layout) {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(cluster.getConnectString())
                .sessionTimeoutMs(20_000).connectionTimeoutMs(5_000).retryPolicy(new ExponentialBackoffRetry(100, 5)).build();
        client.start();
        Mirror mirror = new Mirror(client, layout, 64);
        mirror.start();
        KookProperties.Writes writes = new KookProperties.Writes(Duration.ofSeconds(5), Duration.ofSeconds(15), 20,
                Duration.ofSeconds(1));
        InventoryWriter writer = new InventoryWriter(client, layout, mirror, new ZooKeeperConnection(client), writes,
                new SimpleMeterRegistry());
        return new Node(client, mirror, writer);
    }

    @Test
    void everyMirrorMatchesTheTreeAfterRandomWritesAndAServerKill() throws Exception {
        long seed = System.nanoTime();
        log.info("MirrorConsistencyTests seed={}", seed);
        ZkLayout layout = new ZkLayout("/consistency");
        try (TestingCluster cluster = new TestingCluster(3)) {
            cluster.start();
            List<Node> nodes = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    nodes.add(node(cluster, layout));
                }
                for (Node n : nodes) {
                    assertThat(n.mirror().awaitPrimed(Duration.ofSeconds(30))).isTrue();
                }
                ExecutorService pool = Executors.newFixedThreadPool(2);
                List<Future<Integer>> writers = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    Node n = nodes.get(w);
                    Random random = new Random(seed + w);
                    writers.add(pool.submit(() -> randomWrites(n, layout, random, 250)));
                }
                Thread.sleep(1500);
                InstanceSpec victim = cluster.getInstances().iterator().next();
                cluster.killServer(victim);
                int committed = 0;
                for (Future<Integer> f : writers) {
                    committed += f.get(3, TimeUnit.MINUTES);
                }
                pool.shutdown();
                assertThat(committed).as("seed %d", seed).isGreaterThan(100);

                Node reader = nodes.get(2);
                long latest = reader.client().checkExists().forPath(layout.commit()).getMzxid();
                Map<String, String> truth = readTree(reader.client(), layout);
                for (Node n : nodes) {
                    Snapshot s = n.mirror().awaitRevision(latest, Duration.ofSeconds(30));
                    assertThat(s).as("mirror reached revision %d (seed %d)", latest, seed).isNotNull();
                    assertThat(describe(s)).as("mirror vs tree, seed %d", seed).isEqualTo(truth);
                }
            } finally {
                nodes.forEach(Node::close);
            }
        }
    }

    private static int randomWrites(Node n, ZkLayout layout, Random random, int count) {
        int committed = 0;
        for (int i = 0; i < count; i++) {
            String host = "h" + random.nextInt(30);
            String group = "g" + random.nextInt(12);
            String other = "g" + random.nextInt(12);
            int op = random.nextInt(8);
            try {
                n.writer().commit("test.random", InventoryWriter.TOPOLOGY_LOCK, s -> {
                    Change c = new Change(s, layout);
                    switch (op) {
                        case 0 -> {
                            if (s.host(host) == null) {
                                c.createHost(host, JsonNodeFactory.instance.objectNode().put("i", random.nextInt()));
                            } else {
                                c.setHost(host, JsonNodeFactory.instance.objectNode().put("i", random.nextInt()));
                            }
                        }
                        case 1 -> c.deleteHost(host);
                        case 2 -> {
                            if (s.storedGroup(group) == null) {
                                c.createGroup(group, JsonNodeFactory.instance.objectNode());
                            }
                        }
                        case 3 -> c.deleteGroup(group);
                        case 4, 5 -> {
                            if (s.host(host) != null && s.storedGroup(group) != null
                                    && !s.host(host).groups().contains(group)) {
                                c.addMember(group, host);
                            }
                        }
                        case 6 -> {
                            if (s.storedGroup(group) != null && s.storedGroup(other) != null
                                    && !s.reaches(other, group) && !s.storedGroup(group).children().contains(other)) {
                                c.addChild(group, other);
                            }
                        }
                        default -> {
                            if (s.host(host) != null && s.host(host).groups().contains(group)) {
                                c.removeMember(group, host);
                            }
                        }
                    }
                    return c;
                });
                committed++;
            } catch (KookException expected) {
                // not found, unavailable while the ensemble elects: both leave the tree consistent
            }
        }
        return committed;
    }

    /** A canonical text per entity, from a mirror snapshot. */
    private static Map<String, String> describe(Snapshot s) {
        Map<String, String> out = new HashMap<>();
        for (String h : s.hostNames()) {
            Host host = s.host(h);
            out.put("host:" + h, host.vars() + " v" + host.version() + " " + host.groups());
        }
        for (String g : s.storedGroupNames()) {
            Group group = s.storedGroup(g);
            out.put("group:" + g, group.vars() + " v" + group.version() + " " + group.hosts() + " " + group.children()
                    + " " + group.parents());
        }
        return out;
    }

    /** The same canonical text, read straight from ZooKeeper. */
    private static Map<String, String> readTree(CuratorFramework zk, ZkLayout layout) throws Exception {
        Map<String, List<String>> hostGroups = new HashMap<>();
        Map<String, List<String>> parents = new HashMap<>();
        List<String> groups = zk.getChildren().forPath(layout.groups()).stream().sorted().toList();
        Map<String, List<String>> members = new HashMap<>();
        Map<String, List<String>> children = new HashMap<>();
        for (String g : groups) {
            List<String> m = g.equals("all") ? List.of() : zk.getChildren().forPath(layout.groupHosts(g)).stream().sorted().toList();
            List<String> c = g.equals("all") ? List.of() : zk.getChildren().forPath(layout.groupChildren(g)).stream().sorted().toList();
            members.put(g, m);
            children.put(g, c);
            m.forEach(h -> hostGroups.computeIfAbsent(h, k -> new ArrayList<>()).add(g));
            c.forEach(ch -> parents.computeIfAbsent(ch, k -> new ArrayList<>()).add(g));
        }
        Map<String, String> out = new HashMap<>();
        for (String h : zk.getChildren().forPath(layout.hosts())) {
            org.apache.zookeeper.data.Stat stat = new org.apache.zookeeper.data.Stat();
            byte[] data = zk.getData().storingStatIn(stat).forPath(layout.host(h));
            List<String> gs = hostGroups.getOrDefault(h, List.of()).stream().sorted().toList();
            out.put("host:" + h, EntityCodec.decode(data) + " v" + stat.getVersion() + " " + gs);
        }
        for (String g : groups) {
            org.apache.zookeeper.data.Stat stat = new org.apache.zookeeper.data.Stat();
            byte[] data = zk.getData().storingStatIn(stat).forPath(layout.group(g));
            List<String> ps = parents.getOrDefault(g, List.of()).stream().sorted().toList();
            out.put("group:" + g, EntityCodec.decode(data) + " v" + stat.getVersion() + " " + members.get(g) + " "
                    + children.get(g) + " " + ps);
        }
        return out;
    }
}
