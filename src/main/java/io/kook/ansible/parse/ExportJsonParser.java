package io.kook.ansible.parse;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.kook.ansible.InventoryParseException;
import io.kook.ansible.ParsedInventory;
import tools.jackson.databind.JsonNode;

/**
 * Reads the JSON of {@code ansible-inventory --list --export} (or plain {@code --list}, whose host vars are
 * already resolved) as Ansible's {@code script} plugin reads an inventory script's output: every top-level key
 * but {@code _meta} is a group with {@code hosts}, {@code vars} and {@code children}; a host exists only through
 * a group's {@code hosts}; its own vars come from {@code _meta.hostvars}, and stay on the host even when a group
 * has its name (where the script plugin would hand them to the group). Stateless and thread-safe.
 */
public final class ExportJsonParser {

    private static final String META = "_meta";

    /** Parses the JSON; a source Ansible or Kook cannot take is an {@link InventoryParseException}. */
    public ParsedInventory parse(byte[] source) {
        String text = SourceText.decodeStrict(source);
        JsonNode root = InventoryJson.read(text);
        if (!root.isObject()) {
            throw new InventoryParseException(1, "the inventory JSON must be an object of groups, not "
                    + Run.type(root));
        }
        return new Run(text).parse(root);
    }

    /** One parse, tracking the hosts the groups named. */
    private static final class Run {
        private final String text;
        private final InventoryBuilder inventory = new InventoryBuilder();
        private final Set<String> hosts = new LinkedHashSet<>();
        /** The name being read, whose line an error from the builder gets (found only when needed). */
        private String subject;

        Run(String text) {
            this.text = text;
        }

        ParsedInventory parse(JsonNode root) {
            try {
                return read(root);
            } catch (InventoryParseException e) {
                if (e.line() == 0 && subject != null) {
                    throw new InventoryParseException(line(subject), e.getMessage());
                }
                throw e;
            }
        }

        private ParsedInventory read(JsonNode root) {
            JsonNode hostvars = null;
            for (Map.Entry<String, JsonNode> group : root.properties()) {
                if (group.getKey().equals(META)) {
                    JsonNode meta = group.getValue();
                    if (meta.isObject() && meta.has("hostvars")) {
                        hostvars = meta.get("hostvars");
                    }
                } else {
                    parseGroup(group.getKey(), group.getValue());
                }
            }
            if (hostvars != null && !hostvars.isObject()) {
                throw error(META, "_meta.hostvars must be an object of host names to vars");
            }
            for (String host : hosts) {
                JsonNode vars = hostvars == null ? null : hostvars.get(host);
                if (vars == null) {
                    continue;
                }
                if (!vars.isObject()) {
                    throw error(host, "_meta.hostvars of '" + host + "' must be an object, got " + type(vars));
                }
                subject = host;
                vars.properties().forEach(v -> inventory.setOwnHostVariable(host, v.getKey(), v.getValue()));
            }
            if (hostvars != null) {
                hostvars.propertyNames().stream().filter(h -> !hosts.contains(h)).forEach(h -> inventory.warn(
                        "host '" + h + "' is in _meta.hostvars but in no group's hosts, so Ansible ignores it; so does Kook"));
            }
            return inventory.build();
        }

        /** The script plugin's {@code _parse_group}, including its shorthands for a list or a plain object. */
        private void parseGroup(String name, JsonNode data) {
            subject = name;
            inventory.addGroup(name, 0);
            JsonNode hostList;
            JsonNode vars;
            JsonNode children;
            if (!data.isObject()) {
                hostList = data;
                vars = null;
                children = null;
            } else if (data.isEmpty()) {
                // what ansible-inventory --list --export prints for an empty group; the script plugin's shorthand
                // below would make it a host of the group's name, which is not what the export meant
                hostList = null;
                vars = null;
                children = null;
            } else if (!data.has("hosts") && !data.has("vars") && !data.has("children")) {
                hostList = PyValues.JSON.arrayNode().add(name);
                vars = data;
                children = null;
            } else {
                hostList = data.get("hosts");
                vars = data.get("vars");
                children = data.get("children");
            }
            if (hostList != null) {
                if (!hostList.isArray()) {
                    throw error(name, "You defined a group '" + name + "' with bad data for the host list: "
                            + type(hostList));
                }
                for (JsonNode host : hostList) {
                    if (!host.isString()) {
                        throw error(name, "Invalid host name supplied, expected a string but got " + type(host)
                                + " in group '" + name + "'");
                    }
                    subject = host.stringValue();
                    hosts.add(subject);
                    inventory.addHost(subject, name, null, 0);
                }
            }
            if (vars != null) {
                if (!vars.isObject()) {
                    throw error(name, "You defined a group '" + name + "' with bad data for variables: " + type(vars));
                }
                subject = name;
                vars.properties().forEach(v -> inventory.setGroupVariable(name, v.getKey(), v.getValue(), 0));
            }
            if (children != null) {
                Iterable<String> names = children.isObject() ? children.propertyNames() : null;
                if (children.isArray()) {
                    Set<String> list = new LinkedHashSet<>();
                    for (JsonNode child : children) {
                        if (!child.isString()) {
                            throw error(name, "children of '" + name + "' must be group names, got " + type(child));
                        }
                        list.add(child.stringValue());
                    }
                    names = list;
                }
                if (names == null) {
                    throw error(name, "children of '" + name + "' must be a list of group names, got " + type(children));
                }
                for (String child : names) {
                    subject = child;
                    inventory.addGroup(child, 0);
                    inventory.addChild(name, child, 0);
                }
            }
        }

        private InventoryParseException error(String name, String reason) {
            return new InventoryParseException(line(name), reason);
        }

        /** Best effort: JSON trees carry no positions, so the line where the name first appears quoted. */
        private int line(String name) {
            return SourceText.lineOf(text, '"' + name + '"');
        }

        static String type(JsonNode node) {
            return node.getNodeType().name().toLowerCase(Locale.ROOT);
        }
    }
}
