package io.kook.registry;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.kook.KookProperties;
import io.kook.inventory.KookException;
import io.kook.inventory.Names;
import io.kook.inventory.Registration;
import io.kook.inventory.Snapshot;
import io.kook.mirror.Mirror;
import io.kook.store.RegistrationCodec;
import io.kook.store.ZkLayout;
import io.kook.zookeeper.ZooKeeperConnection;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * HTTP registrations with a TTL (Consul-style, for clients that cannot hold a ZooKeeper session). A
 * registration is a persistent znode whose expiry is its ZooKeeper mtime plus the TTL, so it lapses on time
 * whichever replica accepted it and whether or not that replica lives: readers skip lapsed ones, and every
 * replica's reaper deletes them (version-checked, so a renewal racing the reaper wins).
 */
public final class Registry {

    private static final Logger log = LoggerFactory.getLogger(Registry.class);

    /** A committed registration and the revision it is visible at. */
    public record Registered(long revision, boolean created) {
    }

    private final CuratorFramework client;
    private final ZkLayout layout;
    private final Mirror mirror;
    private final ZooKeeperConnection connection;
    private final KookProperties.Services settings;

    public Registry(CuratorFramework client, ZkLayout layout, Mirror mirror, ZooKeeperConnection connection,
                    KookProperties.Services settings) {
        this.client = client;
        this.layout = layout;
        this.mirror = mirror;
        this.connection = connection;
        this.settings = settings;
    }

    public static void requireServiceName(String service) {
        String problem = Names.groupNameProblem("service_" + service);
        if (problem != null || service.isEmpty() || service.length() > 200) {
            throw KookException.invalid("service", "service names are 1-200 characters of A-Z a-z 0-9 _ . -");
        }
    }

    /** Parses {@code host:port} (the host may be an IPv6 literal). */
    public static String[] parseInstance(String instance) {
        int colon = instance.lastIndexOf(':');
        if (colon <= 0) {
            throw KookException.invalid("instance", "must be host:port");
        }
        String host = instance.substring(0, colon);
        Names.requireHost("host", host);
        try {
            int port = Integer.parseInt(instance.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new String[]{host, Integer.toString(port)};
        } catch (NumberFormatException e) {
            throw KookException.invalid("port", "must be 1-65535");
        }
    }

    public Duration ttl(Duration requested) {
        Duration ttl = requested == null ? settings.defaultTtl() : requested;
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(settings.maxTtl()) > 0) {
            throw KookException.invalid("ttl", "must be between 1s and " + settings.maxTtl());
        }
        return ttl;
    }

    /** Registers or renews {@code host:port} of {@code service} for {@code ttl}. */
    public Registered register(String service, String instance, Duration ttl, ObjectNode metadata) {
        connection.require("registrations");
        String path = layout.registration(service, instance);
        byte[] data = RegistrationCodec.encode(metadata, ttl.toMillis(), "http");
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                ensureContainer(service);
                boolean exists = client.checkExists().forPath(path) != null;
                Op write = exists ? Op.setData(path, data, -1)
                        : Op.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                List<OpResult> results = client.getZookeeperClient().getZooKeeper().multi(List.of(write, marker()));
                long zxid = ((OpResult.SetDataResult) results.get(1)).getStat().getMzxid();
                return new Registered(zxid, !exists);
            } catch (KeeperException.NodeExistsException | KeeperException.NoNodeException raced) {
                // created or reaped (or its container collected) meanwhile: look again
            } catch (KeeperException.ConnectionLossException e) {
                throw new KookException.OutcomeUnknown("the connection was lost while registering; repeat the PUT");
            } catch (Exception e) {
                throw new KookException.Unavailable("ZooKeeper refused the registration: " + e.getMessage());
            }
        }
        throw new KookException.Unavailable("the registration kept racing other changes; repeat the PUT");
    }

    /** Removes a registration; idempotent. */
    public long deregister(String service, String instance) {
        connection.require("registrations");
        try {
            List<OpResult> results = client.getZookeeperClient().getZooKeeper()
                    .multi(List.of(Op.delete(layout.registration(service, instance), -1), marker()));
            return ((OpResult.SetDataResult) results.get(1)).getStat().getMzxid();
        } catch (KeeperException.NoNodeException gone) {
            return mirror.snapshot().revision();
        } catch (Exception e) {
            throw new KookException.Unavailable("ZooKeeper refused the deregistration: " + e.getMessage());
        }
    }

    /** Deletes lapsed HTTP registrations; run periodically by every replica. */
    public void reap() {
        if (!connection.connected()) {
            return;
        }
        Snapshot snapshot = mirror.snapshot();
        long now = System.currentTimeMillis();
        for (List<Registration> instances : snapshot.services().values()) {
            for (Registration r : instances) {
                if (!r.liveAt(now)) {
                    try {
                        client.getZookeeperClient().getZooKeeper().multi(List.of(
                                Op.delete(layout.registration(r.service(), r.instance()), r.version()), marker()));
                        log.info("op=registration.expire service={} instance={}", r.service(), r.instance());
                    } catch (KeeperException.BadVersionException | KeeperException.NoNodeException raced) {
                        // renewed or reaped by another replica
                    } catch (Exception e) {
                        log.debug("op=registration.reap outcome=failed reason=\"{}\"", e.toString());
                    }
                }
            }
        }
    }

    private Op marker() {
        return Op.setData(layout.commit(), ZkLayout.commitMarker(UUID.randomUUID().toString()), -1);
    }

    private void ensureContainer(String service) throws Exception {
        if (client.checkExists().forPath(layout.service(service)) == null) {
            try {
                client.create().creatingParentContainersIfNeeded().withMode(CreateMode.CONTAINER)
                        .forPath(layout.service(service));
            } catch (KeeperException.NodeExistsException raced) {
                // another registration created it
            }
        }
    }
}
