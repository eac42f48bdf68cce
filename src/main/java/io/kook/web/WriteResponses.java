package io.kook.web;

import io.kook.KookProperties;
import io.kook.inventory.Snapshot;
import io.kook.mirror.Mirror;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Answers for committed writes: carries the commit's revision, and waits until this replica's mirror has
 * applied it so that the body, and every later read here, shows the write.
 */
@Component
public class WriteResponses {

    private final Mirror mirror;
    private final KookProperties properties;

    WriteResponses(Mirror mirror, KookProperties properties) {
        this.mirror = mirror;
        this.properties = properties;
    }

    /** The snapshot that contains {@code revision}, or the latest one if the mirror could not catch up in time. */
    public Snapshot applied(long revision) {
        try {
            Snapshot s = mirror.awaitRevision(revision, properties.mirror().maxRevisionWait());
            return s != null ? s : mirror.snapshot();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return mirror.snapshot();
        }
    }

    public ResponseEntity.BodyBuilder status(HttpStatus status, long revision) {
        return ResponseEntity.status(status).header(ReadHeadersFilter.REVISION, Long.toString(revision));
    }

    /** A 204 waits for the mirror like every other write answer: a read here right after it sees the write. */
    public ResponseEntity<Void> noContent(long revision) {
        applied(revision);
        return status(HttpStatus.NO_CONTENT, revision).build();
    }
}
