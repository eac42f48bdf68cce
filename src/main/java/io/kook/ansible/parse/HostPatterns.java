package io.kook.ansible.parse;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's host pattern handling ({@code parse_address} and {@code expand_hostname_range}): an optional
 * {@code :port} or {@code [address]:port}, then {@code [a:b]} / {@code [a:b:step]} ranges, numeric (leading
 * zeros kept) or alphabetic. A pattern Ansible does not recognise as an address keeps its port text in the
 * name, as Ansible does ({@code user@host:22} is a host of that name, without {@code ansible_port}).
 */
public final class HostPatterns {

    /** Expansion beyond this many hosts from one pattern is refused rather than exhausting memory. */
    static final int MAX_HOSTS_PER_PATTERN = 100_000;
    /** Longer patterns cannot produce a host name Kook accepts (253 characters at most). */
    static final int MAX_PATTERN_LENGTH = 4096;

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private static final String NUMERIC_RANGE = "\\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
    private static final String HEX_RANGE = "\\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\\]";
    private static final String ALNUM_RANGE = "\\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
    private static final String V6 = "(?:[0-9a-f]{1,4}|" + HEX_RANGE + ")";
    private static final String V4 = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|" + NUMERIC_RANGE + ")";
    private static final String LABEL = "(?:[\\w]|" + ALNUM_RANGE + ")(?:[\\w_-]|" + ALNUM_RANGE + ")*(?<![_-])";

    private static final Pattern BRACKETED_HOSTPORT = Pattern.compile("^\\[(.+)\\]:([0-9]+)$", Pattern.UNIX_LINES);
    private static final Pattern HOSTPORT =
            Pattern.compile("^((?:[^:\\[\\]]|\\[[^\\]]*\\])*):([0-9]+)$", Pattern.UNIX_LINES);
    private static final Pattern IPV4 = Pattern.compile("^(?:" + V4 + "\\.){3}" + V4 + "$",
            Pattern.CASE_INSENSITIVE | Pattern.UNIX_LINES);
    /** As in Ansible, only the first alternative is anchored at the end, so this matches prefixes too. */
    private static final Pattern IPV6 = Pattern.compile(
            "^(?:" + V6 + ":){7}" + V6 + "|"
                    + "(?:" + V6 + ":){1,6}:|"
                    + "(?:" + V6 + ":)(?::" + V6 + "){1,6}|"
                    + "(?:" + V6 + ":){2}(?::" + V6 + "){1,5}|"
                    + "(?:" + V6 + ":){3}(?::" + V6 + "){1,4}|"
                    + "(?:" + V6 + ":){4}(?::" + V6 + "){1,3}|"
                    + "(?:" + V6 + ":){5}(?::" + V6 + "){1,2}|"
                    + "(?:" + V6 + ":){6}(?::" + V6 + ")|"
                    + ":(?::" + V6 + "){1,6}|"
                    + V6 + "?::|"
                    + "(?:0:){6}(?:" + V6 + "\\.){3}" + V6 + "|"
                    + "::(?:ffff:)?(?:" + V6 + "\\.){3}" + V6 + "|"
                    + "(?:0:){5}ffff:(?:" + V6 + "\\.){3}" + V6 + "$",
            Pattern.CASE_INSENSITIVE | Pattern.UNIX_LINES);
    private static final Pattern HOSTNAME = Pattern.compile("^" + LABEL + "(?:\\." + LABEL + ")*$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES);

    private HostPatterns() {
    }

    /** The hosts a pattern names and the port it gives them ({@code null} when none). */
    record Expansion(List<String> hosts, BigInteger port) {
    }

    /** A pattern Ansible refuses; the message is Ansible's. */
    static final class PatternException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PatternException(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code BaseInventoryPlugin._expand_hostpattern}. */
    static Expansion expand(String hostPattern) {
        if (hostPattern.length() > MAX_PATTERN_LENGTH) {
            throw new PatternException("host pattern longer than " + MAX_PATTERN_LENGTH + " characters");
        }
        String pattern = hostPattern;
        BigInteger port = null;
        String[] address = parseAddress(hostPattern);
        if (address != null) {
            pattern = address[0];
            port = address[1] == null ? null : new BigInteger(address[1]);
        }
        List<String> hosts = new ArrayList<>();
        if (pattern.indexOf('[') >= 0) {
            expandRange(pattern, hosts);
        } else {
            hosts.add(pattern);
        }
        return new Expansion(hosts, port);
    }

    /**
     * Whether Ansible's {@code parse_address(pattern, allow_ranges=True)} accepts {@code pattern}: then
     * {@code split_host_pattern} keeps its colons (an IPv6 address, a {@code [a:b]} range) instead of splitting.
     */
    public static boolean isAddress(String pattern) {
        return parseAddress(pattern) != null;
    }

    /** Python's {@code str.strip()}: Unicode whitespace at both ends. */
    public static String strip(String text) {
        return SourceText.strip(text);
    }

    /** {@code parse_address(address, allow_ranges=True)}: {host, port or null}, or null where Ansible raises. */
    private static String[] parseAddress(String address) {
        String port = null;
        for (Pattern p : new Pattern[] {BRACKETED_HOSTPORT, HOSTPORT}) {
            Matcher m = p.matcher(address);
            if (m.lookingAt()) {
                address = m.group(1);
                port = m.group(2);
            }
        }
        if (IPV4.matcher(address).lookingAt() || IPV6.matcher(address).lookingAt()
                || HOSTNAME.matcher(address).lookingAt()) {
            return new String[] {address, port};
        }
        return null;
    }

    /** {@code expand_hostname_range}: expands the first {@code [..]}, then recurses on what is left. */
    private static void expandRange(String line, List<String> out) {
        String[] parts = replaceFirst(replaceFirst(line, '[', '|'), ']', '|').split("\\|", -1);
        if (parts.length != 3) {
            throw new PatternException("host range in '" + line + "' is not of the form head[begin:end]tail");
        }
        String head = parts[0];
        String range = parts[1];
        String tail = parts[2];
        String[] bounds = range.split(":", -1);
        if (bounds.length != 2 && bounds.length != 3) {
            throw new PatternException("host range must be begin:end or begin:end:step");
        }
        String beg = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        String step = bounds.length == 3 ? bounds[2] : "1";
        if (end.isEmpty()) {
            throw new PatternException("host range must specify end value");
        }
        int width = 0;
        if (beg.charAt(0) == '0' && beg.length() > 1) {
            width = beg.length();
            if (width != end.length()) {
                throw new PatternException("host range must specify equal-length begin and end formats");
            }
        }
        List<String> seq = new ArrayList<>();
        int iBeg = LETTERS.indexOf(beg);
        int iEnd = LETTERS.indexOf(end);
        BigInteger stride = pyInt(step);
        if (iBeg >= 0 && iEnd >= 0 && stride.signum() != 0) {
            if (iBeg > iEnd) {
                throw new PatternException("host range must have begin <= end");
            }
            if (stride.signum() > 0) {
                int by = stride.min(BigInteger.valueOf(LETTERS.length())).intValue();
                for (int k = iBeg; k <= iEnd; k += by) {
                    seq.add(String.valueOf(LETTERS.charAt(k)));
                }
            }
        } else {
            BigInteger from = pyInt(beg);
            BigInteger to = pyInt(end);
            if (stride.signum() == 0) {
                throw new PatternException("range() arg 3 must not be zero");
            }
            if (stride.signum() > 0) {
                for (BigInteger k = from; k.compareTo(to) <= 0; k = k.add(stride)) {
                    if (seq.size() >= MAX_HOSTS_PER_PATTERN) {
                        throw tooMany();
                    }
                    seq.add(zfill(k.toString(), width));
                }
            }
        }
        for (String value : seq) {
            String name = head + value + tail;
            if (name.indexOf('[') >= 0) {
                expandRange(name, out);
            } else {
                out.add(name);
            }
            if (out.size() > MAX_HOSTS_PER_PATTERN) {
                throw tooMany();
            }
        }
    }

    private static String replaceFirst(String s, char from, char to) {
        int at = s.indexOf(from);
        return at < 0 ? s : s.substring(0, at) + to + s.substring(at + 1);
    }

    private static PatternException tooMany() {
        return new PatternException("host range expands to more than " + MAX_HOSTS_PER_PATTERN + " hosts");
    }

    /** Python's {@code str(x).zfill(width)}. */
    private static String zfill(String s, int width) {
        if (s.length() >= width) {
            return s;
        }
        boolean signed = s.startsWith("-") || s.startsWith("+");
        String digits = signed ? s.substring(1) : s;
        return (signed ? s.substring(0, 1) : "") + "0".repeat(width - s.length()) + digits;
    }

    /** Python's {@code int(text)} for base 10. */
    static BigInteger pyInt(String text) {
        String t = SourceText.strip(text);
        if (!t.matches("[+-]?[0-9]+(?:_[0-9]+)*") || t.replaceAll("[^0-9]", "").length() > 4300) {
            throw new PatternException("invalid literal for int() with base 10: '" + text + "'");
        }
        return new BigInteger(t.replace("_", ""));
    }
}
