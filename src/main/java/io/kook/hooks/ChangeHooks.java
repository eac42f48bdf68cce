package io.kook.hooks;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.kook.KookProperties;
import io.kook.ansible.InventoryRenderer;
import io.kook.inventory.Snapshot;
import io.kook.mirror.Mirror;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the configured hooks when the inventory changes, on exactly one replica: the one Curator's
 * {@link LeaderLatch} elects. A change starts a debounce; when it ends, the leader hashes the canonical inventory
 * (SHA-256 of the {@code --list} bytes) and compares it with the digest of the last run, kept in ZooKeeper at
 * {@code <root>/hooks/state}: an unchanged inventory fires nothing. Before running, the leader claims the run
 * with a version-checked write of that node, so a deposed leader cannot fire the same digest again; a new
 * leader re-checks at once, so a change pending at failover still fires, once.
 */
public final class ChangeHooks implements Closeable, LeaderLatchListener {

    private static final Logger log = LoggerFactory.getLogger(ChangeHooks.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CuratorFramework client;
    private final Mirror mirror;
    private final KookProperties.Hooks settings;
    private final HookRunner runner;
    private final String statePath;
    private final LeaderLatch latch;
    private final ScheduledExecutorService executor;
    private volatile boolean leader;
    private ScheduledFuture<?> debounce;

    public ChangeHooks(CuratorFramework client, Mirror mirror, String root, String replicaId, KookProperties.Hooks settings) {
        this.client = client;
        this.mirror = mirror;
        this.settings = settings;
        this.runner = new HookRunner(settings);
        String base = (root.equals("/") ? "" : root) + "/hooks";
        this.statePath = base + "/state";
        this.latch = new LeaderLatch(client, base + "/leader", replicaId);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kook-hooks");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() throws Exception {
        if (!runner.hasHooks()) {
            return;
        }
        latch.addListener(this, executor);
        latch.start();
        mirror.onPublish(published -> executor.execute(this::changed));
    }

    public boolean leader() {
        return leader;
    }

    @Override
    public void isLeader() {
        leader = true;
        log.info("op=hooks.leader state=elected");
        changed();
    }

    @Override
    public void notLeader() {
        leader = false;
        if (debounce != null) {
            debounce.cancel(false);
        }
        log.info("op=hooks.leader state=deposed");
    }

    private void changed() {
        if (!leader) {
            return;
        }
        if (debounce != null) {
            debounce.cancel(false);
        }
        debounce = executor.schedule(this::fire, settings.debounce().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void fire() {
        if (!leader || !mirror.primed()) {
            return;
        }
        try {
            Snapshot snapshot = mirror.snapshot();
            String digest = sha256(InventoryRenderer.of(snapshot).json());
            Stat stat = new Stat();
            JsonNode last = readState(stat);
            // a run left "running" by another replica means that leader died mid-run: run it again (at least once)
            if (digest.equals(last.path("digest").asString("")) && !"running".equals(last.path("status").asString(""))) {
                return;
            }
            long from = last.path("toRevision").asLong(0);
            ObjectNode run = JsonNodeFactory.instance.objectNode();
            run.put("digest", digest).put("fromRevision", from).put("toRevision", snapshot.revision())
                    .put("startedAt", Instant.now().toString()).put("status", "running")
                    .put("replica", latch.getId());
            client.setData().withVersion(stat.getVersion()).forPath(statePath, JSON.writeValueAsBytes(run));
            String payload = JSON.writeValueAsString(JsonNodeFactory.instance.objectNode().put("digest", digest)
                    .put("fromRevision", from).put("toRevision", snapshot.revision()));
            List<HookRunner.Result> results = runner.run(payload, Map.of("KOOK_DIGEST", digest,
                    "KOOK_REVISION", Long.toString(snapshot.revision()), "KOOK_FROM_REVISION", Long.toString(from)));
            ArrayNode hooks = run.putArray("hooks");
            boolean ok = true;
            for (HookRunner.Result r : results) {
                ObjectNode h = hooks.addObject().put("name", r.name()).put("status", r.status()).put("attempts", r.attempts());
                if (r.error() != null) {
                    h.put("error", r.error());
                }
                ok &= r.status().equals("ok");
            }
            run.put("status", ok ? "ok" : "failed").put("finishedAt", Instant.now().toString());
            client.setData().forPath(statePath, JSON.writeValueAsBytes(run));
            log.info("op=hooks.run digest={} fromRevision={} toRevision={} outcome={}", digest, from,
                    snapshot.revision(), ok ? "ok" : "failed");
        } catch (KeeperException.BadVersionException raced) {
            log.info("op=hooks.run outcome=skipped reason=\"another replica claimed this run\"");
        } catch (Exception e) {
            log.warn("op=hooks.run outcome=error reason=\"{}\"; retrying after the debounce", e.toString());
            changed();
        }
    }

    /** The last run as stored in ZooKeeper ({@code {}} before the first); reads only. */
    public JsonNode lastRun() throws Exception {
        try {
            byte[] data = client.getData().forPath(statePath);
            return data == null || data.length == 0 ? JsonNodeFactory.instance.objectNode() : JSON.readTree(data);
        } catch (KeeperException.NoNodeException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }

    /** How many hooks this replica would run when elected. */
    public int configured() {
        return settings.webhooks().size() + (settings.commandsEnabled() ? settings.commands().size() : 0);
    }

    private JsonNode readState(Stat stat) throws Exception {
        try {
            byte[] data = client.getData().storingStatIn(stat).forPath(statePath);
            return data == null || data.length == 0 ? JsonNodeFactory.instance.objectNode() : JSON.readTree(data);
        } catch (KeeperException.NoNodeException e) {
            try {
                client.create().creatingParentsIfNeeded().forPath(statePath, new byte[0]);
            } catch (KeeperException.NodeExistsException raced) {
                // created by another replica
            }
            return readState(stat);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (latch.getState() == LeaderLatch.State.STARTED) {
                latch.close();
            }
        } catch (Exception e) {
            log.debug("op=hooks.close outcome=failed reason=\"{}\"", e.toString());
        }
    }
}
