package io.kook.group;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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
            + " the groups a boolean expression holds for; limit/after page the result with a Link rel=next header")
    @AtRevision
    ResponseEntity<List<GroupView>> list(Snapshot snapshot,
                                         @Parameter(description = FILTER_DOC, examples = {
                                                 @ExampleObject(name = "own var", value = "vars.env == \"prod\""),
                                                 @ExampleObject(name = "nesting", value = "\"web\" in parents and hosts is not empty"),
                                                 @ExampleObject(name = "effective var", value = "effective.ntp_server matches `^ntp[0-9]`")})
                                         @RequestParam(required = false) String filter,
                                         @RequestParam(required = false) Integer limit,
                                         @RequestParam(required = false) String after) {
        return Pages.of(queries.groups(snapshot, filter), limit, after).respond(n -> GroupView.of(snapshot.group(n)));
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a group", description = "409 if it exists or a child or parent would close a cycle; 422 if a host, child or parent is unknown")
    ResponseEntity<GroupView> create(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = GroupRequests.Create.class))) @RequestBody JsonNode body) {
        ObjectNode object = JsonBodies.object(body, CREATE_FIELDS);
        String name = JsonBodies.string(object, "name");
        if (name == null) {
            throw KookException.invalid("name", "is required");
        }
        long revision = groups.create(name, JsonBodies.vars(object), lists(object));
        return written(HttpStatus.CREATED, revision, name);
    }

    @GetMapping("/{name}")
    @Operation(summary = "Read a group")
    @AtRevision
    ResponseEntity<GroupView> get(Snapshot snapshot, @PathVariable String name, WebRequest request) {
        Group group = GroupService.requireGroup(snapshot, name);
        String etag = group.etag();
        if (request.checkNotModified(etag)) {
            return null;
        }
        return ResponseEntity.ok().eTag(etag).body(GroupView.of(group));
    }

    @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create (201) or replace (200) a group")
    ResponseEntity<GroupView> put(@PathVariable String name, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = GroupRequests.Replace.class))) @RequestBody JsonNode body,
                                  @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                  @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        ObjectNode object = JsonBodies.object(body, PUT_FIELDS);
        String inBody = JsonBodies.string(object, "name");
        if (inBody != null && !inBody.equals(name)) {
            throw KookException.invalid("name", "does not match the name in the path; groups cannot be renamed");
        }
        GroupService.Written w = groups.put(name, JsonBodies.vars(object), lists(object), ifMatch, ifNoneMatch);
        return written(w.created() ? HttpStatus.CREATED : HttpStatus.OK, w.revision(), name);
    }

    @PatchMapping(path = "/{name}", consumes = "application/merge-patch+json")
    @Operation(summary = "Merge-patch a group (RFC 7396)")
    ResponseEntity<GroupView> patch(@PathVariable String name, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "application/merge-patch+json", schema = @Schema(implementation = GroupRequests.Patch.class))) @RequestBody JsonNode body,
                                    @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        ObjectNode object = JsonBodies.object(body, PATCH_FIELDS);
        long revision = groups.patch(name, JsonBodies.varsPatch(object), lists(object), ifMatch, ifNoneMatch);
        return written(HttpStatus.OK, revision, name);
    }

    @DeleteMapping("/{name}")
    @Operation(summary = "Delete a group", description = "Its edges and memberships go in the same atomic write; hosts stay")
    ResponseEntity<Void> delete(@PathVariable String name,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        return writes.noContent(groups.delete(name, ifMatch, ifNoneMatch));
    }

    @GetMapping("/{name}/hosts")
    @Operation(summary = "Member host names, sorted", description = "transitive=true includes members of descendant groups")
    @AtRevision
    List<String> hosts(Snapshot snapshot, @PathVariable String name,
                       @RequestParam(defaultValue = "false") boolean transitive) {
        Group group = GroupService.requireGroup(snapshot, name);
        return transitive ? snapshot.transitiveHosts(name) : group.hosts();
    }

    @PutMapping("/{name}/hosts/{host}")
    @Operation(summary = "Add a member (idempotent)")
    ResponseEntity<Void> addMember(@PathVariable String name, @PathVariable String host) {
        return writes.noContent(groups.addMember(name, host));
    }

    @DeleteMapping("/{name}/hosts/{host}")
    @Operation(summary = "Remove a member (idempotent)")
    ResponseEntity<Void> removeMember(@PathVariable String name, @PathVariable String host) {
        return writes.noContent(groups.removeMember(name, host));
    }

    @PutMapping("/{name}/children/{child}")
    @Operation(summary = "Nest a child group", description = "409 if it would close a cycle")
    ResponseEntity<Void> addChild(@PathVariable String name, @PathVariable String child) {
        return writes.noContent(groups.addChild(name, child));
    }

    @DeleteMapping("/{name}/children/{child}")
    @Operation(summary = "Un-nest a child group")
    ResponseEntity<Void> removeChild(@PathVariable String name, @PathVariable String child) {
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
