package io.kbackup.storage.gcs.internal;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BlobWriteSession;
import com.google.cloud.storage.Storage;
import io.kbackup.spi.BlobWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;

/**
 * Streams to one object. Up to {@link #SMALL} bytes are held in memory and stored with a single
 * upload on {@link #commit()}; past that, a resumable upload session is opened and fed as bytes
 * come (the session holds at most one chunk). GCS creates the object only when a session is
 * finalized, which {@link #commit()} alone does: {@link #abort()} drops the session unfinished (the
 * service forgets it after a week), so nothing becomes visible and an existing object under the
 * key stays as it was.
 */
public final class GcsBlobWriter extends BlobWriter {

    /** Blobs up to this size go in one request. */
    static final int SMALL = 1024 * 1024;

    private final Storage storage;
    private final BlobInfo target;
    private final Storage.BlobWriteOption[] writeOptions;
    private final Storage.BlobTargetOption[] targetOptions;
    private final String key;
    private final GcsErrors errors;
    private byte[] buffer = new byte[8 * 1024];
    private int filled;
    private long total;
    private BlobWriteSession session;
    private WritableByteChannel channel;
    private boolean committed;
    private boolean aborted;

    public GcsBlobWriter(Storage storage, BlobInfo target, Storage.BlobWriteOption[] writeOptions,
            Storage.BlobTargetOption[] targetOptions, GcsErrors errors) {
        this.storage = storage;
        this.target = target;
        this.writeOptions = writeOptions;
        this.targetOptions = targetOptions;
        this.key = target.getName();
        this.errors = errors;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (filled == buffer.length) {
            makeRoom();
        }
        buffer[filled++] = (byte) b;
        total++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (filled == buffer.length) {
                makeRoom();
            }
            int n = Math.min(len, buffer.length - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
            total += n;
        }
    }

    /** Grows the buffer up to {@link #SMALL}; then moves to (or feeds) the resumable session. */
    private void makeRoom() throws IOException {
        if (session == null && buffer.length < SMALL) {
            buffer = Arrays.copyOf(buffer, Math.min(SMALL, buffer.length * 4));
            return;
        }
        try {
            if (session == null) {
                session = storage.blobWriteSession(target, writeOptions);
                channel = session.open();
            }
            ByteBuffer bb = ByteBuffer.wrap(buffer, 0, filled);
            while (bb.hasRemaining()) {
                channel.write(bb);
            }
            filled = 0;
        } catch (IOException | RuntimeException e) {
            throw failure(e, "uploading to");
        }
    }

    @Override
    public io.kbackup.spi.BlobInfo commit() throws IOException {
        ensureOpen();
        try {
            BlobInfo stored;
            if (session == null) {
                Blob blob = storage.create(target, Arrays.copyOf(buffer, filled), targetOptions);
                stored = blob;
            } else {
                makeRoom();
                channel.close();
                stored = session.getResult().get();
            }
            committed = true;
            buffer = null;
            return new io.kbackup.spi.BlobInfo(key, total,
                    stored.getUpdateTimeOffsetDateTime() == null ? null : stored.getUpdateTimeOffsetDateTime().toInstant(),
                    stored.getEtag() != null ? stored.getEtag()
                            : stored.getGeneration() != null ? String.valueOf(stored.getGeneration()) : null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while committing " + key, e);
        } catch (ExecutionException e) {
            throw failure(e.getCause() != null ? e.getCause() : e, "committing");
        } catch (IOException | RuntimeException e) {
            throw failure(e, "committing");
        }
    }

    @Override
    public void abort() {
        // Never close the channel here: closing finalizes the upload and publishes the object.
        aborted = true;
        buffer = null;
        channel = null;
        session = null;
    }

    @Override
    public boolean committed() {
        return committed;
    }

    private RuntimeException failure(Throwable e, String what) {
        return errors.map(e, what + " object '" + key + "'", key);
    }

    private void ensureOpen() throws IOException {
        if (committed) {
            throw new IOException("writer for object '" + key + "' is already committed");
        }
        if (aborted) {
            throw new IOException("writer for object '" + key + "' was aborted");
        }
    }

    @Override
    public String toString() {
        return "GcsBlobWriter[key=" + key + ", bytes=" + total + ", resumable=" + (session != null) + "]";
    }
}
