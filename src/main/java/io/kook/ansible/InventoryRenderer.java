package io.kook.ansible;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.Names;
import io.kook.inventory.Snapshot;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a snapshot as the JSON an inventory script prints for {@code --list}: group vars stay on groups,
 * {@code _meta.hostvars} holds each host's own vars (so Ansible never calls {@code --host}), every group has a
 * {@code hosts} list (an empty group is {@code {"hosts":[]}}, never {@code {}}, which Ansible would read as a
 * host), and {@code all} names the top-level groups and {@code ungrouped}. Output is sorted and so
 * byte-for-byte stable per revision.
 */
public final class InventoryRenderer {

    /** The rendered bytes of one revision, plain and gzipped, kept with the snapshot. */
    public record Rendered(long revision, byte[] json, byte[] gzip) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Object KEY = new Object();

    private InventoryRenderer() {
    }

    private record Key(boolean includeUnknownHosts) {
    }

    /**
     * Renders once per snapshot; later calls return the same bytes. Registrations appear as {@code service_*}
     * groups (see {@link DynamicGroups}); one whose TTL lapses drops out when the reaper deletes it.
     */
    public static Rendered of(Snapshot snapshot, boolean includeUnknownHosts) {
        return snapshot.memo(new Key(includeUnknownHosts), s -> {
            byte[] json = render(s, dynamic(s, includeUnknownHosts));
            return new Rendered(s.revision(), json, gzip(json));
        });
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

    static byte[] render(Snapshot s) {
        return render(s, new DynamicGroups(Map.of(), Map.of()));
    }

    static byte[] render(Snapshot s, DynamicGroups dynamic) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024 + s.hostCount() * 256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeName("_meta");
            g.writeStartObject();
            g.writeName("hostvars");
            g.writeStartObject();
            Set<String> written = new HashSet<>();
            for (String name : s.hostNames()) {
                Host host = s.host(name);
                g.writeName(name);
                g.writePOJO(DynamicGroups.withDynamicVars(host.vars(), dynamic.hostVars().get(name)));
                written.add(name);
            }
            for (Map.Entry<String, Map<String, Integer>> e : dynamic.hostVars().entrySet()) {
                if (!written.contains(e.getKey())) {
                    g.writeName(e.getKey());
                    g.writePOJO(e.getValue());
                }
            }
            g.writeEndObject();
            g.writeEndObject();

            Group all = s.group(Names.ALL);
            g.writeName(Names.ALL);
            g.writeStartObject();
            g.writeName("children");
            g.writeStartArray();
            for (String child : s.topLevelGroups()) {
                g.writeString(child);
            }
            for (String child : dynamic.groups().keySet()) {
                g.writeString(child);
            }
            g.writeString(Names.UNGROUPED);
            g.writeEndArray();
            if (!all.vars().isEmpty()) {
                g.writeName("vars");
                g.writePOJO(all.vars());
            }
            g.writeEndObject();

            g.writeName(Names.UNGROUPED);
            g.writeStartObject();
            names(g, "hosts", s.ungrouped());
            g.writeEndObject();

            for (String name : s.ordinaryGroupNames()) {
                Group group = s.storedGroup(name);
                g.writeName(name);
                g.writeStartObject();
                names(g, "hosts", group.hosts());
                if (!group.vars().isEmpty()) {
                    g.writeName("vars");
                    g.writePOJO(group.vars());
                }
                if (!group.children().isEmpty()) {
                    names(g, "children", group.children());
                }
                g.writeEndObject();
            }
            for (Map.Entry<String, List<String>> e : dynamic.groups().entrySet()) {
                g.writeName(e.getKey());
                g.writeStartObject();
                names(g, "hosts", e.getValue());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void names(JsonGenerator g, String field, List<String> names) {
        g.writeName(field);
        g.writeStartArray();
        for (String n : names) {
            g.writeString(n);
        }
        g.writeEndArray();
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
