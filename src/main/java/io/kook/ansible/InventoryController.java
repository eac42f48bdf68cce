package io.kook.ansible;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.kook.web.ApiDocs;
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

    private static final String IMPORT_INI = "[web]\nweb1.example.com http_port=8080\n\n[prod:children]\nweb\n\n[prod:vars]\nenv=prod\n";
    private static final String IMPORT_YAML = "all:\n  children:\n    prod:\n      vars:\n        env: prod\n      children:\n        web:\n          hosts:\n            web1.example.com:\n              http_port: 8080\n";
    private static final String IMPORT_JSON = "{\"_meta\":{\"hostvars\":{\"web1.example.com\":{\"http_port\":8080}}},\"all\":{\"children\":[\"ungrouped\",\"prod\"]},\"prod\":{\"children\":[\"web\"],\"vars\":{\"env\":\"prod\"}},\"web\":{\"hosts\":[\"web1.example.com\"]}}";

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
                    + " If-None-Match gives 304; gzip when asked",
            responses = {@ApiResponse(responseCode = "200", description = "The inventory in the asked format, with its ETag"),
                    @ApiResponse(responseCode = "304", description = ApiDocs.NOT_MODIFIED),
                    @ApiResponse(responseCode = "400", description = "invalid: format is not json, yaml or ini"),
                    @ApiResponse(responseCode = "409", description = "conflict: the inventory holds something the asked"
                            + " format cannot express (detail names it)")})
    @AtRevision
    ResponseEntity<Payload> inventory(Snapshot snapshot,
                                     @Parameter(description = "json (the --list JSON), yaml or ini",
                                             schema = @Schema(type = "string", allowableValues = {"json", "yaml", "ini"},
                                                     defaultValue = "json"))
                                     @RequestParam(defaultValue = "json") String format,
                                     @Parameter(description = "The ETag of a copy you hold: 304 without a body while it is current")
                                     @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
                                     @Parameter(description = "gzip: the answer is gzipped (Content-Encoding: gzip)")
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
    @Operation(summary = "The --host answer: a host's vars as _meta.hostvars has them ({} if unknown)",
            description = "The host's own vars, as an inventory script's --host prints them; an unknown host is {} (not 404),"
                    + " as Ansible expects", responses = @ApiResponse(responseCode = "200", description = "The host's vars",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = java.util.Map.class))))
    @AtRevision
    JsonNode host(Snapshot snapshot, @Parameter(description = ApiDocs.HOST_NAME) @PathVariable String name) {
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
            + " 400); the report's dryRun says whether anything was written. A parse error is 400 naming the line",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = {
                    @Content(mediaType = "text/plain", schema = @Schema(type = "string"), examples = @ExampleObject(name = "INI", value = IMPORT_INI)),
                    @Content(mediaType = "application/yaml", schema = @Schema(type = "string"), examples = @ExampleObject(name = "YAML", value = IMPORT_YAML)),
                    @Content(mediaType = "application/x-yaml", schema = @Schema(type = "string"), examples = @ExampleObject(name = "YAML", value = IMPORT_YAML)),
                    @Content(mediaType = "text/yaml", schema = @Schema(type = "string"), examples = @ExampleObject(name = "YAML", value = IMPORT_YAML)),
                    @Content(mediaType = "application/json", schema = @Schema(type = "string"), examples = @ExampleObject(name = "ansible-inventory --list --export", value = IMPORT_JSON))}),
            responses = {@ApiResponse(responseCode = "200", description = "The import report"),
                    @ApiResponse(responseCode = "400", description = "invalid: the file does not parse (detail and line say"
                            + " where), or a bad mode or dryRun; nothing was written"),
                    @ApiResponse(responseCode = "409", description = "cycle: the result would nest groups in a cycle;"
                            + " nothing was written"),
                    @ApiResponse(responseCode = "413", description = "too-large: over the import limit (the detail states it)"),
                    @ApiResponse(responseCode = "415", description = ApiDocs.UNSUPPORTED_MEDIA_TYPE),
                    @ApiResponse(responseCode = "504", description = ApiDocs.OUTCOME_UNKNOWN)})
    ResponseEntity<ImportResult> importInventory(@RequestBody(required = false) byte[] body,
                                                 @Parameter(description = "The file's format: text/plain (INI),"
                                                         + " application/yaml (YAML), application/json (the JSON of"
                                                         + " ansible-inventory --list --export)")
                                                 @RequestHeader(HttpHeaders.CONTENT_TYPE) String contentType,
                                                 @Parameter(description = "merge (default): add and update, delete nothing;"
                                                         + " replace: the inventory becomes the file (admin)",
                                                         schema = @Schema(type = "string", allowableValues = {"merge", "replace"}))
                                                 @RequestParam(required = false) String mode,
                                                 @Parameter(description = "true: report what would change and write nothing",
                                                         schema = @Schema(type = "string", allowableValues = {"true", "false"}))
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
