package io.kook.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The problem types Kook answers with. Clients match on {@code type}: a slug, once published, is never renamed.
 */
public final class Problems {

    public static final String BASE = "https://kook.dev/problems/";

    public static final String INVALID = "invalid";
    public static final String NOT_FOUND = "not-found";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String ALREADY_EXISTS = "already-exists";
    public static final String UNKNOWN_REFERENCE = "unknown-reference";
    public static final String CYCLE = "cycle";
    public static final String UNREADABLE = "unreadable";
    public static final String PRECONDITION_FAILED = "precondition-failed";
    public static final String TOO_LARGE = "too-large";
    public static final String GONE = "gone";
    public static final String CONFLICT = "conflict";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type";
    public static final String NOT_ACCEPTABLE = "not-acceptable";
    public static final String METHOD_NOT_ALLOWED = "method-not-allowed";
    public static final String UNAVAILABLE = "unavailable";
    public static final String OUTCOME_UNKNOWN = "outcome-unknown";
    public static final String INTERNAL = "internal";

    /** ZooKeeper's own wording: {@code KeeperErrorCode = NoNode for /kook/hosts/x}. */
    private static final Pattern KEEPER_CODE = Pattern.compile("KeeperErrorCode = (\\w+)(?: for \\S*)?");
    /**
     * Something shaped like an absolute znode path: a slash-led token that starts a word (after a space, quote,
     * bracket or {@code =}), so media types such as {@code application/json} are left alone.
     */
    private static final Pattern ZNODE_PATH = Pattern.compile("(?<=^|[\\s\"'(\\[=])/[^\\s\"')\\]]*");

    private Problems() {
    }

    public static ProblemDetail of(HttpStatus status, String slug, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, scrub(detail));
        problem.setType(URI.create(BASE + slug));
        problem.setTitle(status.getReasonPhrase());
        return problem;
    }

    /** A validation problem with its {@code errors:[{field, message}]} member. */
    public static ProblemDetail withErrors(ProblemDetail problem, List<Map<String, String>> errors) {
        problem.setProperty("errors", errors);
        return problem;
    }

    /**
     * A problem {@code detail} with no internals: ZooKeeper error wording is reduced to its code and nothing
     * shaped like a znode path survives (client input is never a path: names cannot hold a slash).
     */
    public static String scrub(String detail) {
        if (detail == null || detail.indexOf('/') < 0) {
            return detail;
        }
        String s = KEEPER_CODE.matcher(detail).replaceAll("ZooKeeper error $1");
        return ZNODE_PATH.matcher(s).replaceAll("(internal path)");
    }

    /** A failure from ZooKeeper or Curator, said without its message (which names znode paths). */
    public static String describe(Throwable e) {
        if (e instanceof org.apache.zookeeper.KeeperException keeper) {
            return "ZooKeeper error " + keeper.code();
        }
        return e.getClass().getSimpleName();
    }

    static String slugFor(int status) {
        return switch (status) {
            case 400 -> INVALID;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> ALREADY_EXISTS;
            case 412 -> PRECONDITION_FAILED;
            case 410 -> GONE;
            case 413 -> TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> UNAVAILABLE;
            case 504 -> OUTCOME_UNKNOWN;
            default -> status >= 500 ? INTERNAL : INVALID;
        };
    }
}
