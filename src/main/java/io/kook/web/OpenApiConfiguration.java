package io.kook.web;

import java.util.List;

import io.kook.inventory.Snapshot;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The parts of the OpenAPI document that hold for every operation, added in one place instead of on each
 * handler: the revision and staleness headers, {@code minRevision} on reads, and problem responses.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static {
        // handlers receive the pinned snapshot as an argument; it is not a request parameter
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Snapshot.class);
        // a body written in parts is, on the wire, the bytes it was before
        SpringDocUtils.getConfig().replaceWithClass(Payload.class, byte[].class);
    }

    @Bean
    OpenAPI kookOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Kook").version("v1")
                        .description("Infrastructure inventory (hosts, groups, nested groups, vars) kept in ZooKeeper "
                                + "and served from each replica's in-memory mirror. Errors are RFC 9457 problem documents"
                                + " (application/problem+json) whose `type` is under " + Problems.BASE + ".")
                        .license(new License().name("MIT")))
                // relative: "Try it out" calls the host that served this document, whatever name or proxy it was reached by
                .servers(List.of(new Server().url("/").description("The Kook that serves this document")))
                .components(new Components().addSchemas("Problem", problemSchema())
                        .addSecuritySchemes("bearer", new io.swagger.v3.oas.models.security.SecurityScheme()
                                .type(io.swagger.v3.oas.models.security.SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("A Kook token's secret (POST /tokens). The first one, bootstrap, is"
                                        + " in the file kook.security.bootstrap-token-file names, or"
                                        + " kook.security.bootstrap-token; the startup log says which")))
                .addSecurityItem(new io.swagger.v3.oas.models.security.SecurityRequirement().addList("bearer"));
    }

    /**
     * What every operation answers besides its own codes, in one pass so the order holds: 401 and 403 on every
     * operation that needs a token; 400 and 503 on every write; the revision headers, {@code minRevision} and the
     * blocking-read parameters on the inventory's own calls; and last, the Problem schema as the
     * {@code application/problem+json} content of every 4xx and 5xx answer (annotations declare only the code and
     * why), no content on 204 and 304.
     */
    @Bean
    OpenApiCustomizer kookResponses() {
        return api -> api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            if (open(operation)) {
                return;
            }
            ApiResponses responses = operation.getResponses();
            responses.addApiResponse("401", new ApiResponse().description(
                    "unauthorized: no, unknown, expired or revoked bearer token (`WWW-Authenticate: Bearer realm=\"kook\"`)"));
            responses.addApiResponse("403", new ApiResponse().description(
                    "forbidden: the token's role or group scope does not grant this call, or it sets a privileged var"));
            boolean read = method == PathItem.HttpMethod.GET;
            if (!read) {
                responses.computeIfAbsent("400", code -> new ApiResponse().description(ApiDocs.BAD_REQUEST));
                responses.addApiResponse("503", new ApiResponse()
                        .description("unavailable: not applied (ZooKeeper unreachable, lock busy, an import running or the"
                                + " write's deadline passed); retry after `Retry-After` seconds")
                        .addHeaderObject("Retry-After", new Header().description("Seconds to wait before retrying")
                                .schema(new IntegerSchema())));
            }
            if (path.startsWith("/hosts") || path.startsWith("/groups") || path.startsWith("/ansible")) {
                decorate(method, operation);
            }
            responses.forEach((code, response) -> {
                if (code.equals("default") || code.compareTo("400") >= 0) {
                    response.setContent(problem());
                } else if (code.equals("204") || code.equals("304")) {
                    response.setContent(null);
                }
            });
        }));
    }

    private static Content problem() {
        return new Content().addMediaType("application/problem+json",
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
    }

    /** Reads that answer from history take {@code atRevision}. */
    @Bean
    org.springdoc.core.customizers.OperationCustomizer kookAtRevision() {
        return (operation, handler) -> {
            if (handler.hasMethodAnnotation(AtRevision.class)) {
                operation.addParametersItem(new Parameter().in("query").name(AtRevision.PARAM).required(false)
                        .description("The inventory as it was right after this revision (the last change at or before"
                                + " it), rebuilt from history; 410 (gone) if older than the retained history, waits"
                                + " like minRevision if this replica has not applied it yet. Registrations are live"
                                + " state and not part of it")
                        .schema(new IntegerSchema().format("int64").minimum(java.math.BigDecimal.ZERO)));
                operation.getResponses().addApiResponse("410", new ApiResponse()
                        .description("gone: atRevision is older than the retained history"));
            }
            return operation;
        };
    }

    /** An operation that declares {@code security: []} (a download open without a token): no 401/403, no revision headers. */
    private static boolean open(Operation operation) {
        return operation.getSecurity() != null && operation.getSecurity().isEmpty();
    }

    private static void decorate(PathItem.HttpMethod method, Operation operation) {
        boolean read = method == PathItem.HttpMethod.GET;
        operation.addParametersItem(new Parameter().in("header").name(RequestIdFilter.HEADER).required(false)
                .description("Your id for this request (1-200 visible ASCII characters), echoed on the response and kept"
                        + " in the change record of a write; one is made up when absent")
                .schema(new StringSchema()));
        if (!read) {
            operation.addParametersItem(new Parameter().in("header").name("X-Kook-Reason").required(false)
                    .description("Why you make this change (at most 1,000 characters, UTF-8), kept in its change record;"
                            + " required when kook.history.require-reason is on")
                    .schema(new StringSchema().maxLength(1000).example("rack r7 replaced")));
        }
        if (read) {
            operation.addParametersItem(new Parameter().in("query").name("minRevision").required(false)
                    .description("Answer only once this replica has applied this revision (waits up to 10 s, then 503)")
                    .schema(new IntegerSchema().format("int64").minimum(java.math.BigDecimal.ZERO)));
            operation.addParametersItem(new Parameter().in("header").name("X-Kook-Min-Revision").required(false)
                    .description("Same as minRevision").schema(new IntegerSchema().format("int64")));
            operation.addParametersItem(new Parameter().in("query").name("index").required(false)
                    .description("Blocking read: hold the answer until the revision passes this index (the X-Kook-Revision "
                            + "of your last read) or the wait ends")
                    .schema(new IntegerSchema().format("int64")));
            operation.addParametersItem(new Parameter().in("query").name("wait").required(false)
                    .description("How long a blocking read may be held: 30s, 500ms, 5m (default and cap: kook.watch.max-wait)")
                    .schema(new StringSchema().example("30s")));
        }
        operation.getResponses().forEach((code, response) -> {
            response.addHeaderObject(RequestIdFilter.HEADER, new Header().description(
                    "The request's X-Request-Id, or the one Kook made up").schema(new StringSchema()));
            response.addHeaderObject("X-Kook-Revision", new Header().description(
                    "ZooKeeper zxid of the last change this replica applied; for a write, its own commit's")
                    .schema(new IntegerSchema().format("int64")));
            if (read) {
                response.addHeaderObject("X-Kook-Stale", new Header().description(
                        "Present (true) while the replica cannot reach ZooKeeper and reads may be behind")
                        .schema(new StringSchema()._enum(List.of("true"))));
            }
        });
        operation.getResponses().addApiResponse("default", new ApiResponse()
                .description("An RFC 9457 problem; `type` says which (invalid, not-found, already-exists, "
                        + "unknown-reference, cycle, unreadable, precondition-failed, too-large, unavailable, outcome-unknown)"));
        if (read) {
            operation.getResponses().computeIfAbsent("400", code -> new ApiResponse()
                    .description("invalid: a malformed parameter (minRevision, index, wait, atRevision)"));
            operation.getResponses().addApiResponse("503", new ApiResponse()
                    .description("unavailable: this replica has not applied minRevision (or atRevision) within the wait;"
                            + " retry after `Retry-After` seconds or ask another replica")
                    .addHeaderObject("Retry-After", new Header().description("Seconds to wait before retrying")
                            .schema(new IntegerSchema())));
        }
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        ObjectSchema error = new ObjectSchema();
        error.addProperty("field", new StringSchema());
        error.addProperty("message", new StringSchema());
        ObjectSchema problem = new ObjectSchema();
        problem.description("RFC 9457 problem details");
        problem.addProperty("type", new StringSchema().format("uri").example(Problems.BASE + Problems.NOT_FOUND));
        problem.addProperty("title", new StringSchema().example("Not Found"));
        problem.addProperty("status", new IntegerSchema().example(404));
        problem.addProperty("detail", new StringSchema().example("host web1 does not exist"));
        problem.addProperty("instance", new StringSchema().format("uri-reference").example("/hosts/web1"));
        problem.addProperty("errors", new ArraySchema().items(error).description("validation errors, by field"));
        problem.addProperty("line", new IntegerSchema().description("import parse errors: the 1-based line"));
        problem.setRequired(List.of("type", "title", "status"));
        return problem;
    }

}
