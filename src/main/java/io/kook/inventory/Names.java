package io.kook.inventory;

import java.util.regex.Pattern;

/** The naming rules of the contract; a name that breaks them never reaches ZooKeeper. */
public final class Names {

    public static final String ALL = "all";
    public static final String UNGROUPED = "ungrouped";

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:@\\[\\]-]{1,253}");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}");

    private Names() {
    }

    /** @return why {@code name} is not a valid host name, or {@code null} when it is */
    public static String hostNameProblem(String name) {
        if (name == null || !HOST.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            return "host names are 1-253 characters of A-Z a-z 0-9 . _ : @ [ ] -, and not '.' or '..'";
        }
        return null;
    }

    /** @return why {@code name} is not a valid group name, or {@code null} when it is */
    public static String groupNameProblem(String name) {
        if (name == null || !GROUP.matcher(name).matches()) {
            return "group names are 1-255 characters of A-Z a-z 0-9 _ . -, not starting with '.' or '-'";
        }
        return null;
    }

    public static boolean isReserved(String group) {
        return ALL.equals(group) || UNGROUPED.equals(group);
    }

    public static void requireHost(String field, String name) {
        String problem = hostNameProblem(name);
        if (problem != null) {
            throw KookException.invalid(field, problem);
        }
    }

    public static void requireGroup(String field, String name) {
        String problem = groupNameProblem(name);
        if (problem != null) {
            throw KookException.invalid(field, problem);
        }
    }
}
