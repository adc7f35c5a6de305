package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.CorruptBackupException;
import io.kbackup.core.internal.layout.ArchiveStreams.LimitException;
import io.kbackup.core.internal.layout.ArchiveStreams.NonClosing;
import io.kbackup.core.internal.layout.ArchiveStreams.SourceException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipException;

/**
 * The checks of an archive's {@code resources/} entries, for {@link ArchiveReader}: each a single
 * strict JSON object; a classic-path item of its folder's API group, with the name (and namespace)
 * of its path, at most {@code maxObjectBytes} as etcd stores it, and there once (then handed to the
 * {@link ArchiveReader.ItemSink}); a {@code <version>-preferredversion} copy of that version and
 * equal to the classic copy, which it must have. Holds a digest per item whose other copy is still
 * to come. One archive, one thread.
 */
final class ArchiveItemChecks {
    private final String backupName;
    private final ArchiveReader.Limits limits;
    private final ArchiveReader.ItemSink sink;
    private final Set<String> seen = new HashSet<>();
    private final Set<String> preferredSeen = new HashSet<>();
    /** Items whose other copy (classic or preferred-version) is still to come; Velero writes them one after the other. */
    private final Map<String, Copy> unpaired = new HashMap<>();
    /**
     * The classic copy just read: its key, stored bytes and apiVersion. A preferred-version copy of the very same bytes
     * right after it (as Velero and kbackup write them) is equal to it without a second parse.
     */
    private String lastKey;
    private byte[] lastBytes;
    private String lastApiVersion;

    ArchiveItemChecks(String backupName, ArchiveReader.Limits limits, ArchiveReader.ItemSink sink) {
        this.backupName = backupName;
        this.limits = limits;
        this.sink = sink;
    }

    void item(EntryPath path, String entry, long size, InputStream content) throws IOException {
        lastKey = null;
        byte[] bytes = readBytes(entry, size, content);
        ObjectNode object = parseObject(entry, bytes);
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
        lastKey = key;
        lastBytes = bytes;
        lastApiVersion = apiVersion;
    }

    /**
     * A copy at a {@code <version>-preferredversion} folder: Velero writes the very same JSON there
     * as at the classic path (a restore with API group versions enabled reads this one), so the two
     * must agree; other version folders hold the item converted to another version and are only
     * checked to be JSON objects.
     */
    void versioned(EntryPath path, String entryName, String entry, long size, InputStream content) throws IOException {
        String version = entryName.split("/", -1)[2];
        if (!version.endsWith(ArchivePaths.PREFERRED_SUFFIX)) {
            checkJsonObject(entry, content);
            return;
        }
        byte[] bytes = readBytes(entry, size, content);
        String key = key(path);
        boolean sameAsClassic = key.equals(lastKey) && Arrays.equals(bytes, lastBytes);
        ObjectNode object = sameAsClassic ? null : parseObject(entry, bytes);
        String apiVersion = sameAsClassic ? lastApiVersion : object.path("apiVersion").asText("");
        lastKey = null;
        String expected = version.substring(0, version.length() - ArchivePaths.PREFERRED_SUFFIX.length());
        if (!apiVersion.equals(expected) && !apiVersion.endsWith("/" + expected)) {
            throw corrupt("item '" + entry + "' is of apiVersion '" + EntryPath.printable(apiVersion) + "', not of version '"
                    + EntryPath.printable(expected) + "' as its folder says");
        }
        if (!preferredSeen.add(key)) {
            throw corrupt("item '" + entry + "' is in the archive twice");
        }
        if (sameAsClassic) {
            unpaired.remove(key); // the classic copy's very bytes: they agree
        } else {
            pair(key, entry, digest(ArchiveJson.STRICT.writeValueAsBytes(object)), false);
        }
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
    void checkPairs() {
        for (Copy c : unpaired.values()) {
            if (!c.classic()) {
                throw corrupt("item '" + c.entry() + "' has a preferred-version copy but none at its classic path (Velero"
                        + " writes both)");
            }
        }
    }

    private static byte[] readBytes(String entry, long size, InputStream content) throws IOException {
        byte[] bytes = content.readNBytes((int) size);
        if (bytes.length != size) {
            throw new EOFException("entry '" + entry + "' is truncated");
        }
        return bytes;
    }

    private ObjectNode parseObject(String entry, byte[] bytes) {
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
        return ArchiveReader.corrupt(backupName, what);
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
}
