package io.kook.security;

import java.util.List;
import java.util.Set;

import io.kook.inventory.KookException;
import io.kook.store.Change;
import io.kook.store.ChangePolicy;
import tools.jackson.databind.JsonNode;

/**
 * Vars that run code on every Ansible controller reading the inventory: a Jinja template anywhere in a value (a
 * {@code lookup('pipe', ...)} runs when Ansible templates it), or a var Ansible uses to build a command line. Only a
 * caller allowed privileged vars may give one a new value, on every path in (PUT, PATCH, POST, imports); vars a
 * change leaves as they were are not judged, so ordinary edits of a host an admin configured still go through.
 */
final class PrivilegedVars implements ChangePolicy {

    private static final List<String> JINJA_MARKERS = List.of("{{", "{%", "{#");

    private final Set<String> names;

    PrivilegedVars(List<String> names) {
        this.names = Set.copyOf(names);
    }

    @Override
    public void check(Change change) {
        Caller caller = Caller.current();
        if (caller.mayWritePrivilegedVars()) {
            return;
        }
        change.forEachNewVar((entity, var, value) -> {
            String why = names.contains(var) ? "makes Ansible run a command on the controller"
                    : hasJinja(var) || hasJinja(value) ? "holds a Jinja template, which Ansible evaluates on the controller"
                    : null;
            if (why != null) {
                throw new KookException.Forbidden("var " + var + " of " + entity + " " + why
                        + "; only an admin token or one created with \"privilegedVars\": true may set it (token "
                        + caller.name() + " may not); nothing was changed");
            }
        });
    }

    private static boolean hasJinja(String text) {
        for (String marker : JINJA_MARKERS) {
            if (text.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasJinja(JsonNode value) {
        if (value.isString()) {
            return hasJinja(value.asString());
        }
        for (var entry : value.properties()) {
            if (hasJinja(entry.getKey()) || hasJinja(entry.getValue())) {
                return true;
            }
        }
        for (JsonNode element : value.isArray() ? value : List.<JsonNode>of()) {
            if (hasJinja(element)) {
                return true;
            }
        }
        return false;
    }
}
