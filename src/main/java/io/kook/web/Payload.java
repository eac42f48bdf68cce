package io.kook.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A response body kept as the parts it was built from, written one after the other: a million-host inventory
 * is hundreds of megabytes whose parts are shared between revisions, so joining them into one array per
 * revision would copy (and hold) it all again for nothing.
 */
public record Payload(List<byte[]> parts, long length) {

    public Payload {
        parts = List.copyOf(parts);
    }

    public static Payload of(List<byte[]> parts) {
        long length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        return new Payload(parts, length);
    }

    public static Payload of(byte[] bytes) {
        return new Payload(List.of(bytes), bytes.length);
    }

    public void writeTo(OutputStream out) throws IOException {
        for (byte[] part : parts) {
            out.write(part);
        }
    }

    /** The parts joined: for tests and small bodies, never on a hot path of a big one. */
    public byte[] toByteArray() {
        if (parts.size() == 1) {
            return parts.get(0).clone();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, length));
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
