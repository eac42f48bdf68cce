package io.kook.web;

/**
 * Wording the OpenAPI annotations of several controllers share, so one parameter or answer is described the same
 * way everywhere. Problem responses need no content in their annotations: {@link OpenApiConfiguration} gives every
 * 4xx and 5xx answer the {@code application/problem+json} Problem schema.
 */
public final class ApiDocs {

    public static final String HOST_NAME = "The host's name: 1-253 characters of A-Z a-z 0-9 . _ : @ [ ] -"
            + " (an FQDN, an IPv4 or IPv6 address), not . or ..";
    public static final String GROUP_NAME = "The group's name: 1-255 characters of A-Z a-z 0-9 _ . -, not starting"
            + " with . or -";
    public static final String IF_MATCH = "Write only if the entity's current ETag is one of these (or * for any"
            + " existing one); else 412 and nothing is written";
    public static final String IF_NONE_MATCH = "* writes only if the entity does not exist yet; else 412 and nothing"
            + " is written";
    public static final String LIMIT = "Page size: at most this many, with a Link rel=next header while more remain"
            + " (without it, all)";
    public static final String AFTER = "Paging cursor: only names after this one (the Link rel=next header carries it)";

    public static final String LOCATION = "The path of the created resource";

    public static final String BAD_REQUEST = "invalid: a bad name, body, field or parameter (or a query parameter the"
            + " call does not take, or one given twice); `errors` names the field";
    public static final String NOT_FOUND = "not-found: no such entity";
    public static final String NOT_MODIFIED = "Not modified: If-None-Match holds the current ETag";
    public static final String PRECONDITION_FAILED = "precondition-failed: If-Match or If-None-Match does not hold;"
            + " nothing was written";
    public static final String TOO_LARGE = "too-large: the body or its vars are over the limit"
            + " (kook.limits.max-body-size, kook.limits.max-vars-size)";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type: the body's Content-Type is not one"
            + " this call reads";
    public static final String UNKNOWN_REFERENCE = "unknown-reference: a named host or group does not exist; nothing"
            + " was written";
    public static final String OUTCOME_UNKNOWN = "outcome-unknown: the connection to ZooKeeper was lost after the"
            + " commit was sent and the outcome could not be settled in time; read (or retry a conditional write)"
            + " to find out";

    private ApiDocs() {
    }
}
