package io.kook.ansible;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kook.ansible.parse.InventoryParsers;
import io.kook.inventory.Group;
import io.kook.inventory.KookException;
import io.kook.inventory.Names;
import io.kook.inventory.Snapshot;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * Writes a snapshot as an {@code ansible.builtin.yaml} inventory that imports back to the same inventory:
 * top-level groups under {@code all.children}, each group defined in full where it first appears and named
 * again (with no body) under its other parents, host vars with every listing of the host, and ungrouped hosts
 * under {@code all.hosts}. SnakeYAML quotes strings that YAML 1.1 would read as another type ({@code "yes"},
 * {@code "0755"}), so types survive the round trip.
 */
public final class YamlExporter {

    private YamlExporter() {
    }

    /**
     * @throws KookException.Conflict (409) when a host name cannot be written as YAML that reads back as that host
     *         (see {@link InventoryParsers#readsAsItself}); a backup that restores other hosts is worse than none,
     *         and the JSON inventory holds every name exactly
     */
    public static String export(Snapshot s) {
        List<String> unwritable = s.hostNames().stream().filter(h -> !InventoryParsers.readsAsItself(h)).limit(20).toList();
        if (!unwritable.isEmpty()) {
            throw new KookException.Conflict("host name(s) " + unwritable
                    + " cannot be written in a YAML inventory: Ansible reads its host keys as patterns (ports,"
                    + " ranges), so they would come back as other hosts. Export the JSON inventory"
                    + " (format=json, the default), which imports back exactly as application/json");
        }
        Map<String, Object> all = new LinkedHashMap<>();
        Group allGroup = s.group(Names.ALL);
        if (!allGroup.vars().isEmpty()) {
            all.put("vars", plain(allGroup.vars()));
        }
        if (!s.ungrouped().isEmpty()) {
            all.put("hosts", hosts(s, s.ungrouped()));
        }
        Set<String> defined = new HashSet<>();
        Map<String, Object> children = new LinkedHashMap<>();
        for (String top : s.topLevelGroups()) {
            children.put(top, group(s, top, defined));
        }
        if (!children.isEmpty()) {
            all.put("children", children);
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setWidth(Integer.MAX_VALUE);
        options.setAllowUnicode(true);
        return new Yaml(new PythonFloats(options), options).dump(Map.of(Names.ALL, all));
    }

    /**
     * Writes floats the way YAML 1.1 resolvers (PyYAML, hence Ansible) read back as floats: Java's
     * {@code 6.02E23} has no sign in the exponent and would come back as a string; {@code 6.02e+23} does not.
     */
    private static final class PythonFloats extends org.yaml.snakeyaml.representer.Representer {
        PythonFloats(DumperOptions options) {
            super(options);
            this.representers.put(Double.class, data -> {
                double d = (Double) data;
                String text;
                if (Double.isNaN(d)) {
                    text = ".nan";
                } else if (Double.isInfinite(d)) {
                    text = d > 0 ? ".inf" : "-.inf";
                } else {
                    text = Double.toString(d);
                    int e = text.indexOf('E');
                    if (e >= 0) {
                        String mantissa = text.substring(0, e);
                        String exponent = text.substring(e + 1);
                        text = mantissa + "e" + (exponent.startsWith("-") ? exponent : "+" + exponent);
                    }
                }
                return representScalar(org.yaml.snakeyaml.nodes.Tag.FLOAT, text);
            });
        }
    }

    private static Object group(Snapshot s, String name, Set<String> defined) {
        if (!defined.add(name)) {
            return null;
        }
        Group g = s.storedGroup(name);
        Map<String, Object> body = new LinkedHashMap<>();
        if (!g.vars().isEmpty()) {
            body.put("vars", plain(g.vars()));
        }
        if (!g.hosts().isEmpty()) {
            body.put("hosts", hosts(s, g.hosts()));
        }
        if (!g.children().isEmpty()) {
            Map<String, Object> children = new LinkedHashMap<>();
            for (String child : g.children()) {
                children.put(child, group(s, child, defined));
            }
            body.put("children", children);
        }
        return body;
    }

    private static Map<String, Object> hosts(Snapshot s, List<String> names) {
        Map<String, Object> hosts = new LinkedHashMap<>();
        for (String h : names) {
            JsonNode vars = s.host(h).vars();
            hosts.put(h, vars.isEmpty() ? null : plain(vars));
        }
        return hosts;
    }

    /** JSON tree to the plain Java values SnakeYAML writes, keeping integer size and float type. */
    static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(v -> list.add(plain(v)));
            return list;
        }
        if (node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.asString();
    }
}
