package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.CorruptBackupException;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a backup's {@code <name>.tar.gz} once, as a stream, and checks it as Velero's format
 * (FORMAT.md section 2) requires:
 * <ul>
 *   <li>SHA-256 and size of the compressed blob against the integrity manifest, when there is one;</li>
 *   <li>gzip and tar well-formed; every entry a regular file under {@code metadata/} or
 *       {@code resources/} with a safe relative name ({@link EntryPath});</li>
 *   <li>each entry within {@code maxEntryBytes}, the whole uncompressed tar within {@code maxArchiveBytes};</li>
 *   <li>every {@code resources/} entry one JSON object (strict: no trailing data, no duplicate keys);
 *       classic-path items carry {@code apiVersion}, {@code kind} and the name (and namespace) of their
 *       path, and appear once;</li>
 *   <li>{@code metadata/version} of format major version 1.</li>
 * </ul>
 * Each classic-path item is handed to an {@link ItemSink} with its exact bytes and parsed JSON;
 * copies at {@code <version>-preferredversion} paths are checked (parsed) but not handed on. Holds
 * one entry at a time.
 */
public final class ArchiveReader {

    /** Receives each checked classic-path item, in archive order; the object is not to be kept. */
    public interface ItemSink {
        void item(EntryPath path, byte[] json, ObjectNode object) throws IOException;
    }

    /** Expected SHA-256 (lower-case hex) and size of the compressed tarball, from the manifest. */
    public record Expected(String sha256, long size) {}

    /** Limits that make an archive refused. */
    public record Limits(long maxEntryBytes, long maxArchiveBytes) {}

    /**
     * What the read found besides the items.
     *
     * @param formatVersion   content of {@code metadata/version} (trimmed), or null when the archive has none
     * @param sha256          SHA-256 of the compressed archive, lower-case hex
     * @param compressedBytes size of the compressed archive
     */
    public record Summary(String formatVersion, String sha256, long compressedBytes) {}

    private static final int MAX_HEADER_BYTES = 1 << 20;
    private static final int MAX_VERSION_BYTES = 1024;

    private final String backupName;
    private final Limits limits;
    private final ItemSink sink;
    private final Set<String> seen = new HashSet<>();
    private String formatVersion;

    private ArchiveReader(String backupName, Limits limits, ItemSink sink) {
        this.backupName = backupName;
        this.limits = limits;
        this.sink = sink;
    }

    /**
     * Reads and checks the whole archive.
     *
     * @param raw        the compressed tarball as stored (closed by the caller)
     * @param backupName for messages and the exception
     * @param expected   the manifest's checksum and size, or null when the backup has no manifest
     * @param sink       receives every classic-path item
     * @param bytesRead  told of every compressed byte read (progress)
     * @throws CorruptBackupException when any check fails
     * @throws UncheckedIOException   when storage fails (not the archive's fault)
     * @throws IOException            when the sink fails
     */
    public static Summary read(InputStream raw, String backupName, Limits limits, Expected expected, ItemSink sink,
            LongConsumer bytesRead) throws IOException {
        HashingStream hashing = new HashingStream(raw, bytesRead);
        ArchiveReader reader = new ArchiveReader(backupName, limits, sink);
        try {
            try {
                reader.read(hashing);
            } catch (CorruptBackupException | TarArchiveReader.TarFormatException | EOFException | ZipException | LimitException e) {
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
            return new Summary(reader.formatVersion, hashing.hex(), hashing.count);
        } catch (SourceException e) {
            throw new UncheckedIOException("could not read the archive of backup '" + backupName + "' from storage: "
                    + e.getCause().getMessage(), (IOException) e.getCause());
        }
    }

    private static CorruptBackupException mismatch(String backupName, Expected expected, HashingStream h, String alsoSeen) {
        return new CorruptBackupException(backupName, "Backup '" + backupName + "' does not match its integrity manifest:"
                + " the manifest records " + expected.size() + " bytes with SHA-256 " + expected.sha256()
                + ", the stored archive has " + h.count + " bytes with SHA-256 " + h.hex()
                + (alsoSeen != null ? " (" + alsoSeen + ")" : "")
                + ". The archive was changed or damaged after the backup; nothing was restored. Restore another backup.");
    }

    private void read(HashingStream hashing) throws IOException {
        GZIPInputStream gzip;
        try {
            gzip = new GZIPInputStream(hashing, 64 * 1024);
        } catch (ZipException e) {
            throw new ZipException("not gzip data (" + e.getMessage() + ")");
        }
        LimitedStream tar = new LimitedStream(gzip, limits.maxArchiveBytes());
        TarArchiveReader reader = new TarArchiveReader(tar, Math.min(MAX_HEADER_BYTES, limits.maxEntryBytes()));
        TarArchiveReader.Header header;
        while ((header = reader.next()) != null) {
            accept(header, reader);
        }
        // the rest of the gzip stream (tar record padding, gzip trailer): read it for the CRC check and the limit
        tar.transferTo(OutputStreamSink.INSTANCE);
    }

    private void accept(TarArchiveReader.Header header, TarArchiveReader reader) throws IOException {
        String entry = EntryPath.printable(header.name());
        if (!header.isRegularFile()) {
            throw corrupt("entry '" + entry + "' is not a regular file (tar type '" + typeName(header.type())
                    + "'); backups hold regular files only");
        }
        EntryPath path;
        try {
            path = EntryPath.parse(header.name());
        } catch (EntryPath.InvalidEntryException e) {
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
                        throw corrupt("the archive format version is '" + EntryPath.printable(v)
                                + "'; this version of kbackup reads format 1.x (Velero's 1.1.0)");
                    }
                    formatVersion = v;
                }
            }
            case VERSIONED -> checkJsonObject(entry, reader.content());
            case CLASSIC -> item(path, entry, header.size(), reader.content());
            default -> throw new IllegalStateException(path.kind().name());
        }
    }

    private void item(EntryPath path, String entry, long size, InputStream content) throws IOException {
        byte[] bytes = content.readNBytes((int) size);
        if (bytes.length != size) {
            throw new EOFException("entry '" + entry + "' is truncated");
        }
        JsonNode node;
        try {
            node = ArchiveJson.STRICT.readTree(bytes);
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
            throw corrupt("item '" + entry + "' is named '" + EntryPath.printable(metadata.path("name").asText(""))
                    + "' inside, not as its path says");
        }
        String innerNs = metadata.path("namespace").asText("");
        if (path.namespaced() && !innerNs.isEmpty() && !innerNs.equals(path.namespace())) {
            throw corrupt("item '" + entry + "' says namespace '" + EntryPath.printable(innerNs) + "' inside, not as its path says");
        }
        String ns = path.namespace();
        if (!seen.add(path.groupResource() + "\0" + (ns == null ? "" : ns) + "\0" + path.name())) {
            throw corrupt("item '" + entry + "' is in the archive twice");
        }
        sink.item(path, bytes, object);
    }

    private void checkJsonObject(String entry, InputStream content) throws IOException {
        try (JsonParser p = ArchiveJson.STRICT.getFactory().createParser(new NonClosing(content))) {
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
