package io.kbackup.spi.support;

import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link BlobWriter} for services with multipart uploads (S3, MinIO): bytes are buffered up to
 * one part; a blob that fits in one part is stored whole at commit, a larger one is sent part by part
 * as each part fills and completed at commit. Memory is at most one part. Subclasses make the four
 * service calls; this class keeps the buffer and the commit/abort state. Not thread-safe.
 */
public abstract class PartBufferedBlobWriter extends BlobWriter {
    private static final int INITIAL_BUFFER = 64 * 1024;

    private final String target;
    private final int partSize;
    private byte[] buffer = new byte[0];
    private int count;
    private long total;
    private int partsSent;
    private boolean committed;
    private boolean aborted;

    /**
     * @param target   how messages name the destination, e.g. {@code s3://bucket/key}
     * @param partSize bytes per part (the service's minimum part size or more)
     */
    protected PartBufferedBlobWriter(String target, int partSize) {
        if (partSize < 1) {
            throw new IllegalArgumentException("partSize must be positive, was " + partSize);
        }
        this.target = Objects.requireNonNull(target, "target");
        this.partSize = partSize;
    }

    /**
     * Sends one full part; part 1 starts the multipart upload. {@code data} is only valid until this
     * returns (the buffer is reused), and must be sent again as a whole if the call is retried.
     */
    protected abstract void sendPart(int partNumber, byte[] data, int length) throws IOException;

    /** Stores the whole blob in one request; called at commit when no part was sent. */
    protected abstract BlobInfo putWhole(byte[] data, int length) throws IOException;

    /** Completes the multipart upload after its last part; {@code totalBytes} over {@code parts} parts. */
    protected abstract BlobInfo completeParts(long totalBytes, int parts) throws IOException;

    /** Aborts the multipart upload; called only when at least one part was sent. */
    protected abstract void abortParts() throws IOException;

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (count == partSize) {
            flushPart();
        }
        ensureCapacity(count + 1);
        buffer[count++] = (byte) b;
        total++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (count == partSize) {
                flushPart();
            }
            int n = Math.min(len, partSize - count);
            ensureCapacity(count + n);
            System.arraycopy(b, off, buffer, count, n);
            count += n;
            total += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public BlobInfo commit() throws IOException {
        ensureOpen();
        BlobInfo info;
        if (partsSent == 0) {
            info = putWhole(buffer, count);
        } else {
            if (count > 0) {
                flushPart();
            }
            info = completeParts(total, partsSent);
        }
        committed = true;
        buffer = null;
        return info;
    }

    @Override
    public void abort() throws IOException {
        if (committed || aborted) {
            return;
        }
        aborted = true;
        buffer = null;
        if (partsSent > 0) {
            abortParts();
        }
    }

    @Override
    public boolean committed() {
        return committed;
    }

    private void flushPart() throws IOException {
        sendPart(partsSent + 1, buffer, count);
        partsSent++;
        count = 0;
    }

    private void ensureCapacity(int needed) {
        if (needed > buffer.length) {
            int size = Math.max(INITIAL_BUFFER, buffer.length);
            while (size < needed) {
                size = size > partSize / 2 ? partSize : size * 2;
            }
            buffer = Arrays.copyOf(buffer, Math.min(size, partSize));
        }
    }

    private void ensureOpen() throws IOException {
        if (committed) {
            throw new IOException("The upload to " + target + " is already committed.");
        }
        if (aborted) {
            throw new IOException("The upload to " + target + " was aborted.");
        }
    }
}
