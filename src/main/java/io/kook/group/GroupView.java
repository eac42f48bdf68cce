package io.kook.group;

import java.util.List;

import io.kook.inventory.Group;
import tools.jackson.databind.node.ObjectNode;

/** The group object of the contract. */
record GroupView(String name, ObjectNode vars, List<String> hosts, List<String> children, List<String> parents,
                 int version) {

    static GroupView of(Group group) {
        return new GroupView(group.name(), group.vars(), group.hosts(), group.children(), group.parents(),
                group.version());
    }
}
