package io.kook.mirror;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.kook.KookProperties;
import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.KookException;
import io.kook.inventory.Snapshot;
import io.kook.store.Change;
import io.kook.store.EntityCodec;
import io.kook.store.InventoryWriter;
import io.kook.store.ZkLayout;
import io.kook.support.TcpProxy;
import io.kook.zookeeper.ZooKeeperConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model test in the style of Curator's TestCuratorCacheConsistency: a real 3-server ensemble, three replicas
 * (mirror and writer) each behind a TCP proxy the test cuts and delays, random writes from all of them (hosts,
 * groups, edges, deletes and re-creates of the same few names, nestings that race to close cycles), a foreign
 * client writing straight to ZooKeeper, and a killed server. Invariants are checked while it runs, on every
 * snapshot any replica publishes: it holds every acknowledged write at or below its revision with its exact vars,
 * revisions never go back, no cycle and no dangling edge. At the end every mirror equals a fresh read.
 */
class MirrorModelTests {

    private static final Logger log = LoggerFactory.getLogger(MirrorModelTests.class);
    private static final int HOSTS = 10;
    private static final int GROUPS = 5;

    private record Node(int id, TcpProxy proxy, CuratorFramework client, Mirror mirror, InventoryWriter writer)
            implements AutoCloseable {
        @Override
        public void close() {
            mirror.close();
            client.close();
            proxy.close();
        }
    }

    /** A published snapshot, with the write sequence number current when it was published. */
    private record Observed(int node, long publishedAt, Snapshot snapshot) {
    }

    private final ZkLayout layout = new ZkLayout("/model");
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentSkipListSet<Long> inFlight = new ConcurrentSkipListSet<>();
    /** host -> revision -> its vars after that write (empty: deleted), for every acknowledged write of vars. */
    private final Map<String, ConcurrentSkipListMap<Long, Optional<ObjectNode>>> acked = new ConcurrentHashMap<>();
    private final Set<String> uncertain = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Observed> unchecked = new ConcurrentLinkedQueue<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicInteger checked = new AtomicInteger();
    /** Revisions of acknowledged writes that changed something: each must have its change record. */
    private final Set<Long> changed = ConcurrentHashMap.newKeySet();
    /** Writes whose outcome stayed unknown (504): each may or may not have committed, with its record. */
    private final AtomicInteger unknownOutcomes = new AtomicInteger();

    private Node node(int id, TestingCluster cluster) throws Exception {
        TcpProxy proxy = new TcpProxy(cluster.getConnectString());
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(proxy.connectString())
                .sessionTimeoutMs(30_000).connectionTimeoutMs(5_000).retryPolicy(new ExponentialBackoffRetry(100, 5))
                .build();
        client.start();
        Mirror mirror = new Mirror(client, layout, 64);
        long[] last = new long[1];
        mirror.onPublish(p -> {
            long revision = p.current().revision();
            if (revision < last[0]) {
                violations.add("replica " + id + " went back from revision " + last[0] + " to " + revision);
            }
            last[0] = revision;
            unchecked.add(new Observed(id, sequence.get(), p.current()));
        });
        mirror.start();
        KookProperties.Writes writes = new KookProperties.Writes(Duration.ofSeconds(5), Duration.ofSeconds(10), 20,
                Duration.ofSeconds(1), Duration.ofHours(1));
        InventoryWriter writer = new InventoryWriter(client, layout, mirror, new ZooKeeperConnection(client), writes,
                new SimpleMeterRegistry());
        return new Node(id, proxy, client, mirror, writer);
    }

    @Test
    void everyPublishedSnapshotHoldsEveryAcknowledgedWriteThroughCutsLagForeignWritesAndAServerKill()
            throws Exception {
        long seed = System.nanoTime();
        log.info("MirrorModelTests seed={}", seed);
        for (int h = 0; h < HOSTS; h++) {
            acked.put("h" + h, new ConcurrentSkipListMap<>());
        }
        try (TestingCluster cluster = new TestingCluster(3)) {
            cluster.start();
            List<Node> nodes = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    nodes.add(node(i, cluster));
                }
                for (Node n : nodes) {
                    assertThat(n.mirror().awaitPrimed(Duration.ofSeconds(30))).isTrue();
                }
                AtomicBoolean running = new AtomicBoolean(true);
                List<Thread> threads = new ArrayList<>();
                AtomicInteger committed = new AtomicInteger();
                for (Node n : nodes) {
                    Random random = new Random(seed + n.id());
                    threads.add(thread("writer-" + n.id(), () -> {
                        while (running.get()) {
                            if (randomWrite(n, random)) {
                                committed.incrementAndGet();
                            }
                        }
                    }));
                }
                CuratorFramework foreign = CuratorFrameworkFactory.newClient(cluster.getConnectString(),
                        new ExponentialBackoffRetry(100, 3));
                foreign.start();
                Random foreignRandom = new Random(seed - 1);
                threads.add(thread("foreign", () -> {
                    while (running.get()) {
                        foreignWrite(foreign, foreignRandom);
                        sleep(50);
                    }
                }));
                threads.add(thread("checker", () -> {
                    while (running.get()) {
                        check();
                        sleep(100);
                    }
                }));
                threads.forEach(Thread::start);

                sleep(2000);
                nodes.get(0).proxy().cut();
                sleep(2000);
                nodes.get(0).proxy().restore();
                nodes.get(1).proxy().delay(Duration.ofMillis(300));
                sleep(3000);
                nodes.get(1).proxy().restore();
                InstanceSpec victim = cluster.getInstances().iterator().next();
                cluster.killServer(victim);
                sleep(4000);
                nodes.get(2).proxy().cut();
                sleep(1000);
                nodes.get(2).proxy().restore();
                sleep(3000);
                running.set(false);
                for (Thread t : threads) {
                    t.join(60_000);
                }
                foreign.close();
                assertThat(committed.get()).as("seed %d", seed).isGreaterThan(100);

                Snapshot truth = nodes.get(2).mirror().readTree();
                Map<String, String> tree = describe(truth);
                for (Node n : nodes) {
                    Snapshot s = n.mirror().awaitRevision(truth.revision(), Duration.ofSeconds(60));
                    assertThat(s).as("replica %d reached revision %d (seed %d)", n.id(), truth.revision(), seed)
                            .isNotNull();
                    assertThat(describe(s)).as("replica %d vs a fresh read, seed %d", n.id(), seed).isEqualTo(tree);
                }
                check();
                assertThat(unchecked).as("snapshots left unchecked").isEmpty();
                log.info("MirrorModelTests seed={} writes={} snapshots checked={} uncertain={}", seed,
                        committed.get(), checked.get(), uncertain);
                assertThat(checked.get()).isGreaterThan(50);
                assertThat(violations).as("seed %d", seed).isEmpty();

                // no write without its record, no record without its write, through the cuts and the kill
                Set<Long> recorded = new java.util.HashSet<>();
                new io.kook.history.HistoryStore(nodes.get(2).client(), layout).newestFirst()
                        .forEach(r -> recorded.add(r.revision()));
                assertThat(recorded).as("every acknowledged write has its record (seed %d)", seed).containsAll(changed);
                Set<Long> unacknowledged = new java.util.HashSet<>(recorded);
                unacknowledged.removeAll(changed);
                assertThat(unacknowledged.size()).as("records of writes never acknowledged (seed %d)", seed)
                        .isLessThanOrEqualTo(unknownOutcomes.get());
            } finally {
                nodes.forEach(Node::close);
            }
        }
    }

    private boolean randomWrite(Node n, Random random) {
        String host = "h" + random.nextInt(HOSTS);
        String group = "g" + random.nextInt(GROUPS);
        String other = "g" + random.nextInt(GROUPS);
        int op = random.nextInt(10);
        boolean[] planned = new boolean[1];
        ObjectNode vars = JsonNodeFactory.instance.objectNode().put("w", n.id()).put("n", random.nextInt());
        boolean varsWrite = op <= 2;
        long started = sequence.incrementAndGet();
        inFlight.add(started);
        try {
            String lock = op <= 2 ? InventoryWriter.hostLock(host)
                    : op >= 8 ? InventoryWriter.TOPOLOGY_LOCK : InventoryWriter.groupLock(group);
            long revision = n.writer().commit("model.write", lock, s -> {
                Change c = new Change(s, layout);
                switch (op) {
                    case 0, 1 -> {
                        if (s.host(host) == null) {
                            c.createHost(host, vars);
                        } else {
                            c.setHost(host, vars);
                        }
                    }
                    case 2 -> c.deleteHost(host);
                    case 3 -> {
                        if (s.storedGroup(group) == null) {
                            c.createGroup(group, JsonNodeFactory.instance.objectNode());
                        }
                    }
                    case 4 -> c.deleteGroup(group);
                    case 5, 6 -> {
                        if (s.host(host) != null && s.storedGroup(group) != null
                                && !s.host(host).groups().contains(group)) {
                            c.addMember(group, host);
                        }
                    }
                    case 7 -> {
                        if (s.host(host) != null && s.host(host).groups().contains(group)) {
                            c.removeMember(group, host);
                        }
                    }
                    case 8 -> {
                        // two replicas may race to nest group>other and other>group: one must lose
                        if (s.storedGroup(group) != null && s.storedGroup(other) != null && !s.reaches(other, group)
                                && !s.storedGroup(group).children().contains(other)) {
                            c.addChild(group, other);
                        }
                    }
                    default -> {
                        if (s.storedGroup(group) != null && s.storedGroup(group).children().contains(other)) {
                            c.removeChild(group, other);
                        }
                    }
                }
                planned[0] = !c.isEmpty();
                return c;
            });
            if (planned[0]) {
                changed.add(revision);
            }
            if (varsWrite) {
                acked.get(host).put(revision, op == 2 ? Optional.empty() : Optional.of(vars));
            }
            return true;
        } catch (KookException.OutcomeUnknown unknown) {
            unknownOutcomes.incrementAndGet();
            if (varsWrite) {
                uncertain.add(host);
            }
            return false;
        } catch (KookException refused) {
            return false; // not found, unavailable while cut or electing: nothing was applied
        } finally {
            inFlight.remove(started);
        }
    }

    /** Another tool edits vars or creates hosts straight in ZooKeeper; Kook must show it like its own writes. */
    private void foreignWrite(CuratorFramework zk, Random random) {
        String host = "h" + random.nextInt(HOSTS);
        ObjectNode vars = JsonNodeFactory.instance.objectNode().put("foreign", random.nextInt());
        long started = sequence.incrementAndGet();
        inFlight.add(started);
        try {
            Stat stat = new Stat();
            if (zk.checkExists().forPath(layout.host(host)) != null) {
                stat = zk.setData().forPath(layout.host(host), EntityCodec.encode(vars));
            } else {
                zk.create().storingStatIn(stat).forPath(layout.host(host), EntityCodec.encode(vars));
            }
            acked.get(host).put(stat.getMzxid(), Optional.of(vars));
        } catch (KeeperException.NoNodeException | KeeperException.NodeExistsException raced) {
            // a Kook write got there first: nothing applied
        } catch (Exception e) {
            uncertain.add(host); // e.g. connection loss with the request in flight
        } finally {
            inFlight.remove(started);
        }
    }

    /**
     * Checks every published snapshot whose revision can no longer be reached by a write still in flight: a
     * write that started after a snapshot was published commits past its revision.
     */
    private synchronized void check() {
        Long oldest = inFlight.isEmpty() ? null : inFlight.first();
        for (Observed o; (o = unchecked.peek()) != null && (oldest == null || o.publishedAt() < oldest); ) {
            unchecked.poll();
            checkSnapshot(o);
            checked.incrementAndGet();
        }
    }

    private void checkSnapshot(Observed o) {
        Snapshot s = o.snapshot();
        long revision = s.revision();
        acked.forEach((host, writes) -> {
            if (uncertain.contains(host)) {
                return;
            }
            Map.Entry<Long, Optional<ObjectNode>> last = writes.floorEntry(revision);
            Optional<JsonNode> expected = last == null ? Optional.empty() : last.getValue().map(JsonNode.class::cast);
            Host actual = s.host(host);
            Optional<JsonNode> shown = actual == null ? Optional.empty() : Optional.of(actual.vars());
            if (!expected.equals(shown)) {
                violations.add("replica " + o.node() + " at revision " + revision + " shows " + host + " as " + shown
                        + " but the last acknowledged write at or below it (" + (last == null ? "none" : last.getKey())
                        + ") made it " + expected);
            }
        });
        for (String g : s.storedGroupNames()) {
            Group group = s.storedGroup(g);
            for (String h : group.hosts()) {
                if (s.host(h) == null) {
                    violations.add("replica " + o.node() + " at " + revision + ": " + g + " holds missing host " + h);
                }
            }
            for (String c : group.children()) {
                if (s.storedGroup(c) == null) {
                    violations.add("replica " + o.node() + " at " + revision + ": " + g + " nests missing group " + c);
                } else if (reaches(s, c, g, new HashSet<>())) {
                    violations.add("replica " + o.node() + " at " + revision + ": cycle through " + g + " > " + c);
                }
            }
        }
    }

    private static boolean reaches(Snapshot s, String from, String to, Set<String> seen) {
        if (from.equals(to)) {
            return true;
        }
        if (!seen.add(from) || s.storedGroup(from) == null) {
            return false;
        }
        for (String child : s.storedGroup(from).children()) {
            if (reaches(s, child, to, seen)) {
                return true;
            }
        }
        return false;
    }

    /** A canonical text per entity. */
    private static Map<String, String> describe(Snapshot s) {
        Map<String, String> out = new HashMap<>();
        for (String h : s.hostNames()) {
            Host host = s.host(h);
            out.put("host:" + h, host.vars() + " " + host.etag() + " " + host.groups());
        }
        for (String g : s.storedGroupNames()) {
            Group group = s.storedGroup(g);
            out.put("group:" + g, group.vars() + " " + group.etag() + " " + group.hosts() + " " + group.children()
                    + " " + group.parents());
        }
        return out;
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, "model-" + name);
        t.setDaemon(true);
        return t;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
