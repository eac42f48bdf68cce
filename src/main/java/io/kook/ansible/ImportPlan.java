package io.kook.ansible;

import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.node.ObjectNode;

/**
 * What an import changes, as plain data: the entity writes and edge changes that turn the current inventory
 * into the imported one, and the report the client gets.
 */
public record ImportPlan(Map<String, ObjectNode> createHosts, Map<String, ObjectNode> setHosts, Set<String> deleteHosts,
                         Map<String, ObjectNode> createGroups, Map<String, ObjectNode> setGroups,
                         Set<String> deleteGroups, List<Edge> addMembers, List<Edge> removeMembers,
                         List<Edge> addChildren, List<Edge> removeChildren, Report report) {

    /** A membership ({@code member} is a host) or nesting ({@code member} is a group) edge. */
    public record Edge(String group, String member) {
    }

    /** The import report of the contract. */
    public record Report(int hostsCreated, int hostsUpdated, int hostsDeleted, int groupsCreated, int groupsUpdated,
                         int groupsDeleted, List<String> warnings) {
    }
}
