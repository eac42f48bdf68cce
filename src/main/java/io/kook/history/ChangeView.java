package io.kook.history;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The change object of the contract. {@code part} and {@code parts} appear only on the records of a write too large
 * for one ZooKeeper request (a batched import), one record per request, all with the write's request id.
 */
@Schema(name = "Change")
record ChangeView(long revision, @Schema(description = "ZooKeeper's time of the write, RFC 3339") String time,
                  @Schema(description = "Name of the token that wrote") String actor,
                  @Schema(description = "X-Kook-Reason of the write, or null") String reason,
                  String requestId, @Schema(example = "host.put") String op, List<EntityView> entities,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Integer part,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Integer parts) {

    /** A host or group the change created, updated (vars or edges) or deleted. */
    @Schema(name = "ChangedEntity")
    record EntityView(@Schema(allowableValues = {"host", "group"}) String entity, String name,
                      @Schema(allowableValues = {"created", "updated", "deleted"}) String kind) {
    }

    static ChangeView of(ChangeRecord record) {
        List<EntityView> entities = record.entities().stream()
                .map(e -> new EntityView(e.entity().wire(), e.name(), e.kind().wire())).toList();
        boolean split = record.parts() > 1;
        return new ChangeView(record.revision(), record.time().toString(), record.actor(), record.reason(),
                record.requestId(), record.op(), entities, split ? record.part() : null, split ? record.parts() : null);
    }
}
