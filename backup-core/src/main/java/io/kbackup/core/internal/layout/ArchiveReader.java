package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.CorruptBackupException;
import io.kbackup.StorageException;
import io.kbackup.core.internal.layout.ArchiveStreams.HashingStream;
import io.kbackup.core.internal.layout.ArchiveStreams.LimitException;
import io.kbackup.core.internal.layout.ArchiveStreams.LimitedStream;
import io.kbackup.core.internal.layout.ArchiveStreams.NonClosing;
import io.kbackup.core.internal.layout.ArchiveStreams.SourceException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
 * version paths are checked but not handed on. Holds one entry at a time (and a digest per item
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
    private final ItemSink sink;
    private Decryption decryption;
    private final Set<String> seen = new HashSet<>();
    private final Set<String> preferredSeen = new HashSet<>();
    /** Items whose other copy (classic or preferred-version) is still to come; Velero writes them one after the other. */
    private final Map<String, Copy> unpaired = new HashMap<>();
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
        checkPairs();
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
            case VERSIONED -> versioned(path, header.name(), entry, header.size(), reader.content());
            case CLASSIC -> item(path, entry, header.size(), reader.content());
            default -> throw new IllegalStateException(path.kind().name());
        }
    }

    private void item(EntryPath path, String entry, long size, InputStream content) throws IOException {
        ObjectNode object = readObject(entry, size, content);
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw corrupt("item '" + entry + "' has no apiVersion or kind");
        }
        String folderGroup = path.groupResource().contains(".") ? path.groupResource().substring(path.groupResource().indexOf('.') + 1) : "";
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        if (!group.equals(folderGroup)) {
            throw corrupt("item '" + entry + "' is a " + EntryPath.printable(apiVersion) + " " + EntryPath.printable(kind)
                    + ", not of API group '" + folderGroup + "' as its folder " + EntryPath.printable(path.groupResource()) + " says");
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
        if (!path.namespaced() && !innerNs.isEmpty()) {
            throw corrupt("item '" + entry + "' is at a cluster-scoped path but says namespace '" + EntryPath.printable(innerNs)
                    + "' inside");
        }
        byte[] compact = ArchiveJson.STRICT.writeValueAsBytes(object);
        long stored = storedSize(compact.length, kind, object);
        if (stored > limits.maxObjectBytes()) {
            throw corrupt("item '" + entry + "' is about " + stored + " bytes as Kubernetes stores it, more than etcd's limit of "
                    + limits.maxObjectBytes() + " bytes (DirectOptions.maxObjectBytes): no API server could have served it");
        }
        String key = key(path);
        if (!seen.add(key)) {
            throw corrupt("item '" + entry + "' is in the archive twice");
        }
        pair(key, entry, digest(compact), true);
        sink.item(path, compact, object);
    }

    /**
     * A copy at a {@code <version>-preferredversion} folder: Velero writes the very same JSON there
     * as at the classic path (a restore with API group versions enabled reads this one), so the two
     * must agree; other version folders hold the item converted to another version and are only
     * checked to be JSON objects.
     */
    private void versioned(EntryPath path, String entryName, String entry, long size, InputStream content) throws IOException {
        String version = entryName.split("/", -1)[2];
        if (!version.endsWith(ArchivePaths.PREFERRED_SUFFIX)) {
            checkJsonObject(entry, content);
            return;
        }
        ObjectNode object = readObject(entry, size, content);
        String apiVersion = object.path("apiVersion").asText("");
        String expected = version.substring(0, version.length() - ArchivePaths.PREFERRED_SUFFIX.length());
        if (!apiVersion.equals(expected) && !apiVersion.endsWith("/" + expected)) {
            throw corrupt("item '" + entry + "' is of apiVersion '" + EntryPath.printable(apiVersion) + "', not of version '"
                    + EntryPath.printable(expected) + "' as its folder says");
        }
        String key = key(path);
        if (!preferredSeen.add(key)) {
            throw corrupt("item '" + entry + "' is in the archive twice");
        }
        pair(key, entry, digest(ArchiveJson.STRICT.writeValueAsBytes(object)), false);
    }

    /** Matches an item's classic copy with its preferred-version copy, whichever comes first. */
    private void pair(String key, String entry, byte[] digest, boolean classic) {
        Copy other = unpaired.remove(key);
        if (other == null) {
            unpaired.put(key, new Copy(digest, classic, entry));
        } else if (!MessageDigest.isEqual(other.digest(), digest)) {
            throw corrupt("the copies of item '" + (classic ? entry : other.entry()) + "' at its classic path and at its"
                    + " preferred-version path differ (Velero writes the same object to both; a restore would apply one or"
                    + " the other depending on its settings)");
        }
    }

    /** A copy seen once: its digest, whether it is the classic one, its entry name. */
    private record Copy(byte[] digest, boolean classic, String entry) {}

    /** After the last entry: a preferred-version copy without its classic copy is refused. */
    private void checkPairs() {
        for (Copy c : unpaired.values()) {
            if (!c.classic()) {
                throw corrupt("item '" + c.entry() + "' has a preferred-version copy but none at its classic path (Velero"
                        + " writes both)");
            }
        }
    }

    private ObjectNode readObject(String entry, long size, InputStream content) throws IOException {
        byte[] bytes = content.readNBytes((int) size);
        if (bytes.length != size) {
            throw new EOFException("entry '" + entry + "' is truncated");
        }
        JsonNode node;
        try {
            node = ArchiveJson.STRICT.readTree(bytes);
        } catch (IOException e) {
            throw corrupt("entry '" + entry + "' is not valid JSON (" + jsonProblem(e) + ")");
        }
        if (!(node instanceof ObjectNode object)) {
            throw corrupt("entry '" + entry + "' is not a JSON object");
        }
        return object;
    }

    private static String key(EntryPath path) {
        String ns = path.namespace();
        return path.groupResource() + "\0" + (ns == null ? "" : ns) + "\0" + path.name();
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * About how many bytes etcd holds for the object: its compact JSON, less a quarter of the
     * base64 text of a Secret's {@code data} and a ConfigMap's {@code binaryData} (stored as
     * bytes). Built-in kinds are stored as protobuf, usually a little smaller than JSON; custom
     * resources as JSON.
     */
    static long storedSize(long compactBytes, String kind, ObjectNode object) {
        String field = kind.equals("Secret") ? "data" : kind.equals("ConfigMap") ? "binaryData" : null;
        long base64 = 0;
        if (field != null) {
            for (JsonNode v : object.path(field)) {
                base64 += v.isTextual() ? v.textValue().length() : 0;
            }
        }
        return compactBytes - base64 / 4;
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
            throw corrupt("entry '" + entry + "' is not valid JSON (" + jsonProblem(e) + ")");
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

    /**
     * Where an entry's JSON breaks, without quoting any of its content (parser messages quote the
     * offending token, which in a Secret is its data).
     */
    static String jsonProblem(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        String what = e instanceof JsonEOFException || e instanceof EOFException ? "it ends early"
                : m.startsWith("Duplicate field") ? "a field appears twice"
                : e instanceof MismatchedInputException ? "not exactly one JSON value"
                : "a syntax error";
        if (e instanceof JsonProcessingException j && j.getLocation() != null && j.getLocation().getLineNr() > 0) {
            return what + " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
        }
        return what;
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
