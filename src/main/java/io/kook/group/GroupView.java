package io.kook.group;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

import io.kook.inventory.Group;
import tools.jackson.databind.node.ObjectNode;

/** The group object of the contract. */
@Schema(name = "Group")
record GroupView(String name,
                 @Schema(implementation = java.util.Map.class, description = "Any JSON object; types kept exactly") ObjectNode vars, List<String> hosts, List<String> children, List<String> parents,
                 int version) {

    static GroupView of(Group group) {
        return new GroupView(group.name(), group.vars(), group.hosts(), group.children(), group.parents(),
                group.version());
    }
}
