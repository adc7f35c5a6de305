package io.kbackup.spi;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A streaming upload of unknown length. Bytes written are not visible under the key until
 * {@link #commit()} returns; {@link #close()} without a commit aborts, so that a failure part-way
 * never leaves a half-written blob under its final name.
 *
 * <pre>{@code
 * try (BlobWriter w = storage.openWriter("backups/b1/b1.tar.gz")) {
 *     archive.writeTo(w);
 *     w.commit();
 * }
 * }</pre>
 *
 * <p>Implementations buffer at most a bounded amount (a multipart part, a block) and are not
 * thread-safe: one writer, one thread.
 */
public abstract class BlobWriter extends OutputStream {
    /** Makes the blob visible under its key, replacing any blob there, and returns what was stored. */
    public abstract BlobInfo commit() throws IOException;

    /** Discards everything written; nothing becomes visible. Safe to call more than once. */
    public abstract void abort() throws IOException;

    /** Whether {@link #commit()} has completed. */
    public abstract boolean committed();

    /** Aborts when not committed; otherwise does nothing. */
    @Override
    public void close() throws IOException {
        if (!committed()) {
            abort();
        }
    }
}
