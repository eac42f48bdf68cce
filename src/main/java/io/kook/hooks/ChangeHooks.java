package io.kook.hooks;

import java.io.Closeable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.kook.KookProperties;
import io.kook.ansible.InventoryRenderer;
import io.kook.inventory.Snapshot;
import io.kook.mirror.Mirror;
import io.kook.web.Payload;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
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
 * {@code <root>/hooks/state} ({@link HookState}): an unchanged inventory whose run succeeded fires nothing.
 *
 * <p>A run is claimed and finished with fenced writes: each names the state's version read when the run began and
 * this replica's latch node, so a leader deposed while its hooks ran (its POST answered late) cannot overwrite
 * its successor's state, and leadership is checked again before the final write. A new leader re-checks at
 * once, so a change pending at failover still fires, once; a run left {@code running} by a dead leader runs again.
 *
 * <p>A run whose hooks failed (after {@code maxAttempts} tries each) is retried, only for the hooks that failed,
 * with exponential backoff from {@code backoff} up to {@code maxBackoff}, until it succeeds or a newer inventory
 * supersedes it; no new change is needed.
 */
public final class ChangeHooks implements Closeable, LeaderLatchListener {

    private static final Logger log = LoggerFactory.getLogger(ChangeHooks.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Mirror mirror;
    private final KookProperties.Hooks settings;
    private final HookRunner runner;
    private final HookState state;
    private final LeaderLatch latch;
    private final ScheduledExecutorService executor;
    private volatile boolean leader;
    private volatile String lastOutcome = "none";
    // confined to the executor thread
    private ScheduledFuture<?> next;
    private String failedDigest;
    private int failedRuns;
    private long retryAt;

    ChangeHooks(CuratorFramework client, Mirror mirror, String root, String replicaId, KookProperties.Hooks settings,
                HookMetrics metrics) {
        this.mirror = mirror;
        this.settings = settings;
        this.runner = new HookRunner(settings, metrics);
        String base = (root.equals("/") ? "" : root) + "/hooks";
        this.state = new HookState(client, base + "/state");
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

    /** How this replica's last attempt to run hooks ended (ok, failed, unchanged, deposed, superseded, error). */
    String lastOutcome() {
        return lastOutcome;
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
        if (next != null) {
            next.cancel(false);
        }
        failedDigest = null;
        failedRuns = 0;
        log.info("op=hooks.leader state=deposed");
    }

    private void changed() {
        if (leader) {
            scheduleFire(settings.debounce().toMillis());
        }
    }

    private void scheduleFire(long delayMillis) {
        if (next != null) {
            next.cancel(false);
        }
        next = executor.schedule(this::fire, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void fire() {
        // the latch's own view, not the flag: notLeader may still be queued behind this task
        if (!latch.hasLeadership() || !mirror.primed()) {
            return;
        }
        String latchPath = latch.getOurPath();
        try {
            Snapshot snapshot = mirror.snapshot();
            String digest = sha256(InventoryRenderer.of(snapshot).json());
            HookState.Read last = state.read();
            String status = last.run().path("status").asString("");
            boolean sameDigest = digest.equals(last.run().path("digest").asString(""));
            if (sameDigest && "ok".equals(status)) {
                outcome("unchanged");
                return;
            }
            if (!digest.equals(failedDigest)) {
                failedDigest = null;
                failedRuns = 0;
            } else if (System.nanoTime() < retryAt) {
                scheduleFire(TimeUnit.NANOSECONDS.toMillis(retryAt - System.nanoTime()) + 1);
                return;
            }
            run(snapshot, digest, last, sameDigest, latchPath);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            outcome("error");
            log.warn("op=hooks.run outcome=error reason=\"{}\"; retrying after the debounce", e.toString());
            changed();
        }
    }

    private void run(Snapshot snapshot, String digest, HookState.Read last, boolean sameDigest, String latchPath)
            throws Exception {
        // after a run that did not succeed, its receivers still have to hear of the changes it carried
        long from = "ok".equals(last.run().path("status").asString(""))
                ? last.run().path("toRevision").asLong(0)
                : last.run().path("fromRevision").asLong(last.run().path("toRevision").asLong(0));
        Map<String, JsonNode> succeeded = sameDigest ? succeededHooks(last.run()) : Map.of();
        ObjectNode run = JsonNodeFactory.instance.objectNode();
        run.put("runId", UUID.randomUUID().toString()).put("digest", digest).put("fromRevision", from)
                .put("toRevision", snapshot.revision()).put("startedAt", Instant.now().toString())
                .put("status", "running").put("replica", latch.getId());
        OptionalInt claimed = state.write(last.version(), latchPath, run);
        if (claimed.isEmpty()) {
            outcome("superseded");
            log.info("op=hooks.run outcome=skipped reason=\"leadership moved or another run claimed the state\"");
            changed(); // if this replica still leads, a fresh read decides again
            return;
        }
        String payload = JSON.writeValueAsString(JsonNodeFactory.instance.objectNode().put("digest", digest)
                .put("fromRevision", from).put("toRevision", snapshot.revision()));
        List<HookRunner.Result> results = runner.run(payload, Map.of("KOOK_DIGEST", digest,
                "KOOK_REVISION", Long.toString(snapshot.revision()), "KOOK_FROM_REVISION", Long.toString(from)),
                succeeded.keySet());
        ArrayNode hooks = run.putArray("hooks");
        boolean ok = true;
        for (HookRunner.Result r : results) {
            if (r.skipped()) {
                hooks.add(succeeded.get(r.name()));
                continue;
            }
            ObjectNode h = hooks.addObject().put("name", r.name()).put("status", r.status()).put("attempts", r.attempts());
            if (r.error() != null) {
                h.put("error", r.error());
            }
            ok &= r.status().equals("ok");
        }
        run.put("status", ok ? "ok" : "failed").put("finishedAt", Instant.now().toString());
        if (!latch.hasLeadership() || state.write(claimed.getAsInt(), latchPath, run).isEmpty()) {
            outcome("deposed");
            log.info("op=hooks.run digest={} outcome=deposed reason=\"leadership moved while the hooks ran; the new"
                    + " leader's state stands\"", digest);
            return;
        }
        outcome(ok ? "ok" : "failed");
        log.info("op=hooks.run digest={} fromRevision={} toRevision={} outcome={}", digest, from,
                snapshot.revision(), ok ? "ok" : "failed");
        if (!ok) {
            failedDigest = digest;
            failedRuns++;
            long delay = retryDelayMillis(settings, failedRuns);
            retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
            log.info("op=hooks.retry digest={} failedRuns={} inMs={}", digest, failedRuns, delay);
            scheduleFire(delay);
        }
    }

    /** {@code backoff} doubled once per failed run, at most {@code maxBackoff}. */
    static long retryDelayMillis(KookProperties.Hooks settings, int failedRuns) {
        long max = settings.maxBackoff().toMillis();
        long delay = Math.max(1, settings.backoff().toMillis());
        for (int i = 0; i < failedRuns && delay < max; i++) {
            delay *= 2;
        }
        return Math.min(delay, max);
    }

    private static Map<String, JsonNode> succeededHooks(JsonNode run) {
        Map<String, JsonNode> ok = new HashMap<>();
        for (JsonNode hook : run.path("hooks")) {
            if ("ok".equals(hook.path("status").asString(""))) {
                ok.put(hook.path("name").asString(""), hook);
            }
        }
        return ok;
    }

    private void outcome(String outcome) {
        lastOutcome = outcome;
    }

    /** The last run as stored in ZooKeeper ({@code {}} before the first); reads only. */
    public JsonNode lastRun() throws Exception {
        return state.peek();
    }

    /** How many hooks this replica would run when elected. */
    public int configured() {
        return settings.webhooks().size() + (settings.commandsEnabled() ? settings.commands().size() : 0);
    }

    static String sha256(Payload payload) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            payload.parts().forEach(digest::update);
            return HexFormat.of().formatHex(digest.digest());
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
