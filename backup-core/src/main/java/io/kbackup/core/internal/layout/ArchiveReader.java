package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.CorruptBackupException;
import io.kbackup.StorageException;
import io.kbackup.core.internal.layout.ArchiveStreams.HashingStream;
import io.kbackup.core.internal.layout.ArchiveStreams.LimitException;
import io.kbackup.core.internal.layout.ArchiveStreams.LimitedStream;
import io.kbackup.core.internal.layout.ArchiveStreams.SourceException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.LongConsumer;
import java.util.zip.ZipException;

/**
 * Reads a backup's {@code <name>.tar.gz} once, as a stream, and checks it as Velero's format
 * (FORMAT.md section 2) requires:
 * <ul>
 *   <li>SHA-256 and size of the compressed blob against the integrity manifest, when there is one;</li>
 *   <li>gzip and tar well-formed, as strictly as Go's readers and Velero's writer: one gzip member and
 *       nothing after it ({@link SingleGzipMember}), no entry after a lone zero block, only zero
 *       padding (at most {@value #MAX_PADDING_BYTES} bytes) after the end-of-archive marker; every entry a regular file under {@code metadata/} or
 *       {@code resources/} with a safe relative name ({@link EntryPath});</li>
 *   <li>each entry within {@code maxEntryBytes}, the whole uncompressed tar within {@code maxArchiveBytes};</li>
 *   <li>every {@code resources/} entry one JSON object (strict: no trailing data, no duplicate keys);
 *       classic-path items carry {@code apiVersion} (of the folder's API group), {@code kind} and the
 *       name (and namespace) of their path, no namespace at a cluster-scoped path, and appear once;
 *       each is at most {@code maxObjectBytes} as etcd would store it; a copy at the
 *       {@code <version>-preferredversion} path equals the classic copy, and has one;</li>
 *   <li>the uncompressed tar within {@code maxExpansion} times the compressed size (plus an allowance);</li>
 *   <li>{@code metadata/version} of format major version 1.</li>
 * </ul>
 * Each classic-path item is handed to an {@link ItemSink} as compact JSON and parsed; copies at
 * version paths are checked but not handed on ({@link ArchiveItemChecks} checks the
 * {@code resources/} entries; this class the checksum, gzip, tar and limits). Holds one entry at a time (and a digest per item
 * whose other copy is still to come).
 */
public final class ArchiveReader {

    /** Receives each checked classic-path item (as compact JSON), in archive order; the object is not to be kept. */
    public interface ItemSink {
        void item(EntryPath path, byte[] json, ObjectNode object) throws IOException;
    }

    /** Turns the stored bytes into the gzip stream: decrypts an encrypted backup's tarball. */
    @FunctionalInterface
    public interface Decryption {
        InputStream open(InputStream stored) throws IOException;
    }

    /** Expected SHA-256 (lower-case hex) and size of the compressed tarball, from the manifest. */
    public record Expected(String sha256, long size) {}

    /**
     * Limits that make an archive refused, sized to Kubernetes (see {@code DirectOptions} for the
     * reasons behind the defaults).
     *
     * @param maxEntryBytes   the largest entry (one item's JSON as stored)
     * @param maxObjectBytes  the largest object as etcd would store it: its compact JSON, with the
     *                        base64 values of a Secret's {@code data} and a ConfigMap's
     *                        {@code binaryData} counted at their decoded size
     * @param maxArchiveBytes the largest uncompressed tar
     * @param maxExpansion    the uncompressed tar may be at most {@value #EXPANSION_ALLOWANCE} bytes
     *                        plus this many times the compressed bytes read so far: a small
     *                        archive can never make a restore inflate (and spool) much more
     */
    public record Limits(long maxEntryBytes, long maxObjectBytes, long maxArchiveBytes, int maxExpansion) {
        /** Uncompressed bytes every archive may have regardless of its compressed size. */
        public static final long EXPANSION_ALLOWANCE = 16L << 20;
        /** Default largest entry: twice etcd's 1.5 MiB request limit (JSON is larger than protobuf, base64 larger than bytes). */
        public static final long DEFAULT_MAX_ENTRY_BYTES = 3L << 20;
        /** Default largest object: etcd's default {@code --max-request-bytes}, 1.5 MiB. */
        public static final long DEFAULT_MAX_OBJECT_BYTES = 3L << 19;
        /** Default largest uncompressed archive: 16 GiB. */
        public static final long DEFAULT_MAX_ARCHIVE_BYTES = 16L << 30;
        /** Default expansion: 50 uncompressed bytes per compressed byte (Kubernetes JSON in tar compresses 5 to 20 times). */
        public static final int DEFAULT_MAX_EXPANSION = 50;
        /** The defaults. */
        public static final Limits DEFAULTS = new Limits(DEFAULT_MAX_ENTRY_BYTES, DEFAULT_MAX_OBJECT_BYTES, DEFAULT_MAX_ARCHIVE_BYTES,
                DEFAULT_MAX_EXPANSION);

        /** The given entry and archive limits, the default object limit and expansion. */
        public Limits(long maxEntryBytes, long maxArchiveBytes) {
            this(maxEntryBytes, DEFAULT_MAX_OBJECT_BYTES, maxArchiveBytes, DEFAULT_MAX_EXPANSION);
        }

        /** The most uncompressed bytes allowed after {@code compressed} compressed bytes. */
        long uncompressedAllowed(long compressed) {
            long byRatio = compressed > (Long.MAX_VALUE - EXPANSION_ALLOWANCE) / maxExpansion ? Long.MAX_VALUE
                    : EXPANSION_ALLOWANCE + compressed * maxExpansion;
            return Math.min(maxArchiveBytes, byRatio);
        }
    }

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
    /** Zero padding accepted after the end-of-archive marker: generous for any tar record size in use. */
    static final int MAX_PADDING_BYTES = 1 << 20;

    private final String backupName;
    private final Limits limits;
    private Decryption decryption;
    private final ArchiveItemChecks items;
    private String formatVersion;

    private ArchiveReader(String backupName, Limits limits, ItemSink sink) {
        this.backupName = backupName;
        this.limits = limits;
        this.items = new ArchiveItemChecks(backupName, limits, sink);
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
        return read(raw, backupName, limits, expected, null, sink, bytesRead);
    }

    /**
     * As {@link #read(InputStream, String, Limits, Expected, ItemSink, LongConsumer)}, the stored
     * bytes (which the checksum covers) first decrypted by {@code decryption} (null: plain).
     */
    public static Summary read(InputStream raw, String backupName, Limits limits, Expected expected, Decryption decryption,
            ItemSink sink, LongConsumer bytesRead) throws IOException {
        HashingStream hashing = new HashingStream(raw, bytesRead);
        ArchiveReader reader = new ArchiveReader(backupName, limits, sink);
        reader.decryption = decryption;
        try {
            try {
                reader.read(hashing);
            } catch (CorruptBackupException | TarArchiveReader.TarFormatException | EOFException | ZipException | LimitException
                    | ArchiveStreams.DecryptException e) {
                // with a manifest, a damaged blob is first of all a checksum mismatch: say so
                if (expected != null) {
                    hashing.drain(expected.size() + 1);
                    if (!hashing.matches(expected)) {
                        throw mismatch(backupName, expected, hashing, e instanceof CorruptBackupException
                                ? "the archive fails its checks too" : describe(e));
                    }
                }
                if (e instanceof CorruptBackupException c) {
                    throw c;
                }
                throw new CorruptBackupException(backupName, "Backup '" + backupName + "' has a damaged archive: "
                        + describe(e) + ". Nothing was restored.", e);
            }
            hashing.drain(Long.MAX_VALUE);
            if (expected != null && !hashing.matches(expected)) {
                throw mismatch(backupName, expected, hashing, null);
            }
            return new Summary(reader.formatVersion, hashing.hex(), hashing.count);
        } catch (SourceException e) {
            throw new StorageException("Could not read the archive of backup '" + backupName + "' from storage: "
                    + e.getCause().getMessage() + ". Nothing was restored; try again.", e.getCause(), true);
        }
    }

    private static CorruptBackupException mismatch(String backupName, Expected expected, HashingStream h, String alsoSeen) {
        return new CorruptBackupException(backupName, "Backup '" + backupName + "' does not match its integrity manifest:"
                + " the manifest records " + expected.size() + " bytes with SHA-256 " + expected.sha256()
                + ", the stored archive has " + h.count + " bytes with SHA-256 " + h.hex()
                + (alsoSeen != null ? " (" + alsoSeen + ")" : "")
                + ". The archive was changed or damaged after the backup: it cannot be trusted, and nothing of it is applied; use another backup.");
    }

    private void read(HashingStream hashing) throws IOException {
        InputStream stored = hashing;
        if (decryption != null) {
            try {
                stored = new ArchiveStreams.Decrypted(decryption.open(hashing));
            } catch (ArchiveStreams.SourceException e) {
                throw e;
            } catch (IOException e) {
                throw new ArchiveStreams.DecryptException(e);
            }
        }
        InputStream gzip;
        try {
            gzip = new SingleGzipMember(stored);
        } catch (ZipException e) {
            throw new ZipException("not gzip data (" + describe(e) + ")");
        }
        LimitedStream tar = new LimitedStream(gzip, limits, () -> hashing.count);
        TarArchiveReader reader = new TarArchiveReader(tar, Math.min(MAX_HEADER_BYTES, limits.maxEntryBytes()));
        TarArchiveReader.Header header;
        while ((header = reader.next()) != null) {
            accept(header, reader);
        }
        items.checkPairs();
        // the rest of the gzip stream (tar record padding, gzip trailer): read it for the CRC check and the limit
        readPadding(tar);
    }

    /**
     * After the end-of-archive marker only zeros may follow (tar writers pad to their record size),
     * at most {@value #MAX_PADDING_BYTES} bytes of them: Velero's writer adds none, and a reader must
     * not inflate gigabytes of zeros nobody reads.
     */
    private static void readPadding(InputStream tar) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = tar.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                if (buf[i] != 0) {
                    throw new TarArchiveReader.TarFormatException("there is data after the end-of-archive marker");
                }
            }
            total += n;
            if (total > MAX_PADDING_BYTES) {
                throw new TarArchiveReader.TarFormatException("more than " + MAX_PADDING_BYTES
                        + " bytes of padding follow the end-of-archive marker");
            }
        }
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
            case VERSIONED -> items.versioned(path, header.name(), entry, header.size(), reader.content());
            case CLASSIC -> items.item(path, entry, header.size(), reader.content());
            default -> throw new IllegalStateException(path.kind().name());
        }
    }

    private CorruptBackupException corrupt(String what) {
        return corrupt(backupName, what);
    }

    /** The refusal of an archive that fails a check: {@code what} says which, without quoting any item's content. */
    static CorruptBackupException corrupt(String backupName, String what) {
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

    /** An exception's message for a refusal, never "null". */
    static String describe(Throwable e) {
        String m = e.getMessage();
        if (m != null && !m.isBlank()) {
            return m;
        }
        return e instanceof EOFException ? "the data ends early (truncated?)" : e.getClass().getSimpleName();
    }
}
