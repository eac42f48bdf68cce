package io.kook.inventory;

/**
 * Entity tags and the {@code If-Match} / {@code If-None-Match} rules of the contract. An entity's tag is its
 * creation zxid and version, strong and quoted ({@code "<czxid>.<version>"}): ZooKeeper versions restart at 0
 * when a node is re-created, so the version alone would let a tag taken from a deleted entity match its successor.
 */
public final class Preconditions {

    private Preconditions() {
    }

    public static String etag(long czxid, int version) {
        return "\"" + czxid + "." + version + "\"";
    }

    /** Whether a header such as {@code "3.1", "3.2"} or {@code *} names {@code etag}; weak tags never match. */
    public static boolean matches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks write preconditions against the current tag ({@code null} when the entity does not exist).
     *
     * @throws KookException.PreconditionFailed when {@code If-Match} or {@code If-None-Match} does not hold
     */
    public static void check(String ifMatch, String ifNoneMatch, String etag) {
        if (ifMatch != null && (etag == null || !matches(ifMatch, etag))) {
            throw new KookException.PreconditionFailed("If-Match " + ifMatch + " does not match the current version"
                    + (etag == null ? " (the entity does not exist)" : " " + etag));
        }
        if (ifNoneMatch != null && etag != null && matches(ifNoneMatch, etag)) {
            throw new KookException.PreconditionFailed("If-None-Match " + ifNoneMatch + " matches: the entity exists");
        }
    }
}
