package io.kook.history;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.kook.KookProperties;
import io.kook.inventory.KookException;
import io.kook.inventory.Snapshot;
import io.kook.mirror.Mirror;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.kook.web.ApiDocs;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.kook.web.WriteResponses;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** {@code /changes}: who changed what, when and why, read from the change records in ZooKeeper. */
@RestController
@RequestMapping(path = "/changes", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "history", description = "Change records of every write")
class HistoryController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    private final HistoryStore history;
    private final HistoryReads reads;
    private final Reverter reverter;
    private final Mirror mirror;
    private final Duration maxWait;

    private final WriteResponses writes;

    HistoryController(HistoryStore history, HistoryReads reads, Reverter reverter, Mirror mirror,
                      KookProperties properties, WriteResponses writes) {
        this.writes = writes;
        this.history = history;
        this.reads = reads;
        this.reverter = reverter;
        this.mirror = mirror;
        this.maxWait = properties.mirror().maxRevisionWait();
    }

    @GetMapping
    @Operation(summary = "Changes, newest first",
            description = "Filters combine. Pages of `limit` (default 100) with `Link: <...>; rel=\"next\"` (cursor `before`)"
                    + " while more remain. Holds every write committed before the request, on any replica.",
            responses = {@ApiResponse(responseCode = "200", description = "The matching changes, newest first"),
                    @ApiResponse(responseCode = "400", description = "invalid: a bad limit or entity")})
    ResponseEntity<List<ChangeView>> list(
            @Parameter(description = "Only changes after this revision") @RequestParam(required = false) Long since,
            @Parameter(description = "Only changes at or before this revision") @RequestParam(required = false) Long until,
            @Parameter(description = "host:<name> or group:<name>: only changes that touched it")
            @RequestParam(required = false) String entity,
            @Parameter(description = "Only changes made with this token name") @RequestParam(required = false) String actor,
            @Parameter(description = "Page size, 1-10000 (default 100)") @RequestParam(required = false) Integer limit,
            @Parameter(description = "Paging cursor: only changes before this revision")
            @RequestParam(required = false) Long before) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw KookException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        ChangeQuery query = ChangeQuery.of(since, until, before, entity, actor);
        List<ChangeView> page = new ArrayList<>();
        boolean more = false;
        for (ChangeRecord record : history.newestFirst()) {
            if (!query.matches(record)) {
                continue;
            }
            if (page.size() == size) {
                more = true;
                break;
            }
            page.add(ChangeView.of(record));
        }
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        if (more) {
            String next = ServletUriComponentsBuilder.fromCurrentRequest()
                    .replaceQueryParam("before", page.get(page.size() - 1).revision()).build().encode().toUriString();
            ok.header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return ok.body(page);
    }

    @GetMapping("/diff")
    @Operation(summary = "Net difference between the inventory at two revisions",
            description = "One entry per host or group whose object differs between the states right after `from` and"
                    + " right after `to` (as `?atRevision=` shows them), sorted by entity, then name; 410 if either is"
                    + " older than the retained history",
            responses = {@ApiResponse(responseCode = "200", description = "The differences"),
                    @ApiResponse(responseCode = "400", description = "invalid: from or to is missing or not a revision"),
                    @ApiResponse(responseCode = "410", description = "gone: from or to is older than the retained history"),
                    @ApiResponse(responseCode = "503", description = "unavailable: this replica has not applied the newer"
                            + " revision within the wait; retry after `Retry-After` seconds",
                            headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                                    schema = @Schema(type = "integer")))})
    DiffView diff(@Parameter(description = "The earlier state's revision") @RequestParam long from,
                  @Parameter(description = "The later state's revision") @RequestParam long to)
            throws InterruptedException {
        long newest = Math.max(from, to);
        Snapshot current = mirror.awaitRevision(newest, maxWait);
        if (current == null) {
            throw new KookException.Unavailable("this replica has not yet applied revision " + newest + "; retry shortly");
        }
        HistoryReads.Difference difference = reads.diff(from, to, current);
        return DiffView.of(from, to, difference.entries(), difference.before(), difference.after());
    }

    @PostMapping("/{revision}/revert")
    @Operation(summary = "Revert a change (admin)",
            description = "One new write that puts every entity the change touched back as it was just before it."
                    + " 409 (conflict) if a later change touched any of them, unless force=true; 201 with the new"
                    + " change object",
            responses = {
                    @ApiResponse(responseCode = "201", description = "Reverted: the new change object",
                            headers = @Header(name = "Location", description = "The new change's path, /changes/{revision}",
                                    schema = @Schema(type = "string", format = "uri-reference"))),
                    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST),
                    @ApiResponse(responseCode = "404", description = "not-found: no retained change has this revision"),
                    @ApiResponse(responseCode = "409", description = "conflict: a later change touched an entity (without"
                            + " force=true), or there is nothing to revert; cycle: an edge put back would close a cycle"),
                    @ApiResponse(responseCode = "504", description = ApiDocs.OUTCOME_UNKNOWN)})
    ResponseEntity<ChangeView> revert(@Parameter(description = "The revision of the change to revert") @PathVariable long revision,
                                      @Parameter(description = "Revert even if later changes touched the same entities")
                                      @RequestParam(defaultValue = "false") boolean force) {
        long committed = reverter.revert(revision, force);
        writes.applied(committed);
        ChangeView view = ChangeView.of(history.newestFirst().stream().filter(r -> r.revision() == committed)
                .findFirst().orElseThrow());
        return writes.status(HttpStatus.CREATED, committed).location(URI.create("/changes/" + committed)).body(view);
    }

    @GetMapping("/{revision}")
    @Operation(summary = "The change made at one revision", description = "404 if no retained change has that revision",
            responses = {@ApiResponse(responseCode = "200", description = "The change"),
                    @ApiResponse(responseCode = "400", description = "invalid: the revision is not a number"),
                    @ApiResponse(responseCode = "404", description = "not-found: no retained change has this revision")})
    ChangeView get(@Parameter(description = "The change's revision (its commit's zxid)") @PathVariable long revision) {
        for (ChangeRecord record : history.newestFirst()) {
            if (record.revision() == revision) {
                return ChangeView.of(record);
            }
        }
        throw new KookException.NotFound("no retained change has revision " + revision);
    }
}
