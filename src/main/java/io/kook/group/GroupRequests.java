package io.kook.group;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/** The request bodies of {@code /groups}, for the API documentation (handlers validate JSON trees strictly). */
final class GroupRequests {

    private GroupRequests() {
    }

    @Schema(name = "GroupCreate", description = "A new group")
    record Create(@Schema(example = "web", requiredMode = Schema.RequiredMode.REQUIRED) String name,
                  @Schema(description = "Any JSON object; types are kept exactly") Map<String, Object> vars,
                  @Schema(description = "Member hosts; each must exist") List<String> hosts,
                  @Schema(description = "Child groups; each must exist, and none may close a cycle") List<String> children,
                  @Schema(description = "Parent groups; each must exist, and none may close a cycle. The way to create a"
                          + " group inside another in one write (a token limited to groups creates groups only so)")
                  List<String> parents) {
    }

    @Schema(name = "GroupReplace", description = "The group's new state; absent lists stay unchanged")
    record Replace(Map<String, Object> vars, List<String> hosts, List<String> children, List<String> parents) {
    }

    @Schema(name = "GroupPatch", description = "RFC 7396 merge patch: vars merge (null removes), lists replace")
    record Patch(Map<String, Object> vars, List<String> hosts, List<String> children, List<String> parents) {
    }
}
