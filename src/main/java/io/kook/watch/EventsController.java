package io.kook.watch;

import io.kook.inventory.KookException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code GET /events}: a server-sent event stream of inventory changes, resumable by revision. */
@RestController
@Tag(name = "watch", description = "Change notifications")
class EventsController {

    private final EventHub hub;

    EventsController(EventHub hub) {
        this.hub = hub;
    }

    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Stream inventory changes (server-sent events)",
            description = "One `change` event per revision: id is the revision, data {revision, changes:[{entity, name, kind}]}"
                    + " (entity host, group or registration; a registration's expiry is its deletion)."
                    + " Ids are revisions, valid on every replica and across restarts. Resume with Last-Event-ID (or"
                    + " ?lastEventId=); a `reset` event (id: the revision to resume from) means this replica cannot replay"
                    + " exactly what followed that revision (outside the retained window, or from before this process"
                    + " started or last re-read the inventory), or that the client fell too far behind and its stream"
                    + " ends; the client should re-read everything.",
            responses = {@ApiResponse(responseCode = "200", description = "The event stream (text/event-stream)"),
                    @ApiResponse(responseCode = "400", description = "invalid: Last-Event-ID is not a revision")})
    SseEmitter events(@Parameter(description = "Resume after this event id (a revision); browsers send it when they"
                              + " reconnect") @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
                      @Parameter(description = "Same as Last-Event-ID, for clients that cannot set headers (the header"
                              + " wins)") @RequestParam(name = "lastEventId", required = false) String lastEventIdParam) {
        String raw = lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam;
        Long lastEventId = null;
        if (raw != null && !raw.isBlank()) {
            try {
                lastEventId = Long.parseLong(raw.trim());
            } catch (NumberFormatException e) {
                throw KookException.invalid("Last-Event-ID", "must be a revision from a previous event's id");
            }
        }
        SseEmitter emitter = new SseEmitter(0L);
        hub.subscribe(emitter, lastEventId);
        return emitter;
    }
}
