package io.kook.ansible.parse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kook.ansible.InventoryParseException;
import io.kook.ansible.ParsedInventory;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a YAML inventory the way ansible-core 2.14's {@code yaml} inventory plugin does: groups at the top
 * level (beside or inside {@code all}) with {@code hosts}, {@code vars} and {@code children}; host patterns with
 * ranges and ports; YAML 1.1 typing as PyYAML has it ({@code yes} is true, {@code 0755} is 493, {@code 1e5} a
 * string); a host's vars from several places merged, later winning. A file that is plain JSON is read as JSON
 * first, as Ansible's loader does. Stateless and thread-safe.
 */
public final class YamlInventoryParser {

    /** Deepest nesting accepted, in YAML and in the structure walk. */
    static final int MAX_DEPTH = InventoryJson.MAX_NESTING;
    /** Aliases to collections per document; enough for real files, too few for most alias bombs. */
    static final int MAX_ALIASES = 200;
    /** JSON values all vars may expand to beyond the document's own size, so aliases cannot multiply it much. */
    static final long EXPANSION_ALLOWANCE = 1_000_000;

    /** Parses a YAML (or JSON) inventory; a source Ansible or Kook cannot take is an {@link InventoryParseException}. */
    public ParsedInventory parse(byte[] source) {
        String text = SourceText.decodeStrict(source);
        return new Run(text).parse(compose(text));
    }

    private static Node compose(String text) {
        try {
            return fromJson(InventoryJson.readTree(text));
        } catch (JacksonException notJson) {
            // Ansible tries json.loads first and falls back to YAML, and so do we
        }
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE); // the body size is bounded where the request is read
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setAllowDuplicateKeys(true);
        options.setAllowRecursiveKeys(false);
        options.setTagInspector(tag -> true); // tags only select YamlValues' constructors; no class is ever loaded
        try {
            return new Composer(new ParserImpl(new StreamReader(text), options), new PyYamlResolver(), options)
                    .getSingleNode();
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String context = e.getContext() == null ? ""
                    : e.getContext() + (e.getContextMark() == null ? "" : " (line " + (e.getContextMark().getLine() + 1) + ")")
                    + ", ";
            throw new InventoryParseException(mark == null ? 0 : mark.getLine() + 1, "not valid YAML: " + context
                    + e.getProblem());
        } catch (YAMLException e) {
            throw new InventoryParseException(0, "not valid YAML: " + e.getMessage());
        }
    }

    /** A JSON document as a YAML tree with explicit tags, so both go through the same walk. */
    private static Node fromJson(JsonNode json) {
        if (json.isObject()) {
            List<NodeTuple> pairs = new ArrayList<>();
            json.properties().forEach(p -> pairs.add(new NodeTuple(scalar(Tag.STR, p.getKey()), fromJson(p.getValue()))));
            return new MappingNode(Tag.MAP, pairs, DumperOptions.FlowStyle.FLOW);
        }
        if (json.isArray()) {
            List<Node> items = new ArrayList<>();
            json.forEach(item -> items.add(fromJson(item)));
            return new SequenceNode(Tag.SEQ, items, DumperOptions.FlowStyle.FLOW);
        }
        if (json.isString()) {
            return scalar(Tag.STR, json.stringValue());
        }
        if (json.isIntegralNumber()) {
            return scalar(Tag.INT, json.bigIntegerValue().toString());
        }
        if (json.isNumber()) {
            return scalar(Tag.FLOAT, Double.toString(json.doubleValue()));
        }
        if (json.isBoolean()) {
            return scalar(Tag.BOOL, String.valueOf(json.booleanValue()));
        }
        return scalar(Tag.NULL, "null");
    }

    private static ScalarNode scalar(Tag tag, String value) {
        return new ScalarNode(tag, value, null, null, DumperOptions.ScalarStyle.DOUBLE_QUOTED);
    }

    /** One parse: the plugin's recursive walk over groups. */
    private static final class Run {
        private final String text;
        private final InventoryBuilder inventory = new InventoryBuilder();
        private final YamlValues values;
        private long walked;
        /** The group or host name being read, for the line of an error in a document without positions. */
        private String subject;

        Run(String text) {
            this.text = text;
            this.values = new YamlValues(inventory::warn, MAX_DEPTH, text.length() + EXPANSION_ALLOWANCE);
        }

        ParsedInventory parse(Node root) {
            if (root == null) {
                throw new InventoryParseException(0, "Parsed empty YAML file");
            }
            values.validate(root); // PyYAML builds the whole document before the plugin looks at it
            Map<PyValues.Key, YamlValues.Entry> top = YamlValues.isMapping(root) ? values.entries((MappingNode) root) : null;
            Object data = top == null ? values.construct(root) : null;
            if (top == null ? !PyValues.truthy(data) : top.isEmpty()) {
                throw new InventoryParseException(YamlValues.line(root), "Parsed empty YAML file");
            }
            if (top == null) {
                throw new InventoryParseException(YamlValues.line(root),
                        "YAML inventory has invalid structure, it should be a dictionary, got: " + PyValues.typeName(data));
            }
            YamlValues.Entry plugin = top.get(new PyValues.Key("plugin"));
            if (plugin != null && PyValues.truthy(values.construct(plugin.valueNode()))) {
                throw new InventoryParseException(YamlValues.line(plugin.keyNode()),
                        "Plugin configuration YAML file, not YAML inventory");
            }
            try {
                for (YamlValues.Entry group : top.values()) {
                    parseGroup(group.key(), group.keyNode(), group.valueNode(), 0);
                }
                return inventory.build();
            } catch (InventoryParseException e) {
                if (e.line() == 0 && subject != null) {
                    // a document read as JSON has no positions: point at the name's first quoted appearance
                    throw new InventoryParseException(SourceText.lineOf(text, '"' + subject + '"'), e.getMessage());
                }
                throw e;
            }
        }

        /** {@code _parse_group}: returns the group's name, which the caller makes a child of its group. */
        private Object parseGroup(Object name, Node keyNode, Node data, int depth) {
            if (depth > MAX_DEPTH || ++walked > text.length() + EXPANSION_ALLOWANCE) {
                throw new InventoryParseException(YamlValues.line(keyNode), "the group structure nests or repeats too much");
            }
            boolean mapping = YamlValues.isMapping(data);
            if (!mapping && values.construct(data) != null) {
                inventory.warn("Skipping '" + describe(name) + "' as this is not a valid group definition");
                return name;
            }
            String group = groupName(name, keyNode);
            if (!mapping) {
                return group;
            }
            for (YamlValues.Entry entry : sections(group, (MappingNode) data).values()) {
                section(group, entry, depth);
            }
            return group;
        }

        /**
         * The group's keys, where a {@code vars}, {@code children} or {@code hosts} given as a string stands for a
         * mapping with that one key ({@code hosts: web1} is {@code hosts: {web1: }}) and any other non-mapping
         * (but null) is an error.
         */
        private Map<PyValues.Key, YamlValues.Entry> sections(String group, MappingNode data) {
            Map<PyValues.Key, YamlValues.Entry> sections = new LinkedHashMap<>(values.entries(data));
            for (String section : List.of("vars", "children", "hosts")) {
                PyValues.Key key = new PyValues.Key(section);
                YamlValues.Entry entry = sections.get(key);
                if (entry == null || YamlValues.isMapping(entry.valueNode())) {
                    continue;
                }
                Object content = values.construct(entry.valueNode());
                if (PyValues.asString(content) != null) {
                    sections.put(key, new YamlValues.Entry(entry.key(), entry.keyNode(), singleKey(entry.valueNode())));
                } else if (content != null) {
                    throw new InventoryParseException(YamlValues.line(entry.valueNode()), "Invalid \"" + section
                            + "\" entry for \"" + group + "\" group, requires a dictionary, found \""
                            + PyValues.typeName(content) + "\" instead.");
                }
            }
            return sections;
        }

        private void section(String group, YamlValues.Entry entry, int depth) {
            String key = PyValues.asString(entry.key());
            if (!YamlValues.isMapping(entry.valueNode())) {
                Object content = values.construct(entry.valueNode());
                if (content != null) {
                    inventory.warn("Skipping key (" + describe(entry.key()) + ") in group (" + group
                            + ") as it is not a mapping, it is a " + PyValues.typeName(content));
                }
                return;
            }
            Collection<YamlValues.Entry> items = values.entries((MappingNode) entry.valueNode()).values();
            if ("vars".equals(key)) {
                for (YamlValues.Entry var : items) {
                    int line = YamlValues.line(var.keyNode());
                    inventory.setGroupVariable(group, PyValues.jsonKey(var.key()), values.toJson(var.valueNode(), line),
                            line);
                }
            } else if ("children".equals(key)) {
                for (YamlValues.Entry child : items) {
                    Object childName = parseGroup(child.key(), child.keyNode(), child.valueNode(), depth + 1);
                    String childGroup = PyValues.asString(childName);
                    if (childGroup == null) {
                        throw new InventoryParseException(YamlValues.line(child.keyNode()),
                                describe(childName) + " is not a known host nor group");
                    }
                    subject = childGroup;
                    inventory.addChild(group, childGroup, YamlValues.line(child.keyNode()));
                }
            } else if ("hosts".equals(key)) {
                for (YamlValues.Entry host : items) {
                    hosts(group, host);
                }
            } else {
                inventory.warn("Skipping unexpected key (" + describe(entry.key()) + ") in group (" + group
                        + "), only \"vars\", \"children\" and \"hosts\" are valid");
            }
        }

        private void hosts(String group, YamlValues.Entry host) {
            String pattern = PyValues.asString(host.key());
            int line = YamlValues.line(host.keyNode());
            subject = pattern;
            if (pattern == null) {
                throw new InventoryParseException(line, "Host pattern " + describe(host.key())
                        + " must be a string. Enclose integers/floats in quotation marks.");
            }
            HostPatterns.Expansion expansion;
            try {
                expansion = HostPatterns.expand(pattern);
            } catch (HostPatterns.PatternException e) {
                throw new InventoryParseException(line, e.getMessage());
            }
            boolean mapping = YamlValues.isMapping(host.valueNode());
            Object vars = mapping ? null : values.construct(host.valueNode());
            if (PyValues.truthy(vars)) {
                throw new InventoryParseException(YamlValues.line(host.valueNode()),
                        "Invalid data from file, expected dictionary and got: " + describe(vars));
            }
            List<YamlValues.Entry> entries = mapping
                    ? new ArrayList<>(values.entries((MappingNode) host.valueNode()).values()) : List.of();
            List<JsonNode> converted = new ArrayList<>();
            for (YamlValues.Entry var : entries) {
                converted.add(values.toJson(var.valueNode(), YamlValues.line(var.keyNode())));
            }
            for (String name : expansion.hosts()) {
                if (++walked > text.length() + EXPANSION_ALLOWANCE) {
                    throw new InventoryParseException(line, "the host lists repeat too much");
                }
                inventory.addHost(name, group, expansion.port(), line);
                for (int i = 0; i < entries.size(); i++) {
                    inventory.setHostVariable(name, PyValues.jsonKey(entries.get(i).key()), converted.get(i).deepCopy(),
                            YamlValues.line(entries.get(i).keyNode()));
                }
            }
        }

        /** {@code add_group}: the name must be a non-empty string (and one Kook can store). */
        private String groupName(Object name, Node keyNode) {
            String group = PyValues.asString(name);
            int line = YamlValues.line(keyNode);
            subject = group;
            if (group == null && PyValues.truthy(name)) {
                throw new InventoryParseException(line, "Invalid group name supplied, expected a string but got "
                        + PyValues.typeName(name) + " for " + describe(name));
            }
            if (group == null || group.isEmpty()) {
                throw new InventoryParseException(line, "Invalid empty/false group name provided: " + describe(name));
            }
            inventory.addGroup(group, line);
            return group;
        }

        /** {@code {name: None}} for a section given as a bare string. */
        private static Node singleKey(Node name) {
            Node none = new ScalarNode(Tag.NULL, "", name.getStartMark(), name.getEndMark(), DumperOptions.ScalarStyle.PLAIN);
            return new MappingNode(Tag.MAP, true, List.of(new NodeTuple(name, none)), name.getStartMark(),
                    name.getEndMark(), DumperOptions.FlowStyle.FLOW);
        }

        private static String describe(Object v) {
            try {
                return PyValues.jsonKey(v);
            } catch (IllegalArgumentException e) {
                return PyValues.typeName(v);
            }
        }
    }
}
