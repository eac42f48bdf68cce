package io.kook.ansible;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.kook.KookProperties;
import io.kook.inventory.Host;
import io.kook.inventory.KookException;
import io.kook.inventory.Preconditions;
import io.kook.inventory.Snapshot;
import io.kook.web.AtRevision;
import io.kook.web.Payload;
import io.kook.web.WriteResponses;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code /ansible/inventory}: the dynamic inventory Ansible reads (rendered once per revision and served as
 * cached bytes), the {@code --host} answer, import, and YAML and INI export.
 */
@RestController
@Tag(name = "ansible", description = "Dynamic inventory, import and export")
@RequestMapping("/ansible/inventory")
class InventoryController {

    static final MediaType YAML = MediaType.parseMediaType("application/yaml");
    static final MediaType INI = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

    private final InventoryImporter importer;
    private final WriteResponses writes;
    private final boolean includeUnknownHosts;

    InventoryController(InventoryImporter importer, WriteResponses writes, KookProperties properties) {
        this.importer = importer;
        this.writes = writes;
        this.includeUnknownHosts = properties.services().includeUnknownHosts();
    }

    @GetMapping(produces = {MediaType.APPLICATION_JSON_VALUE, "application/yaml", MediaType.TEXT_PLAIN_VALUE})
    @Operation(summary = "The inventory script's --list JSON, or the inventory as a YAML or INI inventory file",
            description = "format=json (default): the --list JSON of the contract. format=yaml (application/yaml) and"
                    + " format=ini (text/plain;charset=UTF-8): an inventory file that POST /ansible/inventory (and"
                    + " ansible-inventory -i) reads back as the same hosts, groups, edges and vars, types included;"
                    + " INI values are written as Python literals. When the inventory holds something a format"
                    + " cannot express (for INI: a host name Ansible reads as a pattern or a host named all or"
                    + " ungrouped with vars, a var name with '=', leading or trailing whitespace, a leading '#', ';'"
                    + " or '[', a control character, or a value nested more than 200 deep; for YAML: such host"
                    + " names) the answer is 409 problem naming what, and"
                    + " nothing else is sent. ETag is the revision (with -yaml or -ini for those formats);"
                    + " If-None-Match gives 304; gzip when asked")
    @AtRevision
    ResponseEntity<Payload> inventory(Snapshot snapshot,
                                     @Parameter(description = "json (the --list JSON), yaml or ini",
                                             schema = @Schema(type = "string", allowableValues = {"json", "yaml", "ini"},
                                                     defaultValue = "json"))
                                     @RequestParam(defaultValue = "json") String format,
                                     @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
                                     @RequestHeader(name = HttpHeaders.ACCEPT_ENCODING, required = false) String acceptEncoding) {
        MediaType type = switch (format) {
            case "json" -> MediaType.APPLICATION_JSON;
            case "yaml" -> YAML;
            case "ini" -> INI;
            default -> throw KookException.invalid("format", "must be json, yaml or ini");
        };
        String etag = "\"" + snapshot.revision() + (format.equals("json") ? "" : "-" + format) + "\"";
        if (ifNoneMatch != null && Preconditions.matches(ifNoneMatch, etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        Payload plain;
        Payload gzipped;
        if (format.equals("json")) {
            InventoryRenderer.Rendered rendered = InventoryRenderer.of(snapshot, includeUnknownHosts);
            plain = rendered.json();
            gzipped = rendered.gzip();
        } else {
            Exported exported = snapshot.memo(new ExportKey(format), s -> Exported.of(format, s));
            if (exported.refusal() != null) {
                throw new KookException.Conflict(exported.refusal());
            }
            plain = Payload.of(exported.body());
            gzipped = Payload.of(exported.gzip());
        }
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok().eTag(etag).contentType(type)
                .cacheControl(CacheControl.noCache()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
        if (acceptsGzip(acceptEncoding)) {
            return ok.header(HttpHeaders.CONTENT_ENCODING, "gzip").body(gzipped);
        }
        return ok.body(plain);
    }

    private record ExportKey(String format) {
    }

    /**
     * A file export of one snapshot, kept with it like the JSON: the bytes plain and gzipped, or why the format
     * cannot express this inventory, so a refused export is not attempted again on every request.
     */
    private record Exported(byte[] body, byte[] gzip, String refusal) {
        static Exported of(String format, Snapshot s) {
            String text;
            try {
                text = format.equals("ini") ? IniExporter.export(s) : YamlExporter.export(s);
            } catch (KookException.Conflict refused) {
                return new Exported(null, null, refused.getMessage());
            }
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            return new Exported(body, InventoryRenderer.gzip(body), null);
        }
    }

    @GetMapping(path = "/hosts/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The --host answer: a host's vars as _meta.hostvars has them ({} if unknown)", responses = @ApiResponse(responseCode = "200",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = java.util.Map.class))))
    @AtRevision
    JsonNode host(Snapshot snapshot, @PathVariable String name) {
        return InventoryRenderer.hostVars(snapshot, name, includeUnknownHosts);
    }

    /** The import report of the contract, with {@code dryRun} saying whether anything was written. */
    @Schema(name = "ImportReport")
    record ImportResult(int hostsCreated, int hostsUpdated, int hostsDeleted, int groupsCreated, int groupsUpdated,
                        int groupsDeleted, java.util.List<String> warnings, boolean dryRun) {
        static ImportResult of(ImportPlan.Report r, boolean dryRun) {
            return new ImportResult(r.hostsCreated(), r.hostsUpdated(), r.hostsDeleted(), r.groupsCreated(),
                    r.groupsUpdated(), r.groupsDeleted(), r.warnings(), dryRun);
        }
    }

    @PostMapping(consumes = {MediaType.TEXT_PLAIN_VALUE, "application/yaml", "application/x-yaml", "text/yaml",
            MediaType.APPLICATION_JSON_VALUE}, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Import an INI, YAML or --list --export JSON inventory", description = "mode=merge|replace,"
            + " dryRun=true|false (exactly these words, each at most once; an unknown or repeated query parameter is"
            + " 400); the report's dryRun says whether anything was written. A parse error is 400 naming the line")
    ResponseEntity<ImportResult> importInventory(@RequestBody(required = false) byte[] body,
                                                 @RequestHeader(HttpHeaders.CONTENT_TYPE) String contentType,
                                                 @RequestParam(required = false) String mode,
                                                 @RequestParam(required = false) String dryRun) {
        if (mode != null && !mode.equals("merge") && !mode.equals("replace")) {
            throw KookException.invalid("mode", "must be merge or replace");
        }
        if (dryRun != null && !dryRun.equals("true") && !dryRun.equals("false")) {
            throw KookException.invalid("dryRun", "must be true or false");
        }
        boolean dry = "true".equals(dryRun);
        InventoryImporter.Imported imported = importer.importInventory(body, format(contentType),
                "replace".equals(mode), dry);
        writes.applied(imported.revision());
        return writes.status(HttpStatus.OK, imported.revision()).contentType(MediaType.APPLICATION_JSON)
                .body(ImportResult.of(imported.report(), dry));
    }

    private static String format(String contentType) {
        MediaType type = MediaType.parseMediaType(contentType);
        if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
            return "json";
        }
        if (type.getSubtype().toLowerCase(Locale.ROOT).contains("yaml")) {
            return "yaml";
        }
        return "ini";
    }

    private static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.trim().split(";");
            if (pieces[0].trim().equalsIgnoreCase("gzip")) {
                return pieces.length < 2 || !pieces[1].replace(" ", "").equals("q=0");
            }
        }
        return false;
    }
}
