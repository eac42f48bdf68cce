package io.kook.group;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Set;

import io.kook.inventory.Group;
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

/** {@code /groups}: reads from the pinned snapshot, writes through {@link GroupService}. */
@RestController
@Tag(name = "groups", description = "Groups, memberships and nesting")
@RequestMapping(path = "/groups", produces = MediaType.APPLICATION_JSON_VALUE)
class GroupController {

    static final String FILTER_DOC = "A boolean expression in the style of Consul's filter over the group object."
            + " Selectors: name, hosts (direct members), children, parents, version, vars.KEY (own vars), effective.KEY"
            + " (what the group resolves for its members: all, ancestors and its own vars in Ansible's precedence),"
            + " nested keys with further dots or [\"a.b\"]. Values: \"string\", `raw string`, numbers, true, false,"
            + " null. Operators: == != < <= > >=, is empty, is not empty, VALUE in SELECTOR, VALUE not in SELECTOR,"
            + " contains, not contains, matches (Java regex), not matches; and, or, not, parentheses. 400 naming the"
            + " position when malformed";

    private static final Set<String> CREATE_FIELDS = Set.of("name", "vars", "hosts", "children", "parents");
    private static final Set<String> PUT_FIELDS = Set.of("name", "vars", "hosts", "children", "parents", "version");
    private static final Set<String> PATCH_FIELDS = Set.of("vars", "hosts", "children", "parents");

    private final GroupService groups;
    private final WriteResponses writes;
    private final Queries queries;

    GroupController(GroupService groups, WriteResponses writes, Queries queries) {
        this.groups = groups;
        this.writes = writes;
        this.queries = queries;
    }

    @GetMapping
    @Operation(summary = "List groups sorted by name, all and ungrouped included", description = "filter= narrows to"
            + " the groups a boolean expression holds for; limit/after page the result with a Link rel=next header",
            responses = {@ApiResponse(responseCode = "200", description = "The groups, sorted by name"),
                    @ApiResponse(responseCode = "400", description = "invalid: a bad filter or limit")})
    @AtRevision
    ResponseEntity<List<GroupView>> list(Snapshot snapshot,
                                         @Parameter(description = FILTER_DOC, examples = {
                                                 @ExampleObject(name = "own var", value = "vars.env == \"prod\""),
                                                 @ExampleObject(name = "nesting", value = "\"web\" in parents and hosts is not empty"),
                                                 @ExampleObject(name = "effective var", value = "effective.ntp_server matches `^ntp[0-9]`")})
                                         @RequestParam(required = false) String filter,
                                         @Parameter(description = ApiDocs.LIMIT) @RequestParam(required = false) Integer limit,
                                         @Parameter(description = ApiDocs.AFTER) @RequestParam(required = false) String after) {
        return Pages.of(queries.groups(snapshot, filter), limit, after).respond(n -> GroupView.of(snapshot.group(n)));
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a group", description = "409 if it exists or a child or parent would close a cycle; 422 if a host, child or parent is unknown",
            responses = {
                    @ApiResponse(responseCode = "201", description = "Created: the group as stored, with its ETag", headers = @Header(name = "Location", description = ApiDocs.LOCATION, schema = @Schema(type = "string", format = "uri-reference"))),
                    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST + "; all and ungrouped are reserved"),
                    @ApiResponse(responseCode = "409", description = "already-exists: a group with this name exists; or cycle: a child or parent would close a cycle"),
                    @ApiResponse(responseCode = "413", description = ApiDocs.TOO_LARGE),
                    @ApiResponse(responseCode = "415", description = ApiDocs.UNSUPPORTED_MEDIA_TYPE),
                    @ApiResponse(responseCode = "422", description = ApiDocs.UNKNOWN_REFERENCE),
                    @ApiResponse(responseCode = "504", description = ApiDocs.OUTCOME_UNKNOWN)})
    ResponseEntity<GroupView> create(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = GroupRequests.Create.class),
            examples = @ExampleObject(name = "nested", value = "{\"name\":\"prod\",\"vars\":{\"env\":\"prod\"},\"children\":[\"web\",\"db\"]}"))) @RequestBody JsonNode body) {
        ObjectNode object = JsonBodies.object(body, CREATE_FIELDS);
        String name = JsonBodies.string(object, "name");
        if (name == null) {
            throw KookException.invalid("name", "is required");
        }
        long revision = groups.create(name, JsonBodies.vars(object), lists(object));
        return written(HttpStatus.CREATED, revision, name);
    }

    @GetMapping("/{name}")
    @Operation(summary = "Read a group", description = "Its own vars, direct hosts, children and parents, sorted, with a"
            + " strong ETag; all and ungrouped can be read too",
            responses = {@ApiResponse(responseCode = "200", description = "The group, with its ETag"),
                    @ApiResponse(responseCode = "304", description = ApiDocs.NOT_MODIFIED),
                    @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND)})
    @AtRevision
    ResponseEntity<GroupView> get(Snapshot snapshot, @Parameter(description = ApiDocs.GROUP_NAME) @PathVariable String name, WebRequest request) {
        Group group = GroupService.requireGroup(snapshot, name);
        String etag = group.etag();
        if (request.checkNotModified(etag)) {
            return null;
        }
        return ResponseEntity.ok().eTag(etag).body(GroupView.of(group));
    }

    @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create (201) or replace (200) a group", description = "Lists (hosts, children, parents) left"
            + " out stay as they are on replace; If-Match / If-None-Match: * give 412 when they do not hold",
            responses = {
                    @ApiResponse(responseCode = "200", description = "Replaced: the group as stored, with its ETag"),
                    @ApiResponse(responseCode = "201", description = "Created: the group as stored, with its ETag", headers = @Header(name = "Location", description = ApiDocs.LOCATION, schema = @Schema(type = "string", format = "uri-reference"))),
                    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST + "; all takes no members or children"),
                    @ApiResponse(responseCode = "409", description = "cycle: a child or parent would close a cycle"),
                    @ApiResponse(responseCode = "412", description = ApiDocs.PRECONDITION_FAILED),
                    @ApiResponse(responseCode = "413", description = ApiDocs.TOO_LARGE),
                    @ApiResponse(responseCode = "415", description = ApiDocs.UNSUPPORTED_MEDIA_TYPE),
                    @ApiResponse(responseCode = "422", description = ApiDocs.UNKNOWN_REFERENCE),
                    @ApiResponse(responseCode = "504", description = ApiDocs.OUTCOME_UNKNOWN)})
    ResponseEntity<GroupView> put(@Parameter(description = ApiDocs.GROUP_NAME) @PathVariable String name, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = GroupRequests.Replace.class),
            examples = @ExampleObject(name = "vars and members", value = "{\"vars\":{\"http_port\":80},\"hosts\":[\"web1.example.com\"],\"children\":[]}"))) @RequestBody JsonNode body,
                                  @Parameter(description = ApiDocs.IF_MATCH) @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                  @Parameter(description = ApiDocs.IF_NONE_MATCH) @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        ObjectNode object = JsonBodies.object(body, PUT_FIELDS);
        String inBody = JsonBodies.string(object, "name");
        if (inBody != null && !inBody.equals(name)) {
            throw KookException.invalid("name", "does not match the name in the path; groups cannot be renamed");
        }
        GroupService.Written w = groups.put(name, JsonBodies.vars(object), lists(object), ifMatch, ifNoneMatch);
        return written(w.created() ? HttpStatus.CREATED : HttpStatus.OK, w.revision(), name);
    }

    @PatchMapping(path = "/{name}", consumes = "application/merge-patch+json")
    @Operation(summary = "Merge-patch a group (RFC 7396)", description = "vars merge (null removes one); a hosts,"
            + " children or parents member replaces that list",
            responses = {
                    @ApiResponse(responseCode = "200", description = "Patched: the group as stored, with its ETag"),
                    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST),
                    @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND),
                    @ApiResponse(responseCode = "409", description = "cycle: a child or parent would close a cycle"),
                    @ApiResponse(responseCode = "412", description = ApiDocs.PRECONDITION_FAILED),
                    @ApiResponse(responseCode = "413", description = ApiDocs.TOO_LARGE),
                    @ApiResponse(responseCode = "415", description = ApiDocs.UNSUPPORTED_MEDIA_TYPE),
                    @ApiResponse(responseCode = "422", description = ApiDocs.UNKNOWN_REFERENCE),
                    @ApiResponse(responseCode = "504", description = ApiDocs.OUTCOME_UNKNOWN)})
    ResponseEntity<GroupView> patch(@Parameter(description = ApiDocs.GROUP_NAME) @PathVariable String name, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "application/merge-patch+json", schema = @Schema(implementation = GroupRequests.Patch.class),
            examples = @ExampleObject(name = "set a var, add a child", value = "{\"vars\":{\"ntp_server\":\"ntp.eu.example.com\"},\"children\":[\"web\",\"db\"]}"))) @RequestBody JsonNode body,
                                    @Parameter(description = ApiDocs.IF_MATCH) @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                    @Parameter(description = ApiDocs.IF_NONE_MATCH) @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        ObjectNode object = JsonBodies.object(body, PATCH_FIELDS);
        long revision = groups.patch(name, JsonBodies.varsPatch(object), lists(object), ifMatch, ifNoneMatch);
        return written(HttpStatus.OK, revision, name);
    }

    @DeleteMapping("/{name}")
    @Operation(summary = "Delete a group", description = "Its edges and memberships go in the same atomic write; hosts stay",
            responses = {
                    @ApiResponse(responseCode = "204", description = "Deleted"),
                    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST + "; all cannot be deleted"),
                    @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND),
                    @ApiResponse(responseCode = "412", description = ApiDocs.PRECONDITION_FAILED),
                    @ApiResponse(responseCode = "504", description = ApiDocs.OUTCOME_UNKNOWN)})
    ResponseEntity<Void> delete(@Parameter(description = ApiDocs.GROUP_NAME) @PathVariable String name,
                                @Parameter(description = ApiDocs.IF_MATCH) @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                @Parameter(description = ApiDocs.IF_NONE_MATCH) @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        return writes.noContent(groups.delete(name, ifMatch, ifNoneMatch));
    }

    @GetMapping("/{name}/hosts")
    @Operation(summary = "Member host names, sorted", description = "transitive=true includes members of descendant groups",
            responses = {@ApiResponse(responseCode = "200", description = "The member names, sorted"),
                    @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND)})
    @AtRevision
    List<String> hosts(Snapshot snapshot, @Parameter(description = ApiDocs.GROUP_NAME) @PathVariable String name,
                       @Parameter(description = "true: members of descendant groups as well")
                       @RequestParam(defaultValue = "false") boolean transitive) {
        Group group = GroupService.requireGroup(snapshot, name);
        return transitive ? snapshot.transitiveHosts(name) : group.hosts();
    }

    @PutMapping("/{name}/hosts/{host}")
    @Operation(summary = "Add a member (idempotent)", description = "The host joins the group directly",
            responses = {
                    @ApiResponse(responseCode = "204", description = "Done (also when it already was so)"),
                    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST + "; all holds every host implicitly"),
                    @ApiResponse(responseCode = "404", description = "not-found: the group or the host does not exist"),
                    @ApiResponse(responseCode = "504", description = ApiDocs.OUTCOME_UNKNOWN)})
    ResponseEntity<Void> addMember(@Parameter(description = ApiDocs.GROUP_NAME) @PathVariable String name, @Parameter(description = ApiDocs.HOST_NAME) @PathVariable String host) {
        return writes.noContent(groups.addMember(name, host));
    }

    @DeleteMapping("/{name}/hosts/{host}")
    @Operation(summary = "Remove a member (idempotent)", description = "The host leaves the group (it stays in the inventory)",
            responses = {
                    @ApiResponse(responseCode = "204", description = "Done (also when it already was so)"),
                    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST),
                    @ApiResponse(responseCode = "404", description = "not-found: the group or the host does not exist"),
                    @ApiResponse(responseCode = "504", description = ApiDocs.OUTCOME_UNKNOWN)})
    ResponseEntity<Void> removeMember(@Parameter(description = ApiDocs.GROUP_NAME) @PathVariable String name, @Parameter(description = ApiDocs.HOST_NAME) @PathVariable String host) {
        return writes.noContent(groups.removeMember(name, host));
    }

    @PutMapping("/{name}/children/{child}")
    @Operation(summary = "Nest a child group", description = "409 if it would close a cycle",
            responses = {
                    @ApiResponse(responseCode = "204", description = "Done (also when it already was so)"),
                    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST + "; all holds every group implicitly"),
                    @ApiResponse(responseCode = "404", description = "not-found: the group or the child does not exist"),
                    @ApiResponse(responseCode = "409", description = "cycle: the edge would close a cycle (including a group in itself)"),
                    @ApiResponse(responseCode = "504", description = ApiDocs.OUTCOME_UNKNOWN)})
    ResponseEntity<Void> addChild(@Parameter(description = ApiDocs.GROUP_NAME) @PathVariable String name, @Parameter(description = "The child group's name") @PathVariable String child) {
        return writes.noContent(groups.addChild(name, child));
    }

    @DeleteMapping("/{name}/children/{child}")
    @Operation(summary = "Un-nest a child group", description = "The child stops being nested in the group; both groups stay",
            responses = {
                    @ApiResponse(responseCode = "204", description = "Done (also when it already was so)"),
                    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST),
                    @ApiResponse(responseCode = "404", description = "not-found: the group or the child does not exist"),
                    @ApiResponse(responseCode = "504", description = ApiDocs.OUTCOME_UNKNOWN)})
    ResponseEntity<Void> removeChild(@Parameter(description = ApiDocs.GROUP_NAME) @PathVariable String name, @Parameter(description = "The child group's name") @PathVariable String child) {
        return writes.noContent(groups.removeChild(name, child));
    }

    private static GroupService.Lists lists(ObjectNode body) {
        return new GroupService.Lists(JsonBodies.hostNames(body, "hosts"), JsonBodies.groupNames(body, "children"),
                JsonBodies.groupNames(body, "parents"));
    }

    private ResponseEntity<GroupView> written(HttpStatus status, long revision, String name) {
        Group group = writes.applied(revision).group(name);
        ResponseEntity.BodyBuilder builder = writes.status(status, revision);
        if (status == HttpStatus.CREATED) {
            builder.location(UriComponentsBuilder.fromPath("/groups/{name}").buildAndExpand(name).encode().toUri());
        }
        if (group == null) {
            return builder.build();
        }
        return builder.eTag(group.etag()).body(GroupView.of(group));
    }
}
