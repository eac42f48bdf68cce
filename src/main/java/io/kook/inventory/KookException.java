package io.kook.inventory;

import java.util.List;

/**
 * The outcomes of a request that are not success. Plain Java so domain rules can throw them; only the
 * web layer knows which HTTP status each one is.
 */
public abstract sealed class KookException extends RuntimeException {

    KookException(String message) {
        super(message, null, false, false);
    }

    /** A field-level complaint carried by {@link Invalid}. */
    public record FieldError(String field, String message) {
    }

    public static Invalid invalid(String field, String message) {
        return new Invalid(field + ": " + message, List.of(new FieldError(field, message)));
    }

    /** The request itself is malformed (bad name, bad JSON shape, reserved group misuse). */
    public static final class Invalid extends KookException {
        private final List<FieldError> errors;

        public Invalid(String message, List<FieldError> errors) {
            super(message);
            this.errors = List.copyOf(errors);
        }

        public List<FieldError> errors() {
            return errors;
        }
    }

    /** The caller's token does not grant this change (403). */
    public static final class Forbidden extends KookException {
        public Forbidden(String message) {
            super(message);
        }
    }

    /** The entity named in the path does not exist. */
    public static final class NotFound extends KookException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** A create named an entity that already exists. */
    public static final class AlreadyExists extends KookException {
        public AlreadyExists(String message) {
            super(message);
        }
    }

    /** A body names a host or group that does not exist (422). */
    public static final class UnknownReference extends KookException {
        private final List<FieldError> errors;

        public UnknownReference(String message, List<FieldError> errors) {
            super(message);
            this.errors = List.copyOf(errors);
        }

        public List<FieldError> errors() {
            return errors;
        }
    }

    /** The write would make the group graph cyclic. */
    public static final class Cycle extends KookException {
        public Cycle(String message) {
            super(message);
        }
    }

    /**
     * The entity's znode holds data Kook cannot parse (another tool wrote it): writing over it would destroy what
     * Kook cannot see. Delete the entity, or repair the znode.
     */
    public static final class Unreadable extends KookException {
        public Unreadable(String message) {
            super(message);
        }
    }

    /** {@code If-Match} / {@code If-None-Match} did not hold. */
    public static final class PreconditionFailed extends KookException {
        public PreconditionFailed(String message) {
            super(message);
        }
    }

    /** A body or vars document is over its size limit. */
    public static final class TooLarge extends KookException {
        public TooLarge(String message) {
            super(message);
        }
    }

    /** A past revision older than the retained history: it can no longer be rebuilt. */
    public static final class Gone extends KookException {
        public Gone(String message) {
            super(message);
        }
    }

    /** A revert whose entities later changes touched: undoing it would undo them too. */
    public static final class Conflict extends KookException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** Kook cannot do this now (ZooKeeper unreachable, lock not obtained, mirror behind); nothing was written. */
    public static final class Unavailable extends KookException {
        public Unavailable(String message) {
            super(message);
        }
    }

    /** The connection was lost after a commit was sent and its fate could not be settled in time. */
    public static final class OutcomeUnknown extends KookException {
        public OutcomeUnknown(String message) {
            super(message);
        }
    }
}
