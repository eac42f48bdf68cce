package io.kook.security;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kook.inventory.KookException;
import io.kook.inventory.Names;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.kook.web.ApiDocs;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The token API: admins create and revoke tokens; any token can see itself. */
@RestController
@RequestMapping(path = "/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "tokens", description = "Bearer tokens and their roles (admin)")
class TokenController {

    /** Body of {@code POST /tokens}. */
    record NewToken(String name, String role, List<String> groups, Boolean privilegedVars, String expiresAt,
                    String description) {
    }

    private final TokenStore tokens;

    TokenController(TokenStore tokens) {
        this.tokens = tokens;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a token", description = "201 with the token and its secret, shown this once; 409 if the"
            + " name is taken. Roles: read, register, write, admin (each includes the ones before); groups scope a write"
            + " token; expiresAt is RFC 3339",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = "application/json", schema = @Schema(implementation = NewToken.class),
                    examples = @ExampleObject(name = "a team's writer", value = "{\"name\":\"team-web\",\"role\":\"write\","
                            + "\"groups\":[\"web\"],\"expiresAt\":\"2027-01-31T00:00:00Z\",\"description\":\"web team CI\"}"))),
            responses = {
                    @ApiResponse(responseCode = "201", description = "Created: the token object plus its secret, the only"
                            + " time the secret is shown", headers = @Header(name = "Location", description = ApiDocs.LOCATION, schema = @Schema(type = "string", format = "uri-reference"))),
                    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST),
                    @ApiResponse(responseCode = "409", description = "already-exists: a token with this name exists"),
                    @ApiResponse(responseCode = "415", description = ApiDocs.UNSUPPORTED_MEDIA_TYPE)})
    ResponseEntity<Map<String, Object>> create(@RequestBody NewToken body) {
        if (body == null) {
            throw KookException.invalid("body", "a token object is required");
        }
        Names.requireGroup("name", body.name());
        Role role = Role.parse(body.role());
        if (role == null) {
            throw KookException.invalid("role", "must be one of read, register, write, admin");
        }
        List<String> groups = body.groups() == null ? List.of() : body.groups();
        if (!groups.isEmpty() && role != Role.WRITE) {
            // reads are not scoped, and an admin could mint itself an unscoped token: a scope there would be a lie
            throw KookException.invalid("groups", "only a write token can be limited to groups");
        }
        for (int i = 0; i < groups.size(); i++) {
            Names.requireGroup("groups[" + i + "]", groups.get(i));
            if (Names.isReserved(groups.get(i))) {
                throw KookException.invalid("groups[" + i + "]", groups.get(i) + " holds everything: leave groups out"
                        + " for a token that may change the whole inventory");
            }
        }
        Token token = new Token(body.name(), role, groups, Boolean.TRUE.equals(body.privilegedVars()),
                expiresAt(body.expiresAt()), body.description(),
                Instant.now(), Caller.current().name(), null);
        String secret = tokens.create(token);
        Map<String, Object> view = view(tokens.find(token.name()) == null ? token : tokens.find(token.name()));
        view.put("secret", secret);
        return ResponseEntity.created(URI.create("/tokens/" + token.name())).body(view);
    }

    @GetMapping
    @Operation(summary = "All tokens, sorted by name (never a secret)", description = "Each token's name, role, group"
            + " scope, expiry, description, and who created it when",
            responses = @ApiResponse(responseCode = "200", description = "The tokens, sorted by name"))
    List<Map<String, Object>> list() {
        List<Map<String, Object>> all = new ArrayList<>();
        tokens.all().forEach(token -> all.add(view(token)));
        return all;
    }

    @GetMapping("/self")
    @Operation(summary = "The calling token", description = "Any valid token may read itself: what it may do and until"
            + " when", responses = @ApiResponse(responseCode = "200", description = "The calling token's object"))
    Map<String, Object> self() {
        return view(require(Caller.current().name()));
    }

    @GetMapping("/{name}")
    @Operation(summary = "One token", description = "The token object, never its secret",
            responses = {@ApiResponse(responseCode = "200", description = "The token's object"),
                    @ApiResponse(responseCode = "404", description = "not-found: no token has this name")})
    Map<String, Object> get(@Parameter(description = "The token's name") @PathVariable String name) {
        return view(require(name));
    }

    @DeleteMapping("/{name}")
    @Operation(summary = "Revoke a token", description = "204; refused on every replica within a second",
            responses = {@ApiResponse(responseCode = "204", description = "Deleted"),
                    @ApiResponse(responseCode = "404", description = "not-found: no token has this name")})
    ResponseEntity<Void> delete(@Parameter(description = "The token's name") @PathVariable String name) {
        tokens.delete(name);
        return ResponseEntity.noContent().build();
    }

    private Token require(String name) {
        Token token = tokens.find(name);
        if (token == null) {
            throw new KookException.NotFound("token " + name + " does not exist");
        }
        return token;
    }

    private static Instant expiresAt(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw KookException.invalid("expiresAt", "must be an RFC 3339 date-time such as 2027-01-31T00:00:00Z");
        }
    }

    static Map<String, Object> view(Token token) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", token.name());
        view.put("role", token.role().wire());
        view.put("groups", token.groups());
        view.put("privilegedVars", token.privilegedVars() || token.role() == Role.ADMIN);
        view.put("expiresAt", token.expiresAt() == null ? null : token.expiresAt().toString());
        view.put("description", token.description());
        view.put("createdAt", token.createdAt() == null ? null : token.createdAt().toString());
        view.put("createdBy", token.createdBy());
        return view;
    }
}
