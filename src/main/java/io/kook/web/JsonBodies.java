package io.kook.web;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import io.kook.inventory.KookException;
import io.kook.inventory.Names;
import io.kook.inventory.Vars;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Strict reading of request bodies: a body is a JSON object with known members of the right types, so a
 * typo or a wrong type is a 400 naming the field instead of a silently ignored member.
 */
public final class JsonBodies {

    private JsonBodies() {
    }

    public static ObjectNode object(JsonNode body, Set<String> allowed) {
        if (!(body instanceof ObjectNode object)) {
            throw KookException.invalid("body", "must be a JSON object");
        }
        for (String field : object.propertyNames()) {
            if (!allowed.contains(field)) {
                throw KookException.invalid(field, "unknown member; allowed: " + String.join(", ", allowed));
            }
        }
        return object;
    }

    /** The {@code vars} member: absent is {@code null}; anything but an object is 400. */
    public static ObjectNode vars(ObjectNode body) {
        JsonNode vars = body.get("vars");
        if (vars == null) {
            return null;
        }
        if (!(vars instanceof ObjectNode object)) {
            throw KookException.invalid("vars", "must be a JSON object");
        }
        return object;
    }

    /** The {@code vars} member of a merge patch: an object, {@code null} (remove all), or absent. */
    public static Vars.Patch varsPatch(ObjectNode body) {
        boolean cleared = body.has("vars") && body.get("vars").isNull();
        return new Vars.Patch(cleared ? null : vars(body), cleared);
    }

    public static String string(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isString()) {
            throw KookException.invalid(field, "must be a string");
        }
        return value.asString();
    }

    /** A list member of host names: absent is {@code null}; duplicates collapse. */
    public static List<String> hostNames(ObjectNode body, String field) {
        return names(body, field, Names::hostNameProblem, false);
    }

    /** A list member of group names: absent is {@code null}; the implicit groups are refused. */
    public static List<String> groupNames(ObjectNode body, String field) {
        return names(body, field, Names::groupNameProblem, true);
    }

    private static List<String> names(ObjectNode body, String field, Function<String, String> rule,
                                      boolean groups) {
        JsonNode value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw KookException.invalid(field, "must be an array of names");
        }
        Set<String> names = new LinkedHashSet<>();
        List<KookException.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String path = field + "[" + i + "]";
            if (!item.isString()) {
                errors.add(new KookException.FieldError(path, "must be a string"));
                continue;
            }
            String name = item.asString();
            String problem = rule.apply(name);
            if (problem == null && groups && Names.isReserved(name)) {
                problem = "'" + name + "' is implicit and cannot be named in a list";
            }
            if (problem != null) {
                errors.add(new KookException.FieldError(path, problem));
            } else {
                names.add(name);
            }
        }
        if (!errors.isEmpty()) {
            throw new KookException.Invalid(field + " holds invalid names", errors);
        }
        return List.copyOf(names);
    }
}
