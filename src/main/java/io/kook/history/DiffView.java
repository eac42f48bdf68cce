package io.kook.history;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.Snapshot;
import io.swagger.v3.oas.annotations.media.Schema;

/** The answer of {@code GET /changes/diff}: each host or group whose object differs, with both objects. */
@Schema(name = "ChangeDiff")
record DiffView(long from, long to, List<EntryView> entities) {

    /** One entity that differs; {@code before}/{@code after} are its objects as {@code GET ?atRevision=} shows them. */
    @Schema(name = "ChangeDiffEntry")
    record EntryView(@Schema(allowableValues = {"host", "group"}) String entity, String name,
                     @Schema(allowableValues = {"created", "updated", "deleted"}) String kind,
                     @Schema(description = "The object at `from`, null where absent") Map<String, Object> before,
                     @Schema(description = "The object at `to`, null where absent") Map<String, Object> after) {
    }

    static DiffView of(long from, long to, List<Diff.Entry> entries, Snapshot atFrom, Snapshot atTo) {
        return new DiffView(from, to, entries.stream().map(e -> new EntryView(e.entity().wire(), e.name(),
                e.kind().wire(), object(e.before(), atFrom), object(e.after(), atTo))).toList());
    }

    /** The host or group object of the contract; {@code all} as {@code GET /groups/all} shows it. */
    private static Map<String, Object> object(Object entity, Snapshot snapshot) {
        Map<String, Object> object = new LinkedHashMap<>();
        if (entity instanceof Host host) {
            object.put("name", host.name());
            object.put("vars", host.vars());
            object.put("groups", host.groups());
            object.put("version", host.version());
        } else if (entity instanceof Group stored) {
            Group group = snapshot.group(stored.name()) != null ? snapshot.group(stored.name()) : stored;
            object.put("name", group.name());
            object.put("vars", group.vars());
            object.put("hosts", group.hosts());
            object.put("children", group.children());
            object.put("parents", group.parents());
            object.put("version", group.version());
        } else {
            return null;
        }
        return object;
    }
}
