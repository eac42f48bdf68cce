package io.kook.registry;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.kook.KookProperties;
import io.kook.inventory.KookException;
import io.kook.security.Caller;
import io.kook.security.GroupScope;
import io.kook.security.Role;
import io.kook.inventory.Names;
import io.kook.inventory.Registration;
import io.kook.inventory.Snapshot;
import io.kook.mirror.Mirror;
import io.kook.store.RegistrationCodec;
import io.kook.store.WriteMetrics;
import io.kook.store.ZkLayout;
import io.kook.web.Problems;
import io.kook.zookeeper.ZooKeeperConnection;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * HTTP registrations with a TTL (Consul-style, for clients that cannot hold a ZooKeeper session).
 *
 * <p>A registration is two znodes. {@code <root>/inventory/services/<s>/<host:port>} holds what readers see
 * (metadata, TTL, source); {@code <root>/leases/<s>/<host:port>}, outside the watched subtree, is set on every
 * renewal, so its ZooKeeper mtime is the last renewal. A renewal that changes nothing visible only sets the
 * lease (and checks the registration's version): no commit marker, no mirror event, no new revision, no new
 * inventory ETag. Creates, visible changes, deregistrations and expiries write the registration node and the
 * commit marker like any other write, so they get a revision and an {@code /events} entry.
 *
 * <p>Expiry is judged by ZooKeeper's clock only: a reaper learns ZooKeeper's "now" from the mtime of a setData
 * on {@code <root>/clock} and deletes a registration whose lease mtime plus TTL lies before it, version-checked
 * on both nodes so that a renewal racing the reaper wins. The replica's wall clock plays no part, so a replica
 * whose clock runs fast cannot delete live registrations. Readers do not filter by time either: every
 * registration in a snapshot is live until its expiry is committed.
 */
public final class Registry {

    private static final Logger log = LoggerFactory.getLogger(Registry.class);
    private static final byte[] EMPTY = new byte[0];
    private static final long SKEW_WARN_MILLIS = 2_000;
    private static final long SKEW_WARN_EVERY_NANOS = Duration.ofMinutes(10).toNanos();

    /**
     * A committed registration and the revision it is visible at (for a renewal that changed nothing visible,
     * the revision of its last visible change).
     */
    public record Registered(long revision, boolean created) {
    }

    private final CuratorFramework client;
    private final ZkLayout layout;
    private final Mirror mirror;
    private final ZooKeeperConnection connection;
    private final KookProperties.Services settings;
    private final Clock clock;
    private final WriteMetrics writeMetrics;
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong reaped = new AtomicLong();

    // reaper state, guarded by this: the last lease mtime seen per registration path (a lower bound, since
    // renewals only move it forward), and the last ZooKeeper time read with the monotonic time it was read at
    private final Map<String, Long> renewedAt = new HashMap<>();
    private long zkNowMillis = Long.MIN_VALUE;
    private long zkNowReadAt;
    private long skewWarnedAt;
    private boolean skewWarned;

    /**
     * @param clock        this replica's wall clock; used only to report its skew from ZooKeeper's, never to expire
     * @param writeMetrics where registrations and deregistrations are timed, as ops {@code registration} and
     *                     {@code deregistration}
     */
    public Registry(CuratorFramework client, ZkLayout layout, Mirror mirror, ZooKeeperConnection connection,
                    KookProperties.Services settings, Clock clock, WriteMetrics writeMetrics) {
        this.writeMetrics = writeMetrics;
        this.client = client;
        this.layout = layout;
        this.mirror = mirror;
        this.connection = connection;
        this.settings = settings;
        this.clock = clock;
    }

    public static void requireServiceName(String service) {
        String problem = Names.groupNameProblem("service_" + service);
        if (problem != null || service.isEmpty() || service.length() > 200 || service.equals(".")
                || service.equals("..")) {
            throw KookException.invalid("service",
                    "service names are 1-200 characters of A-Z a-z 0-9 _ . -, and not '.' or '..'");
        }
    }

    /**
     * Parses {@code host:port} (the host may be an IPv6 literal). The port is written canonically (decimal, no sign,
     * no leading zero): {@code web01:080} would name the same instance as {@code web01:80} under another key, so
     * it is refused rather than stored twice.
     */
    public static String[] parseInstance(String instance) {
        int colon = instance.lastIndexOf(':');
        if (colon <= 0) {
            throw KookException.invalid("instance", "must be host:port");
        }
        String host = instance.substring(0, colon);
        Names.requireHost("host", host);
        String digits = instance.substring(colon + 1);
        if (!digits.matches("[1-9][0-9]{0,4}") || Integer.parseInt(digits) > 65535) {
            throw KookException.invalid("port", "must be 1-65535, written in decimal without a sign or leading zeros");
        }
        return new String[]{host, digits};
    }

    public Duration ttl(Duration requested) {
        Duration ttl = requested == null ? settings.defaultTtl() : requested;
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(settings.maxTtl()) > 0) {
            throw KookException.invalid("ttl", "must be between 1s and " + settings.maxTtl());
        }
        return ttl;
    }

    /**
     * Registers or renews {@code host:port} of {@code service} for {@code ttl}. A renewal whose metadata and TTL
     * are unchanged only renews the lease and commits no revision.
     */
    public Registered register(String service, String instance, Duration ttl, ObjectNode metadata) {
        return writeMetrics.timed("registration", System.nanoTime(),
                () -> registerUntimed(service, instance, ttl, metadata));
    }

    private Registered registerUntimed(String service, String instance, Duration ttl, ObjectNode metadata) {
        connection.require("registrations");
        GroupScope.requireHostInside(mirror.snapshot(), parseInstance(instance)[0]);
        String path = layout.registration(service, instance);
        String lease = layout.lease(service, instance);
        byte[] data = RegistrationCodec.encode(metadata, ttl.toMillis(), "http");
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                ensureContainers(service);
                ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
                Stat stat = new Stat();
                byte[] current = readOrNull(zk, path, stat);
                if (current != null) {
                    requireMayChange(stat, service, instance);
                }
                Op renew = zk.exists(lease, false) == null
                        ? Op.create(lease, EMPTY, layout.acl(lease), CreateMode.PERSISTENT)
                        : Op.setData(lease, EMPTY, -1);
                if (current == null) {
                    List<OpResult> results = zk.multi(List.of(
                            Op.create(path, data, layout.acl(path), CreateMode.PERSISTENT), renew, marker()));
                    return new Registered(markerZxid(results), true);
                }
                if (RegistrationCodec.sameContent(current, data)) {
                    zk.multi(List.of(Op.check(path, stat.getVersion()), renew));
                    return new Registered(stat.getMzxid(), false);
                }
                List<OpResult> results = zk.multi(List.of(Op.setData(path, data, stat.getVersion()), renew, marker()));
                return new Registered(markerZxid(results), false);
            } catch (KeeperException.NodeExistsException | KeeperException.NoNodeException
                     | KeeperException.BadVersionException raced) {
                // created, changed or reaped (or a container collected) meanwhile: look again
            } catch (KeeperException.ConnectionLossException e) {
                throw new KookException.OutcomeUnknown("the connection was lost while registering; repeat the PUT");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KookException.Unavailable("interrupted");
            } catch (KookException refused) {
                throw refused;
            } catch (Exception e) {
                log.warn("op=register service={} instance={} outcome=failed", service, instance, e);
                throw new KookException.Unavailable("ZooKeeper refused the registration (" + Problems.describe(e)
                        + "); nothing was registered");
            }
        }
        throw new KookException.Unavailable("the registration kept racing other changes; repeat the PUT");
    }

    /** An agent's registration (ephemeral, held by its session) is the agent's: over HTTP only an admin may touch it. */
    private static void requireMayChange(Stat stat, String service, String instance) {
        if (stat.getEphemeralOwner() != 0 && !Caller.current().has(Role.ADMIN)) {
            throw new KookException.Forbidden("the registration " + service + "/" + instance
                    + " is held by an agent; only an admin token may replace or remove it over HTTP");
        }
    }

    /** Removes a registration and its lease; idempotent. */
    public long deregister(String service, String instance) {
        return writeMetrics.timed("deregistration", System.nanoTime(), () -> deregisterUntimed(service, instance));
    }

    private long deregisterUntimed(String service, String instance) {
        connection.require("registrations");
        GroupScope.requireHostInside(mirror.snapshot(), parseInstance(instance)[0]);
        String path = layout.registration(service, instance);
        String lease = layout.lease(service, instance);
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
                Stat leaseStat = zk.exists(lease, false);
                Stat stat = zk.exists(path, false);
                if (stat != null) {
                    requireMayChange(stat, service, instance);
                }
                if (stat == null) {
                    if (leaseStat != null) {
                        deleteQuietly(zk, lease, leaseStat.getVersion());
                    }
                    return mirror.snapshot().revision();
                }
                List<Op> ops = new ArrayList<>();
                ops.add(Op.delete(path, -1));
                if (leaseStat != null) {
                    ops.add(Op.delete(lease, -1));
                }
                ops.add(marker());
                return markerZxid(zk.multi(ops));
            } catch (KeeperException.NoNodeException | KeeperException.NodeExistsException raced) {
                // deleted, reaped or renewed meanwhile: look again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KookException.Unavailable("interrupted");
            } catch (KookException refused) {
                throw refused;
            } catch (Exception e) {
                log.warn("op=deregister service={} instance={} outcome=failed", service, instance, e);
                throw new KookException.Unavailable("ZooKeeper refused the deregistration (" + Problems.describe(e)
                        + "); nothing was removed");
            }
        }
        throw new KookException.Unavailable("the deregistration kept racing other changes; repeat the DELETE");
    }

    /**
     * Deletes lapsed HTTP registrations, judged by ZooKeeper's time; run periodically by every replica. Skipped
     * while this replica is disconnected or its mirror is catching up (its snapshot may name registrations by
     * versions that are no longer current, or miss new ones).
     *
     * @return how many registrations this call deleted
     */
    public synchronized int reap() {
        if (!connection.connected() || mirror.catchingUp()) {
            return 0;
        }
        Snapshot snapshot = mirror.snapshot();
        List<Registration> timed = new ArrayList<>();
        for (List<Registration> instances : snapshot.services().values()) {
            for (Registration r : instances) {
                if (r.ttlMillis() != null) {
                    timed.add(r);
                }
            }
        }
        renewedAt.keySet().retainAll(timed.stream().map(r -> layout.registration(r.service(), r.instance())).toList());
        if (timed.isEmpty() || !anyMayHaveLapsed(timed)) {
            return 0;
        }
        int reaped = 0;
        try {
            long now = zooKeeperNow();
            ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
            for (Registration r : timed) {
                String path = layout.registration(r.service(), r.instance());
                Long known = renewedAt.get(path);
                if (known != null && known + r.ttlMillis() > now) {
                    continue;
                }
                String lease = layout.lease(r.service(), r.instance());
                Stat leaseStat = zk.exists(lease, false);
                // a registration written before leases existed: its own mtime is its last renewal
                Stat renewed = leaseStat != null ? leaseStat : zk.exists(path, false);
                if (renewed == null) {
                    continue;
                }
                renewedAt.put(path, renewed.getMtime());
                if (renewed.getMtime() + r.ttlMillis() > now) {
                    continue;
                }
                expired.incrementAndGet();
                List<Op> ops = new ArrayList<>();
                ops.add(Op.delete(path, r.version()));
                if (leaseStat != null) {
                    ops.add(Op.delete(lease, leaseStat.getVersion()));
                }
                ops.add(marker());
                try {
                    long revision = markerZxid(zk.multi(ops));
                    renewedAt.remove(path);
                    reaped++;
                    this.reaped.incrementAndGet();
                    log.info("op=registration.expire service={} instance={} revision={}", r.service(), r.instance(),
                            revision);
                } catch (KeeperException.BadVersionException | KeeperException.NoNodeException raced) {
                    // renewed, changed or reaped by another replica
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("op=registration.reap outcome=failed reason=\"{}\"", e.toString());
        }
        return reaped;
    }

    /**
     * HTTP registrations this replica's reaper found lapsed (TTL past by ZooKeeper's clock) since start, whether its
     * delete then won or another replica's did; for metrics.
     */
    public long expired() {
        return expired.get();
    }

    /** HTTP registrations this replica's reaper deleted since start; summed over replicas, every expiry once. */
    public long reaped() {
        return reaped.get();
    }

    /**
     * Whether any registration may have lapsed by the last ZooKeeper time read, advanced by this replica's
     * monotonic clock (a hint to skip the clock write when nothing is due; deletions always use a fresh read).
     */
    private boolean anyMayHaveLapsed(List<Registration> timed) {
        if (zkNowMillis == Long.MIN_VALUE) {
            return true;
        }
        long estimate = zkNowMillis + (System.nanoTime() - zkNowReadAt) / 1_000_000;
        for (Registration r : timed) {
            Long known = renewedAt.get(layout.registration(r.service(), r.instance()));
            if (known == null || known + r.ttlMillis() <= estimate) {
                return true;
            }
        }
        return false;
    }

    /** ZooKeeper's current time: the mtime of a setData on the clock node, outside the watched subtree. */
    long zooKeeperNow() throws Exception {
        Stat stat;
        try {
            stat = client.setData().forPath(layout.clock(), EMPTY);
        } catch (KeeperException.NoNodeException missing) {
            try {
                client.create().creatingParentsIfNeeded().forPath(layout.clock(), EMPTY);
            } catch (KeeperException.NodeExistsException raced) {
                // another replica created it
            }
            stat = client.setData().forPath(layout.clock(), EMPTY);
        }
        zkNowMillis = stat.getMtime();
        zkNowReadAt = System.nanoTime();
        reportSkew(clock.millis() - zkNowMillis);
        return zkNowMillis;
    }

    private void reportSkew(long skewMillis) {
        boolean skewed = Math.abs(skewMillis) > SKEW_WARN_MILLIS;
        if (skewed && (!skewWarned || System.nanoTime() - skewWarnedAt > SKEW_WARN_EVERY_NANOS)) {
            log.warn("op=clock.skew replicaMinusZooKeeperMs={} note=\"registrations expire by ZooKeeper's clock;"
                    + " this replica's clock is only reported\"", skewMillis);
            skewWarned = true;
            skewWarnedAt = System.nanoTime();
        } else if (!skewed && skewWarned) {
            log.info("op=clock.skew replicaMinusZooKeeperMs={} outcome=within-bounds", skewMillis);
            skewWarned = false;
        }
    }

    private Op marker() {
        return Op.setData(layout.commit(), ZkLayout.commitMarker(UUID.randomUUID().toString()), -1);
    }

    private static long markerZxid(List<OpResult> results) {
        return ((OpResult.SetDataResult) results.get(results.size() - 1)).getStat().getMzxid();
    }

    private static byte[] readOrNull(ZooKeeper zk, String path, Stat stat) throws KeeperException, InterruptedException {
        try {
            return zk.getData(path, false, stat);
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
    }

    private static void deleteQuietly(ZooKeeper zk, String path, int version) {
        try {
            zk.delete(path, version);
        } catch (Exception e) {
            log.debug("op=lease.delete path={} outcome=failed reason=\"{}\"", path, e.toString());
        }
    }

    private void ensureContainers(String service) throws Exception {
        ensureContainer(layout.service(service));
        ensureContainer(layout.leases() + "/" + service);
    }

    private void ensureContainer(String path) throws Exception {
        if (client.checkExists().forPath(path) == null) {
            try {
                client.create().creatingParentContainersIfNeeded().withMode(CreateMode.CONTAINER).forPath(path);
            } catch (KeeperException.NodeExistsException raced) {
                // another registration created it
            }
        }
    }
}
