package io.kook.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The problem types Kook answers with. Clients match on {@code type}: a slug, once published, is never renamed.
 */
public final class Problems {

    public static final String BASE = "https://kook.dev/problems/";

    public static final String INVALID = "invalid";
    public static final String NOT_FOUND = "not-found";
    public static final String ALREADY_EXISTS = "already-exists";
    public static final String UNKNOWN_REFERENCE = "unknown-reference";
    public static final String CYCLE = "cycle";
    public static final String UNREADABLE = "unreadable";
    public static final String PRECONDITION_FAILED = "precondition-failed";
    public static final String TOO_LARGE = "too-large";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type";
    public static final String NOT_ACCEPTABLE = "not-acceptable";
    public static final String METHOD_NOT_ALLOWED = "method-not-allowed";
    public static final String UNAVAILABLE = "unavailable";
    public static final String OUTCOME_UNKNOWN = "outcome-unknown";
    public static final String INTERNAL = "internal";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatus status, String slug, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(BASE + slug));
        problem.setTitle(status.getReasonPhrase());
        return problem;
    }

    /** A validation problem with its {@code errors:[{field, message}]} member. */
    public static ProblemDetail withErrors(ProblemDetail problem, List<Map<String, String>> errors) {
        problem.setProperty("errors", errors);
        return problem;
    }

    static String slugFor(int status) {
        return switch (status) {
            case 400 -> INVALID;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> ALREADY_EXISTS;
            case 412 -> PRECONDITION_FAILED;
            case 413 -> TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> UNAVAILABLE;
            case 504 -> OUTCOME_UNKNOWN;
            default -> status >= 500 ? INTERNAL : INVALID;
        };
    }
}
