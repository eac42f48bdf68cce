package io.kook.mirror;

import java.util.Collections;
import java.util.HashMap;
import java.util.TreeMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.kook.inventory.Group;
import io.kook.inventory.Host;
import io.kook.inventory.Registration;
import tools.jackson.databind.node.ObjectNode;

/**
 * The mirror's working copy of the tree: entities and the four edge indexes, changed one ZooKeeper event at
 * a time. Edges are kept apart from entities so events may arrive in any order within a transaction. Not
 * thread-safe: the {@link Mirror} confines it to one lock. Every change marks the entities it touches, so a
 * {@link Delta} holds only what changed since the last one.
 */
final class MirrorState {

    private record Entity(ObjectNode vars, int version, long czxid, boolean readable) {
    }

    private final Map<String, Entity> hosts = new HashMap<>();
    private final Map<String, Entity> groups = new HashMap<>();
    private final Map<String, TreeSet<String>> groupHosts = new HashMap<>();
    private final Map<String, TreeSet<String>> hostGroups = new HashMap<>();
    private final Map<String, TreeSet<String>> groupChildren = new HashMap<>();
    private final Map<String, TreeSet<String>> groupParents = new HashMap<>();
    private int topologyVersion;
    private int importVersion;
    private boolean importOpen;

    private final Map<String, TreeMap<String, Registration>> services = new TreeMap<>();
    private boolean servicesDirty;

    private final Set<String> dirtyHosts = new HashSet<>();
    private final Set<String> dirtyGroups = new HashSet<>();
    private boolean topologyDirty;

    void putHost(String name, ObjectNode vars, int version, long czxid, boolean readable) {
        hosts.put(name, new Entity(vars, version, czxid, readable));
        dirtyHosts.add(name);
    }

    void removeHost(String name) {
        hosts.remove(name);
        dirtyHosts.add(name);
    }

    void putGroup(String name, ObjectNode vars, int version, long czxid, boolean readable) {
        groups.put(name, new Entity(vars, version, czxid, readable));
        dirtyGroups.add(name);
    }

    void removeGroup(String name) {
        groups.remove(name);
        dirtyGroups.add(name);
        for (String host : edges(groupHosts, name)) {
            removeMember(name, host);
        }
        for (String child : edges(groupChildren, name)) {
            removeChild(name, child);
        }
        for (String parent : edges(groupParents, name)) {
            removeChild(parent, name);
        }
    }

    void addMember(String group, String host) {
        link(groupHosts, group, host);
        link(hostGroups, host, group);
        dirtyGroups.add(group);
        dirtyHosts.add(host);
    }

    void removeMember(String group, String host) {
        unlink(groupHosts, group, host);
        unlink(hostGroups, host, group);
        dirtyGroups.add(group);
        dirtyHosts.add(host);
    }

    void addChild(String group, String child) {
        link(groupChildren, group, child);
        link(groupParents, child, group);
        dirtyGroups.add(group);
        dirtyGroups.add(child);
    }

    void removeChild(String group, String child) {
        unlink(groupChildren, group, child);
        unlink(groupParents, child, group);
        dirtyGroups.add(group);
        dirtyGroups.add(child);
    }

    void topologyVersion(int version) {
        topologyVersion = version;
        topologyDirty = true;
    }

    /** The import guard's version, and whether a batched import holds it open. */
    void importGuard(int version, boolean open) {
        importVersion = version;
        importOpen = open;
        topologyDirty = true;
    }

    boolean importOpen() {
        return importOpen;
    }

    void putRegistration(Registration registration) {
        services.computeIfAbsent(registration.service(), k -> new TreeMap<>()).put(registration.instance(), registration);
        servicesDirty = true;
    }

    void removeRegistration(String service, String instance) {
        TreeMap<String, Registration> instances = services.get(service);
        if (instances != null && instances.remove(instance) != null) {
            if (instances.isEmpty()) {
                services.remove(service);
            }
            servicesDirty = true;
        }
    }

    boolean dirty() {
        return servicesDirty || topologyDirty || !dirtyHosts.isEmpty() || !dirtyGroups.isEmpty();
    }

    /** Marks every entity changed, so the next delta replaces the published snapshot whole. */
    void markAllDirty() {
        dirtyHosts.addAll(hosts.keySet());
        dirtyGroups.addAll(groups.keySet());
        topologyDirty = true;
        servicesDirty = true;
    }

    /** The immutable records of everything changed since the last call; {@code null} values are removals. */
    Delta drain(long revision, boolean full, long generation) {
        Map<String, Host> hostChanges = new LinkedHashMap<>();
        for (String name : dirtyHosts) {
            Entity e = hosts.get(name);
            hostChanges.put(name, e == null ? null
                    : new Host(name, e.vars(), List.copyOf(edges(hostGroups, name)), e.version(), e.czxid(), !e.readable()));
        }
        Map<String, Group> groupChanges = new LinkedHashMap<>();
        for (String name : dirtyGroups) {
            Entity e = groups.get(name);
            groupChanges.put(name, e == null ? null
                    : new Group(name, e.vars(), List.copyOf(edges(groupHosts, name)),
                    List.copyOf(edges(groupChildren, name)), List.copyOf(edges(groupParents, name)), e.version(),
                    e.czxid(), !e.readable()));
        }
        Map<String, List<Registration>> registrations = null;
        if (servicesDirty) {
            registrations = new TreeMap<>();
            for (Map.Entry<String, TreeMap<String, Registration>> e : services.entrySet()) {
                registrations.put(e.getKey(), List.copyOf(e.getValue().values()));
            }
            registrations = Collections.unmodifiableMap(registrations);
        }
        dirtyHosts.clear();
        dirtyGroups.clear();
        topologyDirty = false;
        servicesDirty = false;
        return new Delta(revision, topologyVersion, importVersion, hostChanges, groupChanges, registrations, full, generation);
    }

    private static Set<String> edges(Map<String, TreeSet<String>> index, String key) {
        TreeSet<String> set = index.get(key);
        return set == null ? Set.of() : new TreeSet<>(set);
    }

    private static void link(Map<String, TreeSet<String>> index, String from, String to) {
        index.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
    }

    private static void unlink(Map<String, TreeSet<String>> index, String from, String to) {
        TreeSet<String> set = index.get(from);
        if (set != null && set.remove(to) && set.isEmpty()) {
            index.remove(from);
        }
    }
}
