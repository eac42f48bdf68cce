package io.kook.ansible.parse;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.kook.ansible.ParsedInventory;
import io.kook.ansible.ParsedInventory.ParsedGroup;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Renders a {@link ParsedInventory} in the shape of {@code ansible-inventory --list --export}. */
final class ExportShape {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ExportShape() {
    }

    static ObjectNode of(ParsedInventory inventory) {
        ObjectNode root = JSON.objectNode();
        ObjectNode hostvars = root.putObject("_meta").putObject("hostvars");
        inventory.hosts().forEach(hostvars::set);

        Set<String> children = new LinkedHashSet<>();
        Set<String> grouped = new LinkedHashSet<>();
        inventory.groups().forEach((name, g) -> {
            children.addAll(g.children());
            grouped.addAll(g.hosts());
        });

        ObjectNode all = root.putObject("all");
        ArrayNode top = all.putArray("children");
        inventory.groups().keySet().stream()
                .filter(name -> !name.equals("all") && !children.contains(name))
                .forEach(top::add);
        top.add("ungrouped");
        ParsedGroup allGroup = inventory.groups().get("all");
        if (allGroup != null) {
            all.set("vars", allGroup.vars());
        }

        ArrayNode ungrouped = root.putObject("ungrouped").putArray("hosts");
        inventory.hosts().keySet().stream().filter(h -> !grouped.contains(h)).forEach(ungrouped::add);

        for (Map.Entry<String, ParsedGroup> e : inventory.groups().entrySet()) {
            if (e.getKey().equals("all")) {
                continue;
            }
            ParsedGroup g = e.getValue();
            ObjectNode group = root.putObject(e.getKey());
            ArrayNode hosts = group.putArray("hosts");
            g.hosts().forEach(hosts::add);
            if (!g.vars().isEmpty()) {
                group.set("vars", g.vars());
            }
            if (!g.children().isEmpty()) {
                ArrayNode list = group.putArray("children");
                g.children().forEach(list::add);
            }
        }
        return root;
    }

    static String json(ParsedInventory inventory) {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(of(inventory));
    }
}
