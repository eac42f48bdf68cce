package io.kook.query;

import java.util.ArrayList;
import java.util.List;

/**
 * Python 3.11's {@code fnmatch.translate}, line for line: Ansible compiles its result with {@code re}, so the
 * regex it builds (classes with {@code !}, empty ranges dropped, {@code *} as atomic groups) goes through
 * {@link PythonRegex} like a {@code ~regex} does, and glob and regex patterns share one set of semantics.
 */
final class Fnmatch {

    private static final Object STAR = new Object();

    private Fnmatch() {
    }

    /** The Python regex for a shell pattern ({@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}). */
    static String translate(String pat) {
        List<Object> res = new ArrayList<>();
        int i = 0;
        int n = pat.length();
        while (i < n) {
            char c = pat.charAt(i);
            i++;
            if (c == '*') {
                if (res.isEmpty() || res.get(res.size() - 1) != STAR) {
                    res.add(STAR);
                }
            } else if (c == '?') {
                res.add(".");
            } else if (c == '[') {
                int j = i;
                if (j < n && pat.charAt(j) == '!') {
                    j++;
                }
                if (j < n && pat.charAt(j) == ']') {
                    j++;
                }
                while (j < n && pat.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    res.add("\\[");
                } else {
                    String stuff = pat.substring(i, j);
                    if (stuff.indexOf('-') < 0) {
                        stuff = stuff.replace("\\", "\\\\");
                    } else {
                        List<String> chunks = new ArrayList<>();
                        int k = pat.charAt(i) == '!' ? i + 2 : i + 1;
                        while (true) {
                            k = k <= j ? pat.substring(0, j).indexOf('-', k) : -1;
                            if (k < 0) {
                                break;
                            }
                            chunks.add(pat.substring(i, k));
                            i = k + 1;
                            k = k + 3;
                        }
                        String chunk = pat.substring(i, j);
                        if (!chunk.isEmpty()) {
                            chunks.add(chunk);
                        } else {
                            chunks.set(chunks.size() - 1, chunks.get(chunks.size() - 1) + "-");
                        }
                        for (int m = chunks.size() - 1; m > 0; m--) {
                            String prev = chunks.get(m - 1);
                            String next = chunks.get(m);
                            if (prev.charAt(prev.length() - 1) > next.charAt(0)) {
                                chunks.set(m - 1, prev.substring(0, prev.length() - 1) + next.substring(1));
                                chunks.remove(m);
                            }
                        }
                        StringBuilder joined = new StringBuilder();
                        for (int m = 0; m < chunks.size(); m++) {
                            if (m > 0) {
                                joined.append('-');
                            }
                            joined.append(chunks.get(m).replace("\\", "\\\\").replace("-", "\\-"));
                        }
                        stuff = joined.toString();
                    }
                    stuff = stuff.replaceAll("([&~|])", "\\\\$1");
                    i = j + 1;
                    if (stuff.isEmpty()) {
                        res.add("(?!)");
                    } else if (stuff.equals("!")) {
                        res.add(".");
                    } else {
                        if (stuff.charAt(0) == '!') {
                            stuff = "^" + stuff.substring(1);
                        } else if (stuff.charAt(0) == '^' || stuff.charAt(0) == '[') {
                            stuff = "\\" + stuff;
                        }
                        res.add("[" + stuff + "]");
                    }
                }
            } else {
                res.add(escape(c));
            }
        }

        StringBuilder out = new StringBuilder();
        int k = 0;
        int size = res.size();
        while (k < size && res.get(k) != STAR) {
            out.append(res.get(k));
            k++;
        }
        while (k < size) {
            k++; // a STAR
            if (k == size) {
                out.append(".*");
                break;
            }
            StringBuilder fixed = new StringBuilder();
            while (k < size && res.get(k) != STAR) {
                fixed.append(res.get(k));
                k++;
            }
            if (k == size) {
                out.append(".*").append(fixed);
            } else {
                out.append("(?>.*?").append(fixed).append(')');
            }
        }
        return "(?s:" + out + ")\\Z";
    }

    /** {@code re.escape} of one character (Python 3.7+ escapes only the special ones). */
    private static String escape(char c) {
        return "()[]{}?*+-|^$\\.&~# \t\n\r\u000b\f".indexOf(c) >= 0 ? "\\" + c : String.valueOf(c);
    }
}
