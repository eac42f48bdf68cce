package io.kook.host;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The request bodies of {@code /hosts}, for the API documentation. Handlers read bodies as JSON trees and
 * validate them strictly ({@link io.kook.web.JsonBodies}), so an unknown member is a 400, not ignored.
 */
final class HostRequests {

    private HostRequests() {
    }

    @Schema(name = "HostCreate", description = "A new host")
    record Create(@Schema(example = "web1.example.com", requiredMode = Schema.RequiredMode.REQUIRED) String name,
                  @Schema(description = "Any JSON object; types are kept exactly", example = "{\"http_port\":80}")
                  Map<String, Object> vars,
                  @Schema(description = "Direct groups; each must exist", example = "[\"web\"]") List<String> groups) {
    }

    @Schema(name = "HostReplace", description = "The host's new state; absent groups leave membership unchanged")
    record Replace(Map<String, Object> vars, List<String> groups) {
    }

    @Schema(name = "HostPatch", description = "RFC 7396 merge patch: vars merge (null removes), groups replaces")
    record Patch(Map<String, Object> vars, List<String> groups) {
    }
}
