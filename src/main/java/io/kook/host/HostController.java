package io.kook.host;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Set;

import io.kook.inventory.EffectiveVars;
import io.kook.inventory.Host;
import io.kook.inventory.KookException;
import io.kook.inventory.Snapshot;
import io.kook.query.Queries;
import io.kook.web.ApiDocs;
import io.kook.web.AtRevision;
import io.kook.web.JsonBodies;
import io.kook.web.Pages;
import io.kook.web.WriteResponses;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /hosts}: reads from the pinned snapshot, writes through {@link HostService}. */
@RestController
@Tag(name = "hosts", description = "Hosts, their vars and direct groups")
@RequestMapping(path = "/hosts", produces = MediaType.APPLICATION_JSON_VALUE)
class HostController {

    static final String PATTERN_DOC = "An Ansible host pattern (Ansible 2.14 semantics): only the hosts"
            + " `ansible --list-hosts PATTERN` would target. Comma or colon lists, `&` intersection, `!` exclusion,"
            + " fnmatch globs and `~regex` (Python re.match) over group and host names, `all`, subscripts [n], [-n],"
            + " [a:b], [a:] in inventory order. Only stored hosts are returned (never an implicit localhost); an"
            + " unknown name targets nothing. 400 for a pattern Ansible rejects, a regex Kook cannot translate"
            + " exactly, or a leading @ (limit file)";
    static final String FILTER_DOC = "A boolean expression in the style of Consul's filter over the host object."
            + " Selectors: name, groups (direct), version, vars.KEY (own vars), effective.KEY (effective vars), nested"
            + " keys with further dots or [\"a.b\"]. Values: \"string\", `raw string`, numbers, true, false, null."
            + " Operators: == != < <= > >= (numbers numerically, strings lexically), is empty, is not empty,"
            + " VALUE in SELECTOR, VALUE not in SELECTOR, contains, not contains, matches (Java regex), not matches;"
            + " and, or, not, parentheses. A missing selector fails the positive operators and passes their"
            + " negations. 400 naming the position when malformed";

    private static final Set<String> CREATE_FIELDS = Set.of("name", "vars", "groups");
    private static final Set<String> PUT_FIELDS = Set.of("name", "vars", "groups", "version");
    private static final Set<String> PATCH_FIELDS = Set.of("vars", "groups");

    private final HostService hosts;
    private final WriteResponses writes;
    private final Queries queries;

    HostController(HostService hosts, WriteResponses writes, Queries queries) {
        this.hosts = hosts;
        this.writes = writes;
        this.queries = queries;
    }

    @GetMapping
    @Operation(summary = "List hosts sorted by name", description = "group= narrows to members of a group, transitively;"
            + " pattern= to the hosts an Ansible host pattern targets; filter= to the hosts a boolean expression holds"
            + " for. They combine; limit/after page the result with a Link rel=next header",
            responses = {@ApiResponse(responseCode = "200", description = "The hosts, sorted by name"),
                    @ApiResponse(responseCode = "400", description = "invalid: a bad pattern, filter, group name or limit")})
    @AtRevision
    ResponseEntity<List<HostView>> list(Snapshot snapshot,
                                        @Parameter(description = "Only members of this group, directly or through its"
                                                + " descendants; an unknown group is 404", example = "web")
                                        @RequestParam(required = false) String group,
                                        @Parameter(description = PATTERN_DOC, examples = {
                                                @ExampleObject(name = "intersection and exclusion", value = "web:&prod:!db"),
                                                @ExampleObject(name = "glob", value = "web*"),
                                                @ExampleObject(name = "regex", value = "~web0[1-4]"),
                                                @ExampleObject(name = "subscript", value = "web[0:2]"),
                                                @ExampleObject(name = "list", value = "web01,db*,10.0.0.1")})
                                        @RequestParam(required = false) String pattern,
                                        @Parameter(description = FILTER_DOC, examples = {
                                                @ExampleObject(name = "own var", value = "vars.env == \"prod\""),
                                                @ExampleObject(name = "effective var and group",
                                                        value = "effective.region matches \"^eu-\" and \"web\" in groups"),
                                                @ExampleObject(name = "number", value = "vars.cpus >= 8 or vars.tier is empty")})
                                        @RequestParam(required = false) String filter,
                                        @Parameter(description = ApiDocs.LIMIT) @RequestParam(required = false) Integer limit,
                                        @Parameter(description = ApiDocs.AFTER) @RequestParam(required = false) String after) {
        List<String> names = queries.hosts(snapshot, group, pattern, filter);
        return Pages.of(names, limit, after).respond(n -> HostView.of(snapshot.host(n)));
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a host", description = "201 with Location; 409 if it exists; 422 if a group is unknown",
            responses = {
                    @ApiResponse(responseCode = "201", description = "Created: the host as stored, with its ETag",
                            headers = @Header(name = "Location", description = ApiDocs.LOCATION, schema = @Schema(type = "string", format = "uri-reference"))),
                    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST),
                    @ApiResponse(responseCode = "409", description = "already-exists: a host with this name exists"),
                    @ApiResponse(responseCode = "413", description = ApiDocs.TOO_LARGE),
                    @ApiResponse(responseCode = "415", description = ApiDocs.UNSUPPORTED_MEDIA_TYPE),
                    @ApiResponse(responseCode = "422", description = ApiDocs.UNKNOWN_REFERENCE),
                    @ApiResponse(responseCode = "504", description = ApiDocs.OUTCOME_UNKNOWN)})
    ResponseEntity<HostView> create(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = HostRequests.Create.class),
            examples = @ExampleObject(name = "a web server", value = "{\"name\":\"web1.example.com\",\"vars\":{\"rack\":\"r1\",\"http_port\":8080},\"groups\":[\"web\"]}"))) @RequestBody JsonNode body) {
        ObjectNode object = JsonBodies.object(body, CREATE_FIELDS);
        String name = JsonBodies.string(object, "name");
        if (name == null) {
            throw KookException.invalid("name", "is required");
        }
        long revision = hosts.create(name, JsonBodies.vars(object), JsonBodies.groupNames(object, "groups"));
        return written(HttpStatus.CREATED, revision, name);
    }

    @GetMapping("/{name}")
    @Operation(summary = "Read a host", description = "With a strong ETag, \"<czxid>.<version>\": the host's creation"
            + " and its version, so a tag taken before a delete never matches the host re-created under that name",
            responses = {@ApiResponse(responseCode = "200", description = "The host, with its ETag"),
                    @ApiResponse(responseCode = "304", description = ApiDocs.NOT_MODIFIED),
                    @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND)})
    @AtRevision
    ResponseEntity<HostView> get(Snapshot snapshot, @Parameter(description = ApiDocs.HOST_NAME) @PathVariable String name,
                                 WebRequest request) {
        Host host = HostService.requireHost(snapshot, name);
        String etag = host.etag();
        if (request.checkNotModified(etag)) {
            return null;
        }
        return ResponseEntity.ok().eTag(etag).body(HostView.of(host));
    }

    @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create (201) or replace (200) a host", description = "If-Match / If-None-Match: * give 412 when"
            + " they do not hold. groups absent: membership unchanged on replace, none on create; every named group must exist",
            responses = {
                    @ApiResponse(responseCode = "200", description = "Replaced: the host as stored, with its ETag"),
                    @ApiResponse(responseCode = "201", description = "Created: the host as stored, with its ETag",
                            headers = @Header(name = "Location", description = ApiDocs.LOCATION, schema = @Schema(type = "string", format = "uri-reference"))),
                    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST),
                    @ApiResponse(responseCode = "412", description = ApiDocs.PRECONDITION_FAILED),
                    @ApiResponse(responseCode = "413", description = ApiDocs.TOO_LARGE),
                    @ApiResponse(responseCode = "415", description = ApiDocs.UNSUPPORTED_MEDIA_TYPE),
                    @ApiResponse(responseCode = "422", description = ApiDocs.UNKNOWN_REFERENCE),
                    @ApiResponse(responseCode = "504", description = ApiDocs.OUTCOME_UNKNOWN)})
    ResponseEntity<HostView> put(@Parameter(description = ApiDocs.HOST_NAME) @PathVariable String name, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = HostRequests.Replace.class),
            examples = @ExampleObject(name = "vars and groups", value = "{\"vars\":{\"rack\":\"r7\"},\"groups\":[\"web\",\"eu\"]}"))) @RequestBody JsonNode body,
                                 @Parameter(description = ApiDocs.IF_MATCH) @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                 @Parameter(description = ApiDocs.IF_NONE_MATCH) @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        ObjectNode object = JsonBodies.object(body, PUT_FIELDS);
        requireSameName(object, name);
        HostService.Written w = hosts.put(name, JsonBodies.vars(object), JsonBodies.groupNames(object, "groups"),
                ifMatch, ifNoneMatch);
        return written(w.created() ? HttpStatus.CREATED : HttpStatus.OK, w.revision(), name);
    }

    @PatchMapping(path = "/{name}", consumes = "application/merge-patch+json")
    @Operation(summary = "Merge-patch a host (RFC 7396)", description = "{\"vars\":{\"a\":1}} sets one var,"
            + " {\"vars\":{\"a\":null}} removes it, other vars stay; a groups member replaces the list",
            responses = {
                    @ApiResponse(responseCode = "200", description = "Patched: the host as stored, with its ETag"),
                    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST),
                    @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND),
                    @ApiResponse(responseCode = "412", description = ApiDocs.PRECONDITION_FAILED),
                    @ApiResponse(responseCode = "413", description = ApiDocs.TOO_LARGE),
                    @ApiResponse(responseCode = "415", description = ApiDocs.UNSUPPORTED_MEDIA_TYPE),
                    @ApiResponse(responseCode = "422", description = ApiDocs.UNKNOWN_REFERENCE),
                    @ApiResponse(responseCode = "504", description = ApiDocs.OUTCOME_UNKNOWN)})
    ResponseEntity<HostView> patch(@Parameter(description = ApiDocs.HOST_NAME) @PathVariable String name, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "application/merge-patch+json", schema = @Schema(implementation = HostRequests.Patch.class),
            examples = @ExampleObject(name = "set one var, remove another", value = "{\"vars\":{\"row\":\"b\",\"rack\":null}}"))) @RequestBody JsonNode body,
                                   @Parameter(description = ApiDocs.IF_MATCH) @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                   @Parameter(description = ApiDocs.IF_NONE_MATCH) @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        ObjectNode object = JsonBodies.object(body, PATCH_FIELDS);
        long revision = hosts.patch(name, JsonBodies.varsPatch(object), JsonBodies.groupNames(object, "groups"), ifMatch, ifNoneMatch);
        return written(HttpStatus.OK, revision, name);
    }

    @DeleteMapping("/{name}")
    @Operation(summary = "Delete a host", description = "It leaves every group in the same atomic write",
            responses = {
                    @ApiResponse(responseCode = "204", description = "Deleted"),
                    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST),
                    @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND),
                    @ApiResponse(responseCode = "412", description = ApiDocs.PRECONDITION_FAILED),
                    @ApiResponse(responseCode = "504", description = ApiDocs.OUTCOME_UNKNOWN)})
    ResponseEntity<Void> delete(@Parameter(description = ApiDocs.HOST_NAME) @PathVariable String name,
                                @Parameter(description = ApiDocs.IF_MATCH) @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                @Parameter(description = ApiDocs.IF_NONE_MATCH) @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        return writes.noContent(hosts.delete(name, ifMatch, ifNoneMatch));
    }

    @GetMapping("/{name}/vars")
    @Operation(summary = "Effective vars with Ansible precedence", description = "all < shallower groups < deeper groups < host; explain=true adds where each value came from",
            responses = {@ApiResponse(responseCode = "200", description = "The effective vars; with explain=true"
                    + " {\"vars\":{..},\"sources\":{\"var\":\"host\"|\"group:web\"|\"group:all\"}}",
                    content = @Content(mediaType = "application/json", schema = @Schema(implementation = java.util.Map.class))),
                    @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND)})
    @AtRevision
    ResponseEntity<?> vars(Snapshot snapshot, @Parameter(description = ApiDocs.HOST_NAME) @PathVariable String name,
                           @Parameter(description = "true: also say where each value came from (host, group:NAME)")
                           @RequestParam(defaultValue = "false") boolean explain) {
        EffectiveVars effective = EffectiveVars.of(snapshot, HostService.requireHost(snapshot, name));
        if (explain) {
            return ResponseEntity.ok(new Explained(effective.vars(), effective.sources()));
        }
        return ResponseEntity.ok(effective.vars());
    }

    /** {@code ?explain=true}: the vars and where each came from. */
    record Explained(ObjectNode vars, java.util.Map<String, String> sources) {
    }

    private ResponseEntity<HostView> written(HttpStatus status, long revision, String name) {
        Host host = writes.applied(revision).host(name);
        ResponseEntity.BodyBuilder builder = writes.status(status, revision);
        if (status == HttpStatus.CREATED) {
            builder.location(UriComponentsBuilder.fromPath("/hosts/{name}").buildAndExpand(name).encode().toUri());
        }
        if (host == null) {
            return builder.build();
        }
        return builder.eTag(host.etag()).body(HostView.of(host));
    }

    private static void requireSameName(ObjectNode body, String name) {
        String inBody = JsonBodies.string(body, "name");
        if (inBody != null && !inBody.equals(name)) {
            throw KookException.invalid("name", "does not match the name in the path; hosts cannot be renamed");
        }
    }
}
