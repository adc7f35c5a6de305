package io.kbackup.core.internal.layout;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/** The streams {@link ArchiveReader} reads through: hashing and counting, a size limit, and helpers. */
final class ArchiveStreams {
    private ArchiveStreams() {}

    /** The uncompressed tar is larger than maxArchiveBytes or the expansion limit. */
    static final class LimitException extends IOException {
        private static final long serialVersionUID = 1L;

        LimitException(String message) {
            super(message);
        }
    }

    /** Reading the stored blob failed (storage, not the archive). */
    static final class SourceException extends IOException {
        private static final long serialVersionUID = 1L;

        SourceException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The stored blob does not decrypt: a segment failed authentication (changed, reordered, truncated, another key). */
    static final class DecryptException extends IOException {
        private static final long serialVersionUID = 1L;

        DecryptException(IOException cause) {
            super("it does not decrypt (" + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName())
                    + "): it was changed, truncated or reordered, or encrypted with another key", cause);
        }
    }

    /** Tells a decrypting stream's authentication failures ({@link DecryptException}) from the storage's. */
    static final class Decrypted extends ReadingFilter {
        Decrypted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (SourceException e) {
                throw e;
            } catch (IOException e) {
                throw new DecryptException(e);
            }
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            try {
                return in.read(buf, off, len);
            } catch (SourceException e) {
                throw e;
            } catch (IOException e) {
                throw new DecryptException(e);
            }
        }
    }

    /** A filter whose skip reads (and so counts) the bytes it skips. */
    abstract static class ReadingFilter extends FilterInputStream {
        ReadingFilter(InputStream in) {
            super(in);
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
            int r = read(buf, 0, (int) Math.min(buf.length, n));
            return Math.max(r, 0);
        }
    }

    /** Counts and hashes the compressed bytes as they are read. */
    static final class HashingStream extends ReadingFilter {
        private final MessageDigest digest;
        private final LongConsumer bytesRead;
        long count;

        HashingStream(InputStream in, LongConsumer bytesRead) {
            super(in);
            this.bytesRead = bytesRead;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }

        @Override
        public int read() throws IOException {
            int b;
            try {
                b = in.read();
            } catch (IOException e) {
                throw new SourceException(e);
            }
            if (b >= 0) {
                digest.update((byte) b);
                count++;
                bytesRead.accept(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(buf, off, len);
            } catch (IOException e) {
                throw new SourceException(e);
            }
            if (n > 0) {
                digest.update(buf, off, n);
                count += n;
                bytesRead.accept(n);
            }
            return n;
        }

        /** Reads (and hashes) what is left, up to {@code max} more bytes. */
        void drain(long max) throws IOException {
            byte[] buf = new byte[64 * 1024];
            long left = max;
            int n;
            while (left > 0 && (n = read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                left -= n;
            }
        }

        boolean matches(ArchiveReader.Expected expected) {
            return count == expected.size() && hexOf(digest).equalsIgnoreCase(expected.sha256());
        }

        String hex() {
            return hexOf(digest);
        }

        private static String hexOf(MessageDigest d) {
            try {
                return HexFormat.of().formatHex(((MessageDigest) d.clone()).digest());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Fails once more than {@code maxArchiveBytes} bytes were read, or more than the expansion
     * limit allows for the compressed bytes read so far.
     */
    static final class LimitedStream extends ReadingFilter {
        private final ArchiveReader.Limits limits;
        private final LongSupplier compressed;
        private long count;

        LimitedStream(InputStream in, ArchiveReader.Limits limits, LongSupplier compressed) {
            super(in);
            this.limits = limits;
            this.compressed = compressed;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) throws LimitException {
            count += n;
            if (count > limits.maxArchiveBytes()) {
                throw new LimitException("the uncompressed archive is larger than the limit of " + limits.maxArchiveBytes()
                        + " bytes (DirectOptions.maxArchiveBytes)");
            }
            long read = compressed.getAsLong();
            if (count > limits.uncompressedAllowed(read)) {
                throw new LimitException("the archive inflates to more than " + limits.uncompressedAllowed(read) + " bytes from "
                        + read + " compressed bytes, more than " + limits.maxExpansion() + " times its compressed size"
                        + " (DirectOptions.maxArchiveExpansion)");
            }
        }
    }

    /** Lets a JSON parser close its input without closing the tar stream. */
    static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the tar reader owns the stream
        }
    }
}
