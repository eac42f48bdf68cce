package io.kook.inventory;

/**
 * Entity tags and the {@code If-Match} / {@code If-None-Match} rules of the contract. An entity's tag is its
 * version, strong and quoted.
 */
public final class Preconditions {

    private Preconditions() {
    }

    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** Whether a header such as {@code "3", "4"} or {@code *} names {@code etag}; weak tags never match. */
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
     * Checks write preconditions against the current version ({@code null} when the entity does not exist).
     *
     * @throws KookException.PreconditionFailed when {@code If-Match} or {@code If-None-Match} does not hold
     */
    public static void check(String ifMatch, String ifNoneMatch, Integer version) {
        if (ifMatch != null && (version == null || !matches(ifMatch, etag(version)))) {
            throw new KookException.PreconditionFailed("If-Match " + ifMatch + " does not match the current version"
                    + (version == null ? " (the entity does not exist)" : " " + etag(version)));
        }
        if (ifNoneMatch != null && version != null && matches(ifNoneMatch, etag(version))) {
            throw new KookException.PreconditionFailed("If-None-Match " + ifNoneMatch + " matches: the entity exists");
        }
    }
}
