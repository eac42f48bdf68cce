package io.kook.ansible;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import io.kook.inventory.Host;
import io.kook.inventory.Snapshot;
import io.kook.web.Payload;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a snapshot as the JSON an inventory script prints for {@code --list}: group vars stay on groups,
 * {@code _meta.hostvars} holds each host's own vars (so Ansible never calls {@code --host}), every group has a
 * {@code hosts} list (an empty group is {@code {"hosts":[]}}, never {@code {}}, which Ansible would read as a
 * host), and {@code all} names the top-level groups and {@code ungrouped}. Output is sorted and so
 * byte-for-byte stable per revision; a new revision's document is mostly the previous one's pieces
 * ({@link DocumentPieces}).
 */
public final class InventoryRenderer {

    /** The rendered document of one revision, plain and gzipped, kept with the snapshot. */
    public record Rendered(long revision, Payload json, Payload gzip) {
    }

    private InventoryRenderer() {
    }

    private record Key(boolean includeUnknownHosts) {
    }

    private record PiecesKey(boolean includeUnknownHosts) {
    }

    /**
     * Renders once per snapshot; later calls return the same bytes. Registrations appear as {@code service_*}
     * groups (see {@link DynamicGroups}); one whose TTL lapses drops out when the reaper deletes it.
     */
    public static Rendered of(Snapshot snapshot, boolean includeUnknownHosts) {
        return snapshot.memo(new Key(includeUnknownHosts), s -> s
                .lineage(new PiecesKey(includeUnknownHosts), DocumentPieces::new)
                .render(s, dynamic(s, includeUnknownHosts)));
    }

    /** {@link #of(Snapshot, boolean)} without registrations of unknown hosts. */
    public static Rendered of(Snapshot snapshot) {
        return of(snapshot, false);
    }

    /**
     * A host's vars as {@code --host} prints them: the same as its {@code _meta.hostvars} entry in {@link #of}
     * ({@code {}} for a host neither stored nor, when configured, registered).
     */
    public static ObjectNode hostVars(Snapshot snapshot, String name, boolean includeUnknownHosts) {
        Host host = snapshot.host(name);
        if (host == null && !includeUnknownHosts) {
            return JsonNodeFactory.instance.objectNode();
        }
        return DynamicGroups.withDynamicVars(host == null ? JsonNodeFactory.instance.objectNode() : host.vars(),
                dynamic(snapshot, includeUnknownHosts).hostVars().get(name));
    }

    private record DynamicKey(boolean includeUnknownHosts) {
    }

    /** The registrations' groups and vars, worked out once per snapshot for every reader of them. */
    private static DynamicGroups dynamic(Snapshot snapshot, boolean includeUnknownHosts) {
        return snapshot.memo(new DynamicKey(includeUnknownHosts), s -> DynamicGroups.of(s, includeUnknownHosts));
    }

    /**
     * The {@code service_<name>} groups Ansible sees beside the stored ones (group name to sorted host names), so
     * host patterns can match them as Ansible does.
     */
    public static Map<String, List<String>> dynamicGroups(Snapshot snapshot, boolean includeUnknownHosts) {
        return dynamic(snapshot, includeUnknownHosts).groups();
    }

    /** The plain document of {@code s} without registrations, rendered from nothing (benchmarks, tests). */
    static byte[] render(Snapshot s) {
        return new DocumentPieces().render(s, new DynamicGroups(Map.of(), Map.of())).json().toByteArray();
    }

    static byte[] gzip(byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
            gz.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
