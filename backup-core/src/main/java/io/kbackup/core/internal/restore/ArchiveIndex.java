package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.CorruptBackupException;
import io.kbackup.StorageException;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The first pass of a restore: reads a backup's {@code <name>.tar.gz} once, as a stream, and
 * checks everything before anything is applied:
 * <ul>
 *   <li>SHA-256 and size of the compressed blob against the integrity manifest, when there is one;</li>
 *   <li>gzip and tar well-formed; every entry a regular file under {@code metadata/} or
 *       {@code resources/} with a safe relative name ({@link ArchivePath});</li>
 *   <li>each entry within {@code maxEntryBytes}, the whole uncompressed tar within {@code maxArchiveBytes};</li>
 *   <li>every {@code resources/} entry one JSON object (strict: no trailing data, no duplicate keys);
 *       classic-path items carry {@code apiVersion}, {@code kind} and the name (and namespace) of their path;</li>
 *   <li>{@code metadata/version} of format major version 1.</li>
 * </ul>
 * The verified JSON of each classic-path item (the copy the restore applies) is appended to a
 * spool file on local disk and only a compact {@link IndexedItem} (names, offset, length) stays in
 * memory: applying re-reads the exact bytes that were checked, never the bucket again, so the
 * archive cannot change between the check and the apply, and memory stays bounded (roughly 150
 * bytes per item, 15 MB for 100k items, plus one entry at a time). Copies at
 * {@code <version>-preferredversion} paths are checked (parsed) but not kept. The spool is deleted
 * by {@link #close()}.
 */
final class ArchiveIndex implements AutoCloseable {

    /** Sees each classic-path item once, in archive order, with its parsed JSON (not to be kept). */
    interface Observer {
        void observe(IndexedItem item, ObjectNode object);
    }

    /** Expected SHA-256 (lower-case hex) and size of the compressed tarball, from the manifest. */
    record Expected(String sha256, long size) {}

    /** Limits that make an archive refused. */
    record Limits(long maxEntryBytes, long maxArchiveBytes) {}

    private static final int MAX_HEADER_BYTES = 1 << 20;
    private static final int MAX_VERSION_BYTES = 1024;

    private final List<IndexedItem> items;
    private final Path spool;
    private final FileChannel channel;
    private final String formatVersion;
    private final String sha256;
    private final long compressedBytes;

    private ArchiveIndex(List<IndexedItem> items, Path spool, FileChannel channel, String formatVersion, String sha256, long compressedBytes) {
        this.items = items;
        this.spool = spool;
        this.channel = channel;
        this.formatVersion = formatVersion;
        this.sha256 = sha256;
        this.compressedBytes = compressedBytes;
    }

    /**
     * Reads and checks the whole archive.
     *
     * @param raw        the compressed tarball as stored (closed by the caller)
     * @param backupName for messages and the exception
     * @param expected   the manifest's checksum and size, or null when the backup has no manifest
     * @param spoolDir   where the spool file goes
     * @param observer   called for every classic-path item
     * @param bytesRead  told of every compressed byte read (progress)
     * @throws CorruptBackupException when any check fails (the spool is then deleted)
     * @throws StorageException       when reading the archive from storage fails (retryable)
     * @throws UncheckedIOException   when the local disk fails (not the archive's fault)
     */
    static ArchiveIndex build(InputStream raw, String backupName, Limits limits, Expected expected, Path spoolDir,
            Observer observer, LongConsumer bytesRead) {
        Path spool;
        FileChannel channel;
        try {
            spool = Files.createTempFile(spoolDir, "kbackup-restore-", ".spool");
            channel = FileChannel.open(spool, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the restore spool file in " + spoolDir + ": " + e.getMessage(), e);
        }
        HashingStream hashing = new HashingStream(raw, bytesRead);
        Builder builder = new Builder(backupName, limits, channel, observer);
        try {
            try {
                builder.read(hashing);
            } catch (CorruptBackupException | TarReader.TarFormatException | EOFException | ZipException | LimitException e) {
                // with a manifest, a damaged blob is first of all a checksum mismatch: say so
                if (expected != null) {
                    hashing.drain(expected.size() + 1);
                    if (!hashing.matches(expected)) {
                        throw mismatch(backupName, expected, hashing, e instanceof CorruptBackupException
                                ? "the archive fails its checks too" : e.getMessage());
                    }
                }
                if (e instanceof CorruptBackupException c) {
                    throw c;
                }
                throw new CorruptBackupException(backupName, "Backup '" + backupName + "' has a damaged archive: "
                        + e.getMessage() + ". Nothing was restored.", e);
            }
            hashing.drain(Long.MAX_VALUE);
            if (expected != null && !hashing.matches(expected)) {
                throw mismatch(backupName, expected, hashing, null);
            }
            return new ArchiveIndex(Collections.unmodifiableList(builder.items), spool, channel, builder.formatVersion,
                    hashing.hex(), hashing.count);
        } catch (SourceException e) {
            closeQuietly(channel);
            throw new StorageException("Could not read the archive of backup '" + backupName + "' from storage: "
                    + e.getCause().getMessage() + ". Nothing was restored; try again.", e.getCause(), true);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("could not write the restore spool file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static CorruptBackupException mismatch(String backupName, Expected expected, HashingStream h, String alsoSeen) {
        return new CorruptBackupException(backupName, "Backup '" + backupName + "' does not match its integrity manifest:"
                + " the manifest records " + expected.size() + " bytes with SHA-256 " + expected.sha256()
                + ", the stored archive has " + h.count + " bytes with SHA-256 " + h.hex()
                + (alsoSeen != null ? " (" + alsoSeen + ")" : "")
                + ". The archive was changed or damaged after the backup; nothing was restored. Restore another backup.");
    }

    /** The classic-path items, in archive order. */
    List<IndexedItem> items() {
        return items;
    }

    /** Content of {@code metadata/version} (trimmed), or null when the archive has none. */
    String formatVersion() {
        return formatVersion;
    }

    /** SHA-256 of the compressed archive, lower-case hex. */
    String sha256() {
        return sha256;
    }

    /** Size of the compressed archive. */
    long compressedBytes() {
        return compressedBytes;
    }

    /** The verified JSON of an item, from the spool. Safe to call from several threads at once. */
    ObjectNode read(IndexedItem item) {
        ByteBuffer buf = ByteBuffer.allocate(item.length);
        try {
            long pos = item.offset;
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos + buf.position());
                if (n < 0) {
                    throw new EOFException("restore spool file is truncated");
                }
            }
            return (ObjectNode) RestoreJson.MAPPER.readTree(buf.array());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + item.describe() + " from the restore spool " + spool + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
        try {
            Files.deleteIfExists(spool);
        } catch (IOException ignored) {
            // DELETE_ON_CLOSE already removed it on most systems
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** The reading work of {@link #build}. */
    private static final class Builder {
        private final String backupName;
        private final Limits limits;
        private final FileChannel channel;
        private final Observer observer;
        private final List<IndexedItem> items = new ArrayList<>();
        private final Set<String> seen = new HashSet<>();
        private final Map<String, String> interned = new HashMap<>();
        private long spoolOffset;
        private String formatVersion;

        Builder(String backupName, Limits limits, FileChannel channel, Observer observer) {
            this.backupName = backupName;
            this.limits = limits;
            this.channel = channel;
            this.observer = observer;
        }

        void read(HashingStream hashing) throws IOException {
            GZIPInputStream gzip;
            try {
                gzip = new GZIPInputStream(hashing, 64 * 1024);
            } catch (ZipException e) {
                throw new ZipException("not gzip data (" + e.getMessage() + ")");
            }
            LimitedStream tar = new LimitedStream(gzip, limits.maxArchiveBytes());
            TarReader reader = new TarReader(tar, Math.min(MAX_HEADER_BYTES, limits.maxEntryBytes()));
            TarReader.Header header;
            while ((header = reader.next()) != null) {
                accept(header, reader);
            }
            // the rest of the gzip stream (tar record padding, gzip trailer): read it for the CRC check and the limit
            tar.transferTo(OutputStreamSink.INSTANCE);
        }

        private void accept(TarReader.Header header, TarReader reader) throws IOException {
            String entry = ArchivePath.printable(header.name());
            if (!header.isRegularFile()) {
                throw corrupt("entry '" + entry + "' is not a regular file (tar type '" + typeName(header.type())
                        + "'); backups hold regular files only");
            }
            ArchivePath path;
            try {
                path = ArchivePath.parse(header.name());
            } catch (ArchivePath.InvalidEntryException e) {
                throw corrupt(e.getMessage());
            }
            if (header.size() > limits.maxEntryBytes()) {
                throw corrupt("entry '" + entry + "' is " + header.size() + " bytes, more than the limit of "
                        + limits.maxEntryBytes() + " bytes (DirectOptions.maxEntryBytes)");
            }
            switch (path.kind()) {
                case METADATA -> {
                    if (header.name().equals("metadata/version")) {
                        if (header.size() > MAX_VERSION_BYTES) {
                            throw corrupt("metadata/version is " + header.size() + " bytes; expected a version such as 1.1.0");
                        }
                        String v = new String(reader.content().readAllBytes(), StandardCharsets.UTF_8).trim();
                        if (!v.equals("1") && !v.startsWith("1.")) {
                            throw corrupt("the archive format version is '" + ArchivePath.printable(v)
                                    + "'; this version of kbackup reads format 1.x (Velero's 1.1.0)");
                        }
                        formatVersion = v;
                    }
                }
                case VERSIONED -> checkJsonObject(entry, reader.content());
                case CLASSIC -> index(path, entry, header.size(), reader.content());
                default -> throw new IllegalStateException(path.kind().name());
            }
        }

        private void index(ArchivePath path, String entry, long size, InputStream content) throws IOException {
            byte[] bytes = content.readNBytes((int) size);
            if (bytes.length != size) {
                throw new EOFException("entry '" + entry + "' is truncated");
            }
            JsonNode node;
            try {
                node = RestoreJson.STRICT.readTree(bytes);
            } catch (IOException e) {
                throw corrupt("entry '" + entry + "' is not valid JSON (" + firstLine(e.getMessage()) + ")");
            }
            if (!(node instanceof ObjectNode object)) {
                throw corrupt("entry '" + entry + "' is not a JSON object");
            }
            String apiVersion = object.path("apiVersion").asText("");
            String kind = object.path("kind").asText("");
            if (apiVersion.isEmpty() || kind.isEmpty()) {
                throw corrupt("item '" + entry + "' has no apiVersion or kind");
            }
            JsonNode metadata = object.path("metadata");
            if (!path.name().equals(metadata.path("name").asText(null))) {
                throw corrupt("item '" + entry + "' is named '" + ArchivePath.printable(metadata.path("name").asText(""))
                        + "' inside, not as its path says");
            }
            String innerNs = metadata.path("namespace").asText("");
            if (path.namespaced() && !innerNs.isEmpty() && !innerNs.equals(path.namespace())) {
                throw corrupt("item '" + entry + "' says namespace '" + ArchivePath.printable(innerNs) + "' inside, not as its path says");
            }
            String ns = path.namespace() == null ? null : intern(path.namespace());
            String gr = intern(path.groupResource());
            if (!seen.add(gr + "\0" + (ns == null ? "" : ns) + "\0" + path.name())) {
                throw corrupt("item '" + entry + "' is in the archive twice");
            }
            IndexedItem item = new IndexedItem(gr, ns, path.name(), intern(apiVersion), intern(kind), spoolOffset, bytes.length);
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                channel.write(buf, spoolOffset + buf.position());
            }
            spoolOffset += bytes.length;
            items.add(item);
            observer.observe(item, object);
        }

        private void checkJsonObject(String entry, InputStream content) throws IOException {
            try (JsonParser p = RestoreJson.STRICT.getFactory().createParser(new NonClosing(content))) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw corrupt("entry '" + entry + "' is not a JSON object");
                }
                p.skipChildren();
                if (p.nextToken() != null) {
                    throw corrupt("entry '" + entry + "' has data after its JSON object");
                }
            } catch (CorruptBackupException e) {
                throw e;
            } catch (IOException e) {
                if (e instanceof SourceException || e instanceof LimitException || e instanceof EOFException || e instanceof ZipException) {
                    throw e;
                }
                throw corrupt("entry '" + entry + "' is not valid JSON (" + firstLine(e.getMessage()) + ")");
            }
        }

        private String intern(String s) {
            return interned.computeIfAbsent(s, k -> k);
        }

        private CorruptBackupException corrupt(String what) {
            return new CorruptBackupException(backupName, "Backup '" + backupName + "' failed its checks: " + what
                    + ". Nothing was restored.");
        }

        private static String typeName(char type) {
            return switch (type) {
                case '1' -> "1 hard link";
                case '2' -> "2 symbolic link";
                case '3' -> "3 character device";
                case '4' -> "4 block device";
                case '5' -> "5 directory";
                case '6' -> "6 FIFO";
                case 'K' -> "K GNU long link name";
                default -> String.valueOf(type < 0x20 || type > 0x7e ? '?' : type);
            };
        }

        private static String firstLine(String s) {
            if (s == null) {
                return "unreadable";
            }
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        }
    }

    /** The uncompressed tar is larger than maxArchiveBytes. */
    private static final class LimitException extends IOException {
        private static final long serialVersionUID = 1L;

        LimitException(String message) {
            super(message);
        }
    }

    /** Reading the stored blob failed (storage, not the archive). */
    private static final class SourceException extends IOException {
        private static final long serialVersionUID = 1L;

        SourceException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Counts and hashes the compressed bytes as they are read. */
    private static final class HashingStream extends FilterInputStream {
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

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
            int r = read(buf, 0, (int) Math.min(buf.length, n));
            return Math.max(r, 0);
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

        boolean matches(Expected expected) {
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

    /** Fails once more than {@code limit} bytes were read. */
    private static final class LimitedStream extends FilterInputStream {
        private final long limit;
        private long count;

        LimitedStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
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

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
            int r = read(buf, 0, (int) Math.min(buf.length, n));
            return Math.max(r, 0);
        }

        private void add(long n) throws LimitException {
            count += n;
            if (count > limit) {
                throw new LimitException("the uncompressed archive is larger than the limit of " + limit
                        + " bytes (DirectOptions.maxArchiveBytes)");
            }
        }
    }

    /** Lets a JSON parser close its input without closing the tar stream. */
    private static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the tar reader owns the stream
        }
    }

    /** Discards bytes. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
            // discard
        }

        @Override
        public void write(byte[] b, int off, int len) {
            // discard
        }
    }
}
