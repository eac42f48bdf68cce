package io.kook.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.kook.inventory.KookException;
import io.kook.inventory.Registration;
import io.kook.inventory.Snapshot;
import io.kook.web.Durations;
import io.kook.web.JsonBodies;
import io.kook.web.WriteResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.kook.web.ApiDocs;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /services}: live instances, from agents and from HTTP registrations with a TTL. */
@RestController
@Tag(name = "services", description = "Live service instances")
@RequestMapping(path = "/services", produces = MediaType.APPLICATION_JSON_VALUE)
class RegistryController {

    /** One live instance. */
    @Schema(name = "Instance")
    record InstanceView(String service, String host, int port,
                        @Schema(implementation = Map.class) ObjectNode metadata, Instant since,
                        @Schema(description = "an HTTP registration lapses this long after its last renewal; null for agents")
                        Long ttlMillis,
                        String source) {
        static InstanceView of(Registration r) {
            return new InstanceView(r.service(), r.host(), r.port(), r.metadata(), Instant.ofEpochMilli(r.since()),
                    r.ttlMillis(), r.source());
        }
    }

    /** A service and how many live instances it has. */
    @Schema(name = "Service")
    record ServiceView(String name, int instances) {
    }

    private static final String SERVICE = "The service's name (group-name rules)";
    private static final String INSTANCE = "host:port of the instance; the host is a host name or address";

    private final Registry registry;
    private final WriteResponses writes;
    private final long maxMetadataBytes;

    RegistryController(Registry registry, WriteResponses writes, io.kook.KookProperties properties) {
        this.registry = registry;
        this.writes = writes;
        this.maxMetadataBytes = properties.limits().maxVarsSize().toBytes();
    }

    @GetMapping
    @Operation(summary = "Services with at least one live instance, sorted", description = "Each service's name and"
            + " how many live instances it has", responses = @ApiResponse(responseCode = "200", description = "The services"))
    List<ServiceView> services(Snapshot snapshot) {
        return snapshot.services().entrySet().stream()
                .map(e -> new ServiceView(e.getKey(), e.getValue().size()))
                .filter(s -> s.instances() > 0).toList();
    }

    @GetMapping("/{service}")
    @Operation(summary = "Live instances of a service, sorted by host:port ([] when none)", description = "Each"
            + " instance's host, port, metadata, since when it is registered, its TTL and whether an agent or HTTP made it",
            responses = {@ApiResponse(responseCode = "200", description = "The live instances"),
                    @ApiResponse(responseCode = "400", description = "invalid: a bad service name")})
    List<InstanceView> instances(Snapshot snapshot, @Parameter(description = SERVICE) @PathVariable String service) {
        Registry.requireServiceName(service);
        return snapshot.services().getOrDefault(service, List.of()).stream().map(InstanceView::of).toList();
    }

    @PutMapping("/{service}/instances/{instance}")
    @Operation(summary = "Register or renew an instance for a TTL (repeat the PUT before it runs out)",
            description = "Body (optional): {\"metadata\":{...}}. ttl like 30s (default kook.services.default-ttl)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content = @Content(
                    mediaType = "application/json", schema = @Schema(type = "object", description = "{\"metadata\":{..}},"
                    + " metadata bounded like vars"),
                    examples = @ExampleObject(name = "with metadata", value = "{\"metadata\":{\"version\":\"1.4.2\"}}"))),
            responses = {
                    @ApiResponse(responseCode = "200", description = "Renewed: the instance"),
                    @ApiResponse(responseCode = "201", description = "Registered: the instance (it has no resource of its"
                            + " own to point to; GET /services/{service} lists it)"),
                    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST),
                    @ApiResponse(responseCode = "413", description = "too-large: the body or its metadata are over the limit"),
                    @ApiResponse(responseCode = "415", description = ApiDocs.UNSUPPORTED_MEDIA_TYPE),
                    @ApiResponse(responseCode = "504", description = ApiDocs.OUTCOME_UNKNOWN)})
    ResponseEntity<InstanceView> register(@Parameter(description = SERVICE) @PathVariable String service,
                                          @Parameter(description = INSTANCE) @PathVariable String instance,
                                          @Parameter(description = "How long the registration lives without a renewal,"
                                                  + " like 30s or 5m (default kook.services.default-ttl, at most"
                                                  + " kook.services.max-ttl)", example = "30s")
                                          @RequestParam(required = false) String ttl,
                                          @RequestBody(required = false) JsonNode body) {
        Registry.requireServiceName(service);
        Registry.parseInstance(instance);
        ObjectNode metadata = null;
        if (body != null && !body.isMissingNode() && !body.isNull()) {
            ObjectNode object = JsonBodies.object(body, java.util.Set.of("metadata"));
            JsonNode m = object.get("metadata");
            if (m != null && !(m instanceof ObjectNode)) {
                throw KookException.invalid("metadata", "must be a JSON object");
            }
            // bounded like vars: ZooKeeper keeps every znode in memory, and two 40 MB ones killed the embedded server
            metadata = io.kook.inventory.Vars.within((ObjectNode) m, maxMetadataBytes);
        }
        Registry.Registered registered = registry.register(service, instance, registry.ttl(ttl == null ? null : Durations.parse("ttl", ttl)), metadata);
        Snapshot applied = writes.applied(registered.revision());
        InstanceView view = applied.services().getOrDefault(service, List.of()).stream()
                .filter(r -> r.instance().equals(instance)).findFirst().map(InstanceView::of).orElse(null);
        return writes.status(registered.created() ? HttpStatus.CREATED : HttpStatus.OK, registered.revision()).body(view);
    }

    @DeleteMapping("/{service}/instances/{instance}")
    @Operation(summary = "Deregister an instance (idempotent)", description = "204 whether or not it was registered",
            responses = {@ApiResponse(responseCode = "204", description = "Gone (also when it was not registered)"),
                    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST)})
    ResponseEntity<Void> deregister(@Parameter(description = SERVICE) @PathVariable String service,
                                    @Parameter(description = INSTANCE) @PathVariable String instance) {
        Registry.requireServiceName(service);
        Registry.parseInstance(instance);
        return writes.noContent(registry.deregister(service, instance));
    }
}
