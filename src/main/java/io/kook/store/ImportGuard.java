package io.kook.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The data of the import guard node ({@link ZkLayout#importGuard()}) and the rules for reading it.
 *
 * <ul>
 * <li>{@code {}} (or {@code {"closed":"<id>"}}, written by the last batch of import {@code id}): closed.</li>
 * <li>{@code {"open":"<id>","leaseMs":N,"batch":k}}: import {@code id} is running and has committed {@code k}
 * batches. While it is open the mirror publishes nothing (readers keep the state from before the import) and
 * every other write fails its version check on the guard.</li>
 * </ul>
 *
 * <p>Every step of an import (opening, each batch, the close) sets the guard with the version the previous step
 * left, so the guard's version moves with every step: that is the lease renewal, and it fences an importer
 * whose guard was closed as abandoned (its next step fails on the version). There is no deadline in the data
 * and nobody compares times across machines: a replica judges an open guard abandoned when it has seen the
 * <em>same</em> version for longer than {@code leaseMs} of its own monotonic clock ({@link GuardWatch}). A
 * replica whose wall clock is wrong therefore judges exactly like one whose clock is right.
 */
public final class ImportGuard {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Lease assumed for a guard written by an older Kook ({@code {"open":..,"until":..}}). */
    static final long LEGACY_LEASE_MS = 60_000;

    private ImportGuard() {
    }

    /**
     * What an open guard says; {@link #CLOSED} when no import runs.
     *
     * @param importer the running import's id, {@code null} when closed
     * @param leaseMs  how long the importer may leave the guard unchanged before it counts as abandoned
     * @param batch    how many batches the import has committed
     */
    public record Lease(String importer, long leaseMs, int batch) {

        public static final Lease CLOSED = new Lease(null, 0, 0);

        public boolean open() {
            return importer != null;
        }
    }

    /** Data of an open guard: import {@code id}, its lease, and the batches it has committed so far. */
    public static byte[] open(String id, long leaseMs, int batch) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("open", id);
        doc.put("leaseMs", leaseMs);
        doc.put("batch", batch);
        return JSON.writeValueAsBytes(doc);
    }

    /** Data of a closed guard. */
    public static byte[] closed() {
        return "{}".getBytes(StandardCharsets.UTF_8);
    }

    /** Data of a guard closed by the last batch of import {@code id}, so a lost answer can be settled. */
    public static byte[] closedBy(String id) {
        return ("{\"closed\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The guard's data after batch {@code committed} (1-based) of {@code batches}: open with the count, or closed by
     * this import after the last one.
     */
    static byte[] afterBatch(String id, long leaseMs, int committed, int batches) {
        return committed == batches ? closedBy(id) : open(id, leaseMs, committed);
    }

    /** Reads the guard's data; unreadable or foreign data counts as closed, as it always has. */
    public static Lease parse(byte[] data) {
        if (data == null || data.length < 3) {
            return Lease.CLOSED;
        }
        try {
            JsonNode doc = JSON.readTree(data);
            JsonNode open = doc.get("open");
            if (open == null || !open.isString()) {
                return Lease.CLOSED;
            }
            JsonNode lease = doc.get("leaseMs");
            JsonNode batch = doc.get("batch");
            return new Lease(open.asString(), lease != null && lease.isNumber() ? lease.asLong() : LEGACY_LEASE_MS,
                    batch != null && batch.isNumber() ? batch.asInt() : 0);
        } catch (RuntimeException e) {
            return Lease.CLOSED;
        }
    }

    /** What the guard, read after a lost answer, says about the step that was sent. */
    public enum Settled {
        /** The step committed: the guard holds exactly its data at the next version. */
        APPLIED,
        /** The step did not commit: the guard is unchanged and still this import's; send it again. */
        NOT_APPLIED,
        /** Someone else moved the guard (it was closed as abandoned, or another import opened): stop. */
        LOST
    }

    /**
     * Settles a step whose answer was lost. A step sets the guard from {@code expectedVersion} to
     * {@code sentData} in the same multi as its other ops, so the guard alone tells whether it applied.
     *
     * @param before the data the guard held before the step ({@code null} when that is unknown or irrelevant,
     *               e.g. for the opening step, where any data at {@code expectedVersion} means "not applied")
     */
    public static Settled settle(int expectedVersion, byte[] before, byte[] sentData, int actualVersion, byte[] actualData) {
        if (actualVersion == expectedVersion + 1 && Arrays.equals(actualData, sentData)) {
            return Settled.APPLIED;
        }
        if (actualVersion == expectedVersion && (before == null || Arrays.equals(actualData, before))) {
            return Settled.NOT_APPLIED;
        }
        return Settled.LOST;
    }
}
