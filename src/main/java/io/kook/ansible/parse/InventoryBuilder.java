package io.kook.ansible.parse;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kook.ansible.InventoryParseException;
import io.kook.ansible.ParsedInventory;
import io.kook.ansible.ParsedInventory.ParsedGroup;
import io.kook.inventory.Names;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What Ansible's {@code InventoryData} does while a plugin fills it, reduced to what Kook stores. The
 * parsers call it in source order with the same operations Ansible's plugins make, so its quirks carry over:
 * a host's {@code :port} counts only where the host first appears, and a var set on a name that is both a
 * group and a host goes to the group.
 */
final class InventoryBuilder {

    private static final String PRIORITY = "ansible_group_priority";

    private final Map<String, GroupState> groups = new LinkedHashMap<>();
    private final Map<String, ObjectNode> hosts = new LinkedHashMap<>();
    private final Set<String> warnings = new LinkedHashSet<>();

    private static final class GroupState {
        final ObjectNode vars = PyValues.JSON.objectNode();
        final Set<String> hosts = new LinkedHashSet<>();
        final Set<String> children = new LinkedHashSet<>();
        final Set<String> parents = new HashSet<>();
    }

    InventoryBuilder() {
        groups.put(Names.ALL, new GroupState());
        groups.put(Names.UNGROUPED, new GroupState());
    }

    boolean hasGroup(String name) {
        return groups.containsKey(name);
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    /** {@code add_group}: creates the group if new; a name Kook cannot store is an error at {@code line}. */
    void addGroup(String name, int line) {
        if (groups.containsKey(name)) {
            return;
        }
        String problem = Names.groupNameProblem(name);
        if (problem != null) {
            throw new InventoryParseException(line, "group name '" + name + "' is not allowed: " + problem);
        }
        groups.put(name, new GroupState());
    }

    /**
     * {@code add_host}: creates the host if new, with {@code ansible_port} when a port was given (only then, as
     * in Ansible), and makes it a member of {@code group} (which must exist) unless that is {@code null}.
     */
    void addHost(String name, String group, BigInteger port, int line) {
        if (!hosts.containsKey(name)) {
            String problem = Names.hostNameProblem(name);
            if (problem != null) {
                throw new InventoryParseException(line, "host name '" + name + "' is not allowed: " + problem);
            }
            ObjectNode vars = PyValues.JSON.objectNode();
            if (port != null && port.signum() != 0) {
                vars.set("ansible_port", PyValues.integer(port));
            }
            hosts.put(name, vars);
        }
        if (group != null) {
            groups.get(group).hosts.add(name);
        }
    }

    /** A var from a group's own section ({@code [g:vars]}, YAML {@code vars}); the group exists. */
    void setGroupVariable(String group, String key, JsonNode value, int line) {
        groups.get(group).vars.set(key, PRIORITY.equals(key) ? priority(value, line) : value);
    }

    /**
     * A var given with a host. As {@code InventoryData.set_variable} looks groups up before hosts, a host
     * that has a group's name gives the var to the group, as in Ansible.
     */
    void setHostVariable(String host, String key, JsonNode value, int line) {
        if (groups.containsKey(host)) {
            warn("'" + host + "' is both a host and a group: Ansible gives the vars written on the host to the group,"
                    + " and so does Kook");
            setGroupVariable(host, key, value, line);
            return;
        }
        hosts.get(host).set(key, value);
    }

    /**
     * A var that the source itself says is the host's own ({@code _meta.hostvars}). Ansible's script plugin
     * would still give it to a group of the same name; Kook keeps it where the document put it and warns.
     */
    void setOwnHostVariable(String host, String key, JsonNode value) {
        if (groups.containsKey(host)) {
            warn("host '" + host + "' has the name of a group: Kook keeps its _meta.hostvars on the host, but Ansible's"
                    + " script plugin gives such vars to the group");
        }
        hosts.get(host).set(key, value);
    }

    /**
     * {@code add_child}: {@code child} (a group, or a host, which then becomes a member) goes under
     * {@code parent}. Edges from {@code all} are implicit in Kook; {@code all} as a child, {@code ungrouped}
     * with children, and cycles are errors.
     */
    void addChild(String parent, String child, int line) {
        if (!groups.containsKey(child)) {
            if (hosts.containsKey(child)) {
                warn("'" + child + "' is listed as a child of group '" + parent + "' but is a host: Ansible makes it a member");
                addHost(child, parent, null, line);
                return;
            }
            throw new InventoryParseException(line, child + " is not a known host nor group");
        }
        if (parent.equals(child)) {
            throw new InventoryParseException(line, "can't add group '" + child + "' to itself");
        }
        if (child.equals(Names.ALL)) {
            throw new InventoryParseException(line, "group 'all' cannot be a child of '" + parent + "'");
        }
        if (parent.equals(Names.ALL)) {
            return;
        }
        if (child.equals(Names.UNGROUPED) || parent.equals(Names.UNGROUPED)) {
            throw new InventoryParseException(line, "'ungrouped' holds exactly the hosts in no other group;"
                    + " Kook cannot store it with a parent or children ('" + parent + "' > '" + child + "')");
        }
        if (ancestors(parent).contains(child)) {
            throw new InventoryParseException(line, "Adding group '" + child + "' as child to '" + parent
                    + "' creates a recursive dependency loop.");
        }
        groups.get(parent).children.add(child);
        groups.get(child).parents.add(parent);
    }

    private Set<String> ancestors(String group) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(groups.get(group).parents);
        while (!todo.isEmpty()) {
            String g = todo.pop();
            if (seen.add(g)) {
                todo.addAll(groups.get(g).parents);
            }
        }
        return seen;
    }

    /** {@code Group.set_priority(int(value))}: the priority is an int or the inventory is broken. */
    private static JsonNode priority(JsonNode value, int line) {
        if (value.isIntegralNumber()) {
            return value;
        }
        if (value.isBoolean()) {
            return PyValues.JSON.numberNode(value.booleanValue() ? 1 : 0);
        }
        try {
            if (value.isNumber() && Double.isFinite(value.doubleValue())) {
                return PyValues.integer(new BigDecimal(value.doubleValue()).toBigInteger());
            }
            if (value.isString()) {
                return PyValues.integer(HostPatterns.pyInt(value.stringValue()));
            }
        } catch (HostPatterns.PatternException e) {
            // falls through to the error below
        }
        throw new InventoryParseException(line, PRIORITY + " must be an integer, got " + value);
    }

    /**
     * The result. Vars of {@code ungrouped} (which Kook cannot hold) are copied onto the hosts that Ansible
     * leaves in {@code ungrouped}, below their own vars, which resolves to the same effective vars.
     */
    ParsedInventory build() {
        for (String name : hosts.keySet()) {
            if (groups.containsKey(name)) {
                warn("Found both group and host with same name: " + name);
            }
        }
        Set<String> grouped = new HashSet<>();
        groups.forEach((name, g) -> {
            if (!Names.isReserved(name)) {
                grouped.addAll(g.hosts);
            }
        });
        ObjectNode ungroupedVars = groups.get(Names.UNGROUPED).vars;
        ungroupedVars.remove(PRIORITY);
        if (!ungroupedVars.isEmpty()) {
            int copied = 0;
            for (Map.Entry<String, ObjectNode> host : hosts.entrySet()) {
                if (!grouped.contains(host.getKey())) {
                    ObjectNode merged = ungroupedVars.deepCopy();
                    merged.setAll(host.getValue());
                    host.getValue().removeAll().setAll(merged);
                    copied++;
                }
            }
            warn("vars of 'ungrouped' were copied onto its " + copied + " host(s): Kook keeps no vars on 'ungrouped'");
        }
        Map<String, ParsedGroup> out = new LinkedHashMap<>();
        groups.forEach((name, g) -> {
            if (name.equals(Names.ALL)) {
                if (!g.vars.isEmpty()) {
                    out.put(name, new ParsedGroup(g.vars, List.of(), List.of()));
                }
            } else if (!name.equals(Names.UNGROUPED)) {
                out.put(name, new ParsedGroup(g.vars, new ArrayList<>(g.hosts), new ArrayList<>(g.children)));
            }
        });
        return new ParsedInventory(hosts, out, new ArrayList<>(warnings));
    }
}
