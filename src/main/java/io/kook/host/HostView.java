package io.kook.host;

import java.util.List;

import io.kook.inventory.Host;
import tools.jackson.databind.node.ObjectNode;

/** The host object of the contract. */
record HostView(String name, ObjectNode vars, List<String> groups, int version) {

    static HostView of(Host host) {
        return new HostView(host.name(), host.vars(), host.groups(), host.version());
    }
}
