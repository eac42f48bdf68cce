package io.kook.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import io.kook.inventory.Registration;
import io.kook.store.EntityCodec;
import io.kook.store.RegistrationCodec;
import io.kook.store.ImportGuard;
import io.kook.store.TreeBootstrap;
import io.kook.store.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;

/**
 * Reads Kook's whole subtree into a fresh {@link MirrorState}, with many reads in flight at once so that a
 * large inventory primes in seconds. Node data is read {@value #DATA_BATCH} nodes to a request (ZooKeeper's
 * read-only multi): a million hosts are five thousand requests, not a million. The result also carries the
 * highest zxid any read node showed (the commit marker's included): the revision the loaded state stands for,
 * before buffered events are replayed.
 */
final class TreeLoader {

    record Loaded(MirrorState state, long maxZxid) {
    }

    /** Data reads per multi: 200 nodes at the 256 KiB vars limit stay below the client's 128 MB packet limit. */
    private static final int DATA_BATCH = 200;

    private final CuratorFramework client;
    private final ZkLayout layout;
    private final Semaphore inFlight;
    private final int concurrency;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong maxZxid = new AtomicLong();
    private final MirrorState state = new MirrorState();
    private final List<Op> batchOps = new ArrayList<>();
    private final List<BiConsumer<byte[], Stat>> batchHandlers = new ArrayList<>();

    TreeLoader(CuratorFramework client, ZkLayout layout, int concurrency) {
        this.client = client;
        this.layout = layout;
        this.concurrency = concurrency;
        this.inFlight = new Semaphore(concurrency);
    }

    Loaded load() throws Exception {
        TreeBootstrap.ensure(client, layout);
        List<String> hosts = children(layout.hosts());
        List<String> groups = children(layout.groups());
        for (String host : hosts) {
            read(layout.host(host), (data, stat) -> {
                EntityCodec.Decoded decoded = decode(data, stat);
                state.putHost(host, decoded.vars(), version(stat), czxid(stat), decoded.readable());
            });
        }
        for (String group : groups) {
            read(layout.group(group), (data, stat) -> {
                EntityCodec.Decoded decoded = decode(data, stat);
                state.putGroup(group, decoded.vars(), version(stat), czxid(stat), decoded.readable());
            });
            list(layout.groupHosts(group), members -> members.forEach(h -> state.addMember(group, h)));
            list(layout.groupChildren(group), children -> children.forEach(c -> state.addChild(group, c)));
        }
        for (String service : children(layout.services())) {
            for (String instance : children(layout.service(service))) {
                read(layout.registration(service, instance), (data, stat) -> {
                    Registration registration = RegistrationCodec.decode(service, instance, data, stat);
                    if (registration != null) {
                        state.putRegistration(registration);
                    }
                });
            }
        }
        read(layout.topology(), (data, stat) -> state.topologyVersion(stat.getVersion()));
        read(layout.commit(), (data, stat) -> { });
        read(layout.importGuard(), (data, stat) -> state.importGuard(stat.getVersion(), ImportGuard.parse(data).open()));
        flush();
        if (!inFlight.tryAcquire(concurrency, 10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("mirror prime did not finish in time");
        }
        Throwable error = failure.get();
        if (error != null) {
            throw new IllegalStateException("mirror prime failed", error);
        }
        return new Loaded(state, maxZxid.get());
    }

    private List<String> children(String path) throws Exception {
        Stat stat = new Stat();
        try {
            List<String> names = client.getChildren().storingStatIn(stat).forPath(path);
            note(stat);
            return names;
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }

    /** Queues a data read; every {@value #DATA_BATCH} reads go to ZooKeeper as one read-only multi. */
    private void read(String path, BiConsumer<byte[], Stat> onData) throws Exception {
        batchOps.add(Op.getData(path));
        batchHandlers.add(onData);
        if (batchOps.size() == DATA_BATCH) {
            flush();
        }
    }

    private void flush() throws Exception {
        if (batchOps.isEmpty()) {
            return;
        }
        List<Op> ops = List.copyOf(batchOps);
        List<BiConsumer<byte[], Stat>> handlers = List.copyOf(batchHandlers);
        batchOps.clear();
        batchHandlers.clear();
        inFlight.acquire();
        client.getZookeeperClient().getZooKeeper().multi(ops, (rc, path, ctx, results) -> {
            try {
                if (results == null) {
                    failure.compareAndSet(null, KeeperException.create(KeeperException.Code.get(rc)));
                    return;
                }
                for (int i = 0; i < results.size(); i++) {
                    BiConsumer<byte[], Stat> handler = handlers.get(i);
                    String nodePath = ops.get(i).getPath();
                    if (results.get(i) instanceof OpResult.GetDataResult data) {
                        apply(KeeperException.Code.OK, nodePath, data.getStat(),
                                () -> handler.accept(data.getData(), data.getStat()));
                    } else if (results.get(i) instanceof OpResult.ErrorResult error) {
                        apply(KeeperException.Code.get(error.getErr()), nodePath, null, () -> handler.accept(null, null));
                    }
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            } finally {
                inFlight.release();
            }
        }, null);
    }

    private void list(String path, java.util.function.Consumer<List<String>> onChildren) throws Exception {
        inFlight.acquire();
        client.getChildren().inBackground((c, event) -> complete(event,
                () -> onChildren.accept(new ArrayList<>(event.getChildren())))).forPath(path);
    }

    private void complete(CuratorEvent event, Runnable onOk) {
        try {
            apply(KeeperException.Code.get(event.getResultCode()), event.getPath(), event.getStat(), onOk);
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            inFlight.release();
        }
    }

    private void apply(KeeperException.Code code, String path, Stat stat, Runnable onOk) {
        // an entity whose ACL keeps Kook out is shown as unreadable (never written over) rather than failing
        // every load: one foreign ACL must not keep a replica from ever becoming ready
        boolean lockedOut = code == KeeperException.Code.NOAUTH && isEntity(path);
        if (code == KeeperException.Code.OK || lockedOut) {
            synchronized (state) {
                note(stat);
                onOk.run();
            }
        } else if (code != KeeperException.Code.NONODE) {
            failure.compareAndSet(null, KeeperException.create(code, path));
        }
    }

    private boolean isEntity(String path) {
        ZkLayout.Node node = layout.parse(path);
        return node instanceof ZkLayout.HostNode || node instanceof ZkLayout.GroupNode;
    }

    /** {@code stat} is {@code null} when the read was refused (NOAUTH): unreadable, version unknown. */
    private static EntityCodec.Decoded decode(byte[] data, Stat stat) {
        return stat == null ? new EntityCodec.Decoded(tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                false) : EntityCodec.read(data);
    }

    private static int version(Stat stat) {
        return stat == null ? -1 : stat.getVersion();
    }

    private static long czxid(Stat stat) {
        return stat == null ? 0 : stat.getCzxid();
    }

    private void note(Stat stat) {
        if (stat != null) {
            maxZxid.accumulateAndGet(Math.max(stat.getMzxid(), stat.getPzxid()), Math::max);
        }
    }
}
