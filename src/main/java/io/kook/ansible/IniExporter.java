package io.kook.ansible;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kook.ansible.parse.IniSyntax;
import io.kook.inventory.Group;
import io.kook.inventory.KookException;
import io.kook.inventory.Names;
import io.kook.inventory.Snapshot;
import tools.jackson.databind.JsonNode;

/**
 * Writes a snapshot as an {@code ansible.builtin.ini} inventory that imports back to the same inventory, types
 * included: hosts in no group come first (before any section, where the plugin puts them in {@code ungrouped}),
 * then {@code [all:vars]}, then each group in name order as {@code [g]} with its hosts, {@code [g:children]}
 * and {@code [g:vars]}. Every group gets its {@code [g]} section, so an empty group survives and a
 * {@code :children} line never names a group the plugin has not seen by the end. A host's vars go on the first
 * line that names it (the plugin sets host vars wherever the host is listed), except that a host named like a
 * group is listed with its vars before any section too: once a group of that name exists, the plugin gives vars
 * written on the host to the group, and a host listed there that belongs to groups leaves {@code ungrouped}
 * again. Values are Python literals, see {@link IniSyntax}.
 */
public final class IniExporter {

    /** How many entities a refusal names at most. */
    private static final int NAMED = 20;

    private IniExporter() {
    }

    /**
     * @throws KookException.Conflict (409) naming the hosts, groups and vars INI cannot express (see
     *         {@link IniSyntax}): an export that imports back as another inventory is worse than none, and the
     *         JSON inventory holds everything exactly
     */
    public static String export(Snapshot s) {
        List<String> problems = new ArrayList<>();
        for (String h : s.hostNames()) {
            String nameProblem = IniSyntax.hostNameProblem(h);
            if (nameProblem != null) {
                problems.add("host '" + h + "': " + nameProblem);
            }
            if (Names.isReserved(h) && !s.host(h).vars().isEmpty()) {
                problems.add("host '" + h + "': Ansible gives vars written on a host line to the group of the same"
                        + " name, and the group '" + h + "' always exists");
            }
            varProblems("host '" + h + "'", s.host(h).vars(), problems);
        }
        varProblems("group 'all'", s.group(Names.ALL).vars(), problems);
        for (String g : s.ordinaryGroupNames()) {
            varProblems("group '" + g + "'", s.storedGroup(g).vars(), problems);
        }
        if (!problems.isEmpty()) {
            throw refusal(problems);
        }

        StringBuilder out = new StringBuilder(4096 + s.hostCount() * 64);
        out.append("# Kook inventory at revision ").append(s.revision()).append(", as an Ansible INI inventory.\n")
                .append("# Every value is a Python literal: '1' is a string, 1 an int, 1.0 a float.\n");
        Set<String> varsWritten = new HashSet<>();
        List<String> first = new ArrayList<>(s.ungrouped());
        for (String h : s.hostNames()) {
            if (s.storedGroup(h) != null && !s.host(h).vars().isEmpty() && !s.host(h).groups().isEmpty()) {
                first.add(h);
            }
        }
        if (!first.isEmpty()) {
            out.append('\n');
            hostLines(s, first, varsWritten, out);
        }
        JsonNode allVars = s.group(Names.ALL).vars();
        if (!allVars.isEmpty()) {
            out.append("\n[all:vars]\n");
            varsLines(allVars, out);
        }
        for (String name : s.ordinaryGroupNames()) {
            Group g = s.storedGroup(name);
            out.append("\n[").append(name).append("]\n");
            hostLines(s, g.hosts(), varsWritten, out);
            if (!g.children().isEmpty()) {
                out.append("\n[").append(name).append(":children]\n");
                g.children().forEach(c -> out.append(c).append('\n'));
            }
            if (!g.vars().isEmpty()) {
                out.append("\n[").append(name).append(":vars]\n");
                varsLines(g.vars(), out);
            }
        }
        return out.toString();
    }

    private static void varProblems(String owner, JsonNode vars, List<String> problems) {
        for (Map.Entry<String, JsonNode> e : vars.properties()) {
            String keyProblem = IniSyntax.varNameProblem(e.getKey());
            if (keyProblem != null) {
                problems.add(owner + " var '" + e.getKey() + "': " + keyProblem);
                continue;
            }
            try {
                IniSyntax.literal(e.getValue());
            } catch (IllegalArgumentException tooDeep) {
                problems.add(owner + " var '" + e.getKey() + "': " + tooDeep.getMessage());
            }
        }
    }

    private static void hostLines(Snapshot s, List<String> hosts, Set<String> varsWritten, StringBuilder out) {
        for (String h : hosts) {
            out.append(h);
            if (varsWritten.add(h)) {
                for (Map.Entry<String, JsonNode> e : s.host(h).vars().properties()) {
                    out.append(' ').append(IniSyntax.hostVarWord(e.getKey(), e.getValue()));
                }
            }
            out.append('\n');
        }
    }

    private static void varsLines(JsonNode vars, StringBuilder out) {
        for (Map.Entry<String, JsonNode> e : vars.properties()) {
            out.append(IniSyntax.varsLine(e.getKey(), e.getValue())).append('\n');
        }
    }

    private static KookException.Conflict refusal(List<String> problems) {
        String named = String.join("; ", problems.subList(0, Math.min(NAMED, problems.size())))
                + (problems.size() > NAMED ? "; and " + (problems.size() - NAMED) + " more" : "");
        return new KookException.Conflict("this inventory cannot be written as"
                + " an INI inventory that imports back the same: " + named + ". Rename what is named, or export the"
                + " JSON inventory (format=json, the default), which holds everything exactly and imports back as"
                + " application/json");
    }
}
