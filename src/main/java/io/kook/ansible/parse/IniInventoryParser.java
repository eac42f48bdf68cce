package io.kook.ansible.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kook.ansible.InventoryParseException;
import io.kook.ansible.ParsedInventory;
import io.kook.inventory.Names;
import tools.jackson.databind.JsonNode;

/**
 * Reads an INI inventory the way ansible-core 2.14's {@code ini} inventory plugin does, so that importing a file
 * and serving it back gives Ansible the same inventory. The typing rules are Ansible's, surprising as some are:
 * host-line values are shell-split then Python-literal-evaluated ({@code a="123"} is the int 123), {@code :vars}
 * values are the trimmed rest of the line, literal-evaluated ({@code a=bar # x} keeps {@code # x},
 * {@code a='bar' # x} does not), and {@code [g:children]} naming a group never defined is an error.
 * Stateless and thread-safe.
 */
public final class IniInventoryParser {

    /** {@code [group]}, {@code [group:vars]}, {@code [group:children]}, optionally followed by a # comment. */
    private static final Pattern SECTION = Pattern.compile("^\\[([^:\\]\\s]+)(?::(\\w+))?\\]\\s*(?:#.*)?$",
            Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES);
    private static final Pattern GROUP_NAME = Pattern.compile("^([^:\\]\\s]+)\\s*(?:#.*)?$",
            Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES);

    /** Parses an INI inventory; a source Ansible or Kook cannot take is an {@link InventoryParseException}. */
    public ParsedInventory parse(byte[] source) {
        return new Run().parse(SourceText.splitLines(SourceText.decodeEscapingBadBytes(source)));
    }

    /** A group named before it is declared: by {@code [g:vars]} or in a {@code [p:children]} section. */
    private record Pending(int line, boolean children, List<String> parents) {
    }

    /** One parse: the state of the plugin's single pass over the lines. */
    private static final class Run {
        private final InventoryBuilder inventory = new InventoryBuilder();
        private final Map<String, Pending> pending = new LinkedHashMap<>();
        private String group = Names.UNGROUPED;
        private String state = "hosts";
        private int lineNo;

        ParsedInventory parse(List<String> lines) {
            for (String raw : lines) {
                lineNo++;
                String line = SourceText.strip(raw);
                if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == ';') {
                    continue;
                }
                Matcher section = SECTION.matcher(line);
                if (section.matches()) {
                    section(section.group(1), section.group(2));
                } else if (line.startsWith("[") && line.endsWith("]")) {
                    throw error("Invalid section entry: '" + line + "'. Please make sure that there are no spaces"
                            + " in the section entry, and that there are no other invalid characters");
                } else if (state.equals("hosts")) {
                    hostLine(line);
                } else if (state.equals("vars")) {
                    varsLine(line);
                } else {
                    childLine(line);
                }
            }
            for (Map.Entry<String, Pending> p : pending.entrySet()) {
                String name = p.getKey();
                Pending decl = p.getValue();
                if (decl.children()) {
                    String parent = decl.parents().get(decl.parents().size() - 1);
                    throw new InventoryParseException(decl.line(),
                            "Section [" + parent + ":children] includes undefined group: " + name);
                }
                throw new InventoryParseException(decl.line(),
                        "Section [" + name + ":vars] not valid for undefined group: " + name);
            }
            return inventory.build();
        }

        private void section(String name, String kind) {
            String type = kind == null ? "hosts" : kind;
            if (!type.equals("hosts") && !type.equals("children") && !type.equals("vars")) {
                throw error("Section [" + name + ":" + type + "] has unknown type: " + type);
            }
            requireText(name);
            if (!inventory.hasGroup(name)) {
                // [g] or [g:children] declares a group; [g:vars] must be backed by one of them somewhere.
                if (type.equals("vars") && !pending.containsKey(name)) {
                    pending.put(name, new Pending(lineNo, false, List.of()));
                }
                inventory.addGroup(name, lineNo);
            }
            Pending decl = pending.get(name);
            if (decl != null && !type.equals("vars")) {
                if (decl.children()) {
                    addPendingChildren(name);
                } else {
                    pending.remove(name);
                }
            }
            group = name;
            state = type;
        }

        private void addPendingChildren(String child) {
            Pending decl = pending.get(child);
            for (String parent : decl.parents()) {
                inventory.addChild(parent, child, decl.line());
                Pending up = pending.get(parent);
                if (up != null && up.children()) {
                    addPendingChildren(parent);
                }
            }
            pending.remove(child);
        }

        private void hostLine(String line) {
            List<String> tokens;
            try {
                tokens = PythonShlex.split(line);
            } catch (IllegalArgumentException e) {
                throw error("Error parsing host definition '" + line + "': " + e.getMessage());
            }
            if (tokens.isEmpty()) {
                throw error("Expected a host definition, got: " + line);
            }
            tokens.forEach(this::requireText);
            String hostPattern = tokens.get(0);
            HostPatterns.Expansion expansion;
            try {
                expansion = HostPatterns.expand(hostPattern);
            } catch (HostPatterns.PatternException e) {
                throw error(e.getMessage());
            }
            if (SourceText.strip(hostPattern).endsWith(":") && expansion.port() == null) {
                throw error("Invalid host pattern '" + hostPattern + "' supplied, ending in ':' is not allowed,"
                        + " this character is reserved to provide a port.");
            }
            for (String host : expansion.hosts()) {
                if (SourceText.strip(host).equals("---")) {
                    throw error("Invalid host pattern '" + hostPattern + "' supplied, '---' is normally a sign"
                            + " this is a YAML file.");
                }
            }
            List<String[]> variables = new ArrayList<>();
            for (String token : tokens.subList(1, tokens.size())) {
                int eq = token.indexOf('=');
                if (eq < 0) {
                    throw error("Expected key=value host variable assignment, got: " + token);
                }
                variables.add(new String[] {token.substring(0, eq), token.substring(eq + 1)});
            }
            List<JsonNode> values = new ArrayList<>();
            for (String[] kv : variables) {
                values.add(value(kv[1]));
            }
            for (String host : expansion.hosts()) {
                inventory.addHost(host, group, expansion.port(), lineNo);
                for (int i = 0; i < variables.size(); i++) {
                    inventory.setHostVariable(host, variables.get(i)[0], values.get(i).deepCopy(), lineNo);
                }
            }
        }

        private void varsLine(String line) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw error("Expected key=value, got: " + line);
            }
            String key = SourceText.strip(line.substring(0, eq));
            String raw = SourceText.strip(line.substring(eq + 1));
            requireText(key);
            requireText(raw);
            inventory.setGroupVariable(group, key, value(raw), lineNo);
        }

        private void childLine(String line) {
            Matcher m = GROUP_NAME.matcher(line);
            if (!m.matches()) {
                throw error("Expected group name, got: " + line);
            }
            String child = m.group(1);
            requireText(child);
            if (inventory.hasGroup(child)) {
                inventory.addChild(group, child, lineNo);
            } else if (pending.containsKey(child)) {
                pending.get(child).parents().add(group);
            } else {
                List<String> parents = new ArrayList<>();
                parents.add(group);
                pending.put(child, new Pending(lineNo, true, parents));
            }
        }

        /** {@code _parse_value}: a Python literal if it is one, else the text itself. */
        private JsonNode value(String text) {
            Object v;
            try {
                v = PythonLiteral.eval(text);
            } catch (IllegalArgumentException e) {
                throw error("value '" + text + "': " + e.getMessage());
            }
            try {
                return PyValues.toJson(v == PythonLiteral.NOT_A_LITERAL ? text : v);
            } catch (IllegalArgumentException e) {
                throw error("value '" + text + "': " + e.getMessage());
            }
        }

        /** Bytes that are not UTF-8 may sit in comments, but not in anything Kook keeps. */
        private void requireText(String s) {
            if (SourceText.firstEscapedByte(s) >= 0) {
                throw error("the line is not valid UTF-8");
            }
        }

        private InventoryParseException error(String reason) {
            return new InventoryParseException(lineNo, reason);
        }
    }
}
