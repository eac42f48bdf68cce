package io.kook.query;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kook.ansible.parse.HostPatterns;
import io.kook.inventory.KookException;
import io.kook.inventory.Snapshot;

/**
 * Ansible 2.14's host pattern selection ({@code InventoryManager.list_hosts}) over a snapshot, so that
 * {@code GET /hosts?pattern=} names exactly the hosts {@code ansible --list-hosts} (or {@code --limit}) would:
 * {@code ,} and {@code :} lists (a pattern that parses as an address or range keeps its colons), plain patterns
 * first, then {@code &} intersections, then {@code !} exclusions; {@code fnmatch} globs and {@code ~regex}
 * ({@code re.match}) tried against group names and then host names; {@code [n]}, {@code [-n]}, {@code [a:b]},
 * {@code [a:]} subscripts over the matched hosts in Ansible's inventory order; a pattern that is exactly a host
 * name means that host. Hosts only Ansible would invent (the implicit {@code localhost}) are never returned:
 * Kook answers with stored hosts.
 */
public final class AnsiblePattern {

    /** {@code C.LOCALHOST}: names Ansible resolves to an implicit local host when the inventory lacks them. */
    static final Set<String> LOCALHOST = Set.of("127.0.0.1", "localhost", "::1");

    /** {@code PATTERN_WITH_SUBSCRIPT}. */
    private static final Pattern SUBSCRIPT = Pattern.compile(
            "^(.+)\\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\\]$", Pattern.UNIX_LINES);
    /** Python's {@code \s} in a str pattern: the characters {@code str.isspace()} accepts. */
    private static final String PY_SPACE =
            "\\t\\n\\x0b\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
    /** The colon-list fallback of {@code split_host_pattern}: words and complete bracketed expressions. */
    private static final Pattern COLON_LIST = Pattern.compile("(?:[^" + PY_SPACE + ":\\[\\]]|\\[[^\\]]*\\])+");

    /** Longest pattern accepted. */
    public static final int MAX_LENGTH = 4096;

    private final AnsibleView view;
    private final Map<String, List<String>> cache = new HashMap<>();
    private final MatchBudget budget = new MatchBudget("pattern", MatchBudget.DEFAULT_STEPS);

    private AnsiblePattern(AnsibleView view) {
        this.view = view;
    }

    /**
     * The stored hosts {@code pattern} targets, sorted by name.
     *
     * @param includeUnknownHosts whether the inventory shows registered hosts Kook does not store (they take part
     *                            in ordering and subscripts as in Ansible, but are not returned)
     * @throws KookException.Invalid when Ansible would reject the pattern, or it cannot be evaluated faithfully
     */
    public static List<String> hosts(Snapshot snapshot, String pattern, boolean includeUnknownHosts) {
        if (pattern.length() > MAX_LENGTH) {
            throw invalid("is longer than " + MAX_LENGTH + " characters");
        }
        AnsiblePattern p = new AnsiblePattern(AnsibleView.of(snapshot, includeUnknownHosts));
        TreeSet<String> result = new TreeSet<>();
        for (String host : p.listHosts(pattern)) {
            if (snapshot.host(host) != null) {
                result.add(host);
            }
        }
        return List.copyOf(result);
    }

    /** {@code list_hosts}: the names in Ansible's order (an implicit localhost included, as Ansible lists it). */
    List<String> listHosts(String pattern) {
        List<String> parts = split(pattern);
        for (String part : parts) {
            if (part.startsWith("@")) {
                throw invalid("'" + part + "' reads a limit file, which only a command line can do");
            }
        }
        List<String> hosts = evaluate(parts);
        if (hosts.isEmpty() && LOCALHOST.contains(pattern)) {
            return List.of(pattern);
        }
        return hosts;
    }

    /** For tests: the evaluation in Ansible's order over {@code view}. */
    static List<String> listHosts(AnsibleView view, String pattern) {
        return new AnsiblePattern(view).listHosts(pattern);
    }

    /** {@code split_host_pattern}. */
    static List<String> split(String pattern) {
        List<String> patterns = new ArrayList<>();
        if (pattern.indexOf(',') >= 0) {
            patterns.addAll(List.of(pattern.split(",", -1)));
        } else if (HostPatterns.isAddress(pattern)) {
            patterns.add(pattern);
        } else {
            Matcher m = COLON_LIST.matcher(pattern);
            while (m.find()) {
                patterns.add(m.group());
            }
        }
        List<String> result = new ArrayList<>();
        for (String p : patterns) {
            String s = HostPatterns.strip(p);
            if (!s.isEmpty()) {
                result.add(s);
            }
        }
        return result;
    }

    /** {@code _evaluate_patterns} after {@code order_patterns}. */
    private List<String> evaluate(List<String> patterns) {
        List<String> regular = new ArrayList<>();
        List<String> intersections = new ArrayList<>();
        List<String> exclusions = new ArrayList<>();
        for (String p : patterns) {
            if (p.charAt(0) == '!') {
                exclusions.add(p);
            } else if (p.charAt(0) == '&') {
                intersections.add(p);
            } else {
                regular.add(p);
            }
        }
        if (regular.isEmpty()) {
            regular.add("all");
        }
        List<String> ordered = new ArrayList<>(regular);
        ordered.addAll(intersections);
        ordered.addAll(exclusions);

        LinkedHashSet<String> hosts = new LinkedHashSet<>();
        for (String p : ordered) {
            if (view.isHost(p)) {
                hosts.add(p);
                continue;
            }
            List<String> that = matchOne(p);
            if (p.charAt(0) == '!') {
                hosts.removeAll(new HashSet<>(that));
            } else if (p.charAt(0) == '&') {
                hosts.retainAll(new HashSet<>(that));
            } else {
                hosts.addAll(that);
            }
        }
        return new ArrayList<>(hosts);
    }

    /** {@code _match_one_pattern}. */
    private List<String> matchOne(String pattern) {
        if (pattern.charAt(0) == '&' || pattern.charAt(0) == '!') {
            pattern = pattern.substring(1);
        }
        if (pattern.isEmpty()) {
            throw invalid("an empty pattern after '&' or '!'");
        }
        List<String> cached = cache.get(pattern);
        if (cached != null) {
            return cached;
        }
        String expr = pattern;
        BigInteger start = null;
        BigInteger end = null;
        boolean range = false;
        if (pattern.charAt(0) != '~') {
            Matcher m = SUBSCRIPT.matcher(pattern);
            if (m.lookingAt()) {
                expr = m.group(1);
                if (m.group(2) != null) {
                    start = new BigInteger(m.group(2));
                } else {
                    range = true;
                    start = new BigInteger(m.group(3));
                    end = m.group(5).isEmpty() ? BigInteger.ONE.negate() : new BigInteger(m.group(5));
                }
            }
        }
        List<String> hosts = enumerate(expr);
        if (start != null && !hosts.isEmpty()) {
            hosts = subscript(hosts, start, range ? end : null, pattern);
        }
        cache.put(pattern, hosts);
        return hosts;
    }

    /** {@code _apply_subscript}: {@code [a:b]} is inclusive, {@code b == 0} means "just a", like Ansible's truthiness. */
    private static List<String> subscript(List<String> hosts, BigInteger start, BigInteger end, String pattern) {
        int size = hosts.size();
        if (end != null && end.signum() != 0) {
            BigInteger last = end.equals(BigInteger.ONE.negate()) ? BigInteger.valueOf(size - 1) : end;
            int from = clamp(start, size);
            int to = clamp(last.add(BigInteger.ONE), size);
            return from >= to ? List.of() : List.copyOf(hosts.subList(from, to));
        }
        BigInteger index = start.signum() < 0 ? start.add(BigInteger.valueOf(size)) : start;
        if (index.signum() < 0 || index.compareTo(BigInteger.valueOf(size)) >= 0) {
            throw invalid("no hosts matched the subscripted pattern '" + pattern + "'");
        }
        return List.of(hosts.get(index.intValueExact()));
    }

    /** A non-negative Python slice bound against {@code size}. */
    private static int clamp(BigInteger bound, int size) {
        return bound.compareTo(BigInteger.valueOf(size)) > 0 ? size : bound.intValueExact();
    }

    /** {@code _enumerate_matches}: hosts of every matching group, then matching hosts; duplicates kept. */
    private List<String> enumerate(String pattern) {
        Pattern compiled = compile(pattern);
        List<String> results = new ArrayList<>();
        boolean groupMatched = false;
        for (String group : view.groups()) {
            if (budget.lookingAt(compiled, group)) {
                groupMatched = true;
                results.addAll(view.hostsOf(group));
            }
        }
        if (!groupMatched || pattern.charAt(0) == '~' || pattern.indexOf('.') >= 0 || pattern.indexOf('?') >= 0
                || pattern.indexOf('*') >= 0 || pattern.indexOf('[') >= 0) {
            for (String host : view.hosts()) {
                if (budget.lookingAt(compiled, host)) {
                    results.add(host);
                }
            }
        }
        if (results.isEmpty() && LOCALHOST.contains(pattern)) {
            results.add(view.localhost() != null ? view.localhost() : pattern);
        }
        return results;
    }

    /** {@code _match_list}'s compile: a regex after {@code ~}, else {@code fnmatch.translate}. */
    private static Pattern compile(String pattern) {
        try {
            return PythonRegex.compile(pattern.charAt(0) == '~' ? pattern.substring(1) : Fnmatch.translate(pattern));
        } catch (PythonRegex.Error e) {
            throw invalid("'" + pattern + "' is not a valid host pattern: " + e.getMessage());
        }
    }

    private static KookException.Invalid invalid(String message) {
        return KookException.invalid("pattern", message);
    }
}
