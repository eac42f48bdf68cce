package io.kook.inventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Keeps a snapshot's sorted name lists up to date without sorting every name again for every change. */
public final class SortedNames {

    private SortedNames() {
    }

    /**
     * The sorted names after {@code changes} (a {@code null} value: the name is gone): the previous list when no
     * name came or went, else one merge of the previous list (minus removed names) with the sorted new names.
     *
     * @param existed whether a name was in {@code previous}
     */
    public static List<String> after(List<String> previous, Map<String, ?> changes, Predicate<String> existed) {
        List<String> added = new ArrayList<>();
        Set<String> removed = new HashSet<>();
        changes.forEach((name, value) -> {
            boolean before = existed.test(name);
            if (!before && value != null) {
                added.add(name);
            } else if (before && value == null) {
                removed.add(name);
            }
        });
        if (added.isEmpty() && removed.isEmpty()) {
            return previous;
        }
        added.sort(null);
        List<String> merged = new ArrayList<>(previous.size() + added.size());
        int a = 0;
        for (String name : previous) {
            if (removed.contains(name)) {
                continue;
            }
            while (a < added.size() && added.get(a).compareTo(name) < 0) {
                merged.add(added.get(a++));
            }
            merged.add(name);
        }
        merged.addAll(added.subList(a, added.size()));
        return merged;
    }
}
