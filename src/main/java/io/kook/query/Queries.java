package io.kook.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import io.kook.KookProperties;
import io.kook.inventory.EffectiveVars;
import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.KookException;
import io.kook.inventory.Snapshot;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The list reads with their query parameters, {@code group=}, {@code pattern=} and {@code filter=}, combined
 * (each narrows the others) over one snapshot, so the list endpoints page, pin revisions and answer the same way
 * with or without them.
 */
@Component
public class Queries {

    /** What {@code filter=} may select on a host. */
    public static final Set<String> HOST_FIELDS = Set.of("name", "groups", "vars", "effective", "version");
    /** What {@code filter=} may select on a group. */
    public static final Set<String> GROUP_FIELDS = Set.of("name", "hosts", "children", "parents", "vars",
            "effective", "version");

    private final boolean includeUnknownHosts;

    public Queries(KookProperties properties) {
        this.includeUnknownHosts = properties.services().includeUnknownHosts();
    }

    /** Host names, sorted, that are in {@code group} (transitively), match {@code pattern} and {@code filter}. */
    public List<String> hosts(Snapshot snapshot, String group, String pattern, String filter) {
        Filter parsed = filter == null ? null : Filter.parse(filter, HOST_FIELDS);
        List<String> names = snapshot.hostNames();
        if (group != null) {
            if (snapshot.group(group) == null) {
                throw new KookException.NotFound("group " + group + " does not exist");
            }
            names = snapshot.transitiveHosts(group);
        }
        if (pattern != null) {
            List<String> targeted = AnsiblePattern.hosts(snapshot, pattern, includeUnknownHosts);
            if (group != null) {
                Set<String> members = Set.copyOf(names);
                targeted = targeted.stream().filter(members::contains).toList();
            }
            names = targeted;
        }
        return parsed == null ? names : kept(names, n -> parsed.test(hostFields(snapshot, snapshot.host(n))));
    }

    /** Group names, sorted ({@code all} and {@code ungrouped} included), that match {@code filter}. */
    public List<String> groups(Snapshot snapshot, String filter) {
        if (filter == null) {
            return snapshot.groupNames();
        }
        Filter parsed = Filter.parse(filter, GROUP_FIELDS);
        return kept(snapshot.groupNames(), n -> parsed.test(groupFields(snapshot, snapshot.group(n))));
    }

    private static List<String> kept(List<String> names, java.util.function.Predicate<String> test) {
        List<String> kept = new ArrayList<>();
        for (String name : names) {
            if (test.test(name)) {
                kept.add(name);
            }
        }
        return kept;
    }

    static Function<String, JsonNode> hostFields(Snapshot snapshot, Host host) {
        JsonNode[] effective = new JsonNode[1]; // resolved once per host, only when the expression asks
        return field -> switch (field) {
            case "name" -> JsonNodeFactory.instance.stringNode(host.name());
            case "groups" -> strings(host.groups());
            case "vars" -> host.vars();
            case "effective" -> effective[0] != null ? effective[0]
                    : (effective[0] = EffectiveVars.of(snapshot, host).vars());
            case "version" -> JsonNodeFactory.instance.numberNode(host.version());
            default -> null;
        };
    }

    static Function<String, JsonNode> groupFields(Snapshot snapshot, Group group) {
        JsonNode[] effective = new JsonNode[1];
        return field -> switch (field) {
            case "name" -> JsonNodeFactory.instance.stringNode(group.name());
            case "hosts" -> strings(group.hosts());
            case "children" -> strings(group.children());
            case "parents" -> strings(group.parents());
            case "vars" -> group.vars();
            case "effective" -> effective[0] != null ? effective[0]
                    : (effective[0] = EffectiveVars.ofGroup(snapshot, group).vars());
            case "version" -> JsonNodeFactory.instance.numberNode(group.version());
            default -> null;
        };
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        values.forEach(array::add);
        return array;
    }
}
