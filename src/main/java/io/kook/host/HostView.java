package io.kook.host;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

import io.kook.inventory.Host;
import tools.jackson.databind.node.ObjectNode;

/** The host object of the contract. */
@Schema(name = "Host")
record HostView(String name,
                @Schema(implementation = java.util.Map.class, description = "Any JSON object; types kept exactly") ObjectNode vars, List<String> groups, int version) {

    static HostView of(Host host) {
        return new HostView(host.name(), host.vars(), host.groups(), host.version());
    }
}
