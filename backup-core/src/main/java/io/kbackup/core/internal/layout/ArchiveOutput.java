package io.kbackup.core.internal.layout;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.zip.Deflater;

/**
 * A Velero backup tarball being streamed: tar entries, gzip (one member, deflated on several threads:
 * {@link ParallelGzipOutputStream}), then a SHA-256 digest and byte count of the compressed bytes on their way to {@code sink} (usually a storage
 * {@link io.kbackup.spi.BlobWriter}). Starts with the {@code metadata/version} entry. Memory use is
 * one entry plus a few 128 KiB blocks being deflated. Not thread-safe.
 *
 * <pre>{@code
 * ArchiveOutput archive = new ArchiveOutput(blobWriter, start);
 * archive.addItem("pods", "v1", "ns1", "web-0", json);
 * archive.finish();                    // then blobWriter.commit()
 * String sha = archive.sha256Hex();
 * }</pre>
 */
public final class ArchiveOutput {

    /** Turns the gzip stream into the stored bytes: encrypts an encrypted backup's tarball. */
    @FunctionalInterface
    public interface Encrypting {
        /** A stream into {@code stored} whose {@code close()} ends the encryption and does not close {@code stored}. */
        OutputStream open(OutputStream stored) throws IOException;
    }

    private final DigestingStream digesting;
    private final OutputStream encrypted;
    private final ParallelGzipOutputStream gzip;
    private final TarArchiveWriter tar;
    private long items;
    private boolean finished;
    private String sha256;

    /** As {@link #ArchiveOutput(OutputStream, Instant, int)} with {@link Deflater#BEST_SPEED}. */
    public ArchiveOutput(OutputStream sink, Instant mtime) throws IOException {
        this(sink, mtime, Deflater.BEST_SPEED);
    }

    /**
     * Starts the archive and writes {@code metadata/version}. Does not take ownership of {@code sink}.
     *
     * @param level gzip level, 1 (fastest) to 9 (smallest); readers do not care which
     */
    public ArchiveOutput(OutputStream sink, Instant mtime, int level) throws IOException {
        this(sink, mtime, level, null);
    }

    /**
     * As {@link #ArchiveOutput(OutputStream, Instant, int)}, the gzip stream encrypted by
     * {@code encrypting} (null: plain) on its way to the sink; the digest and byte count are of the
     * stored (encrypted) bytes.
     */
    public ArchiveOutput(OutputStream sink, Instant mtime, int level, Encrypting encrypting) throws IOException {
        this.digesting = new DigestingStream(sink);
        this.encrypted = encrypting == null ? null : encrypting.open(digesting);
        this.gzip = new ParallelGzipOutputStream(encrypted != null ? encrypted : digesting, level, ParallelGzipOutputStream.defaultThreads());
        this.tar = new TarArchiveWriter(gzip, mtime, 0755);
        tar.add(ArchivePaths.VERSION_ENTRY, (ArchivePaths.FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes one item at its classic path and again at its preferred-version path. */
    public void addItem(String groupResource, String version, String namespace, String name, byte[] json) throws IOException {
        tar.add(ArchivePaths.item(groupResource, namespace, name), json);
        tar.add(ArchivePaths.preferredVersionItem(groupResource, version, namespace, name), json);
        items++;
    }

    /** Ends tar and gzip and flushes into the sink; the sink stays open. */
    public void finish() throws IOException {
        if (!finished) {
            tar.finish();
            gzip.finish();
            gzip.flush();
            if (encrypted != null) {
                encrypted.close(); // the last segment
            }
            sha256 = HexFormat.of().formatHex(digesting.digest.digest());
            finished = true;
        }
    }

    /** Items added (each is two entries). */
    public long items() {
        return items;
    }

    /** Tar entries written, {@code metadata/version} included. */
    public long entries() {
        return tar.entries();
    }

    /** Compressed bytes passed to the sink so far. */
    public long bytes() {
        return digesting.count;
    }

    /** Lower-case hex SHA-256 of the compressed bytes; only after {@link #finish()}. */
    public String sha256Hex() {
        if (!finished) {
            throw new IllegalStateException("archive not finished");
        }
        return sha256;
    }

    private static final class DigestingStream extends FilterOutputStream {
        final MessageDigest digest;
        long count;

        DigestingStream(OutputStream out) {
            super(out);
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
