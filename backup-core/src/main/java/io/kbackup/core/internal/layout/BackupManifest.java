package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.CorruptBackupException;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Our integrity manifest, {@code backups/<name>/kbackup-manifest.json} (see
 * {@link BucketLayout#manifest(String)}); Velero ignores it. Written by the DirectEngine after the
 * tarball is committed and before {@code velero-backup.json}, only for backups whose tarball is
 * complete ({@code Completed} or {@code PartiallyFailed}). Backups written by Velero have none:
 * readers must treat a missing manifest as "no integrity data", not as corruption.
 *
 * <p>Shape (plain compact JSON, one line, followed by {@code \n}):
 *
 * <pre>{@code
 * {"manifestVersion":1,
 *  "backupName":"nightly-20261121020000",
 *  "formatVersion":"1.1.0",
 *  "tarball":{"key":"nightly-20261121020000.tar.gz","size":48213,"sha256":"9f86d08...(64 hex)"},
 *  "items":123,
 *  "entries":247,
 *  "createdAt":"2026-11-21T02:00:07Z"}
 * }</pre>
 *
 * <ul>
 *   <li>{@code manifestVersion}: 1; readers refuse a higher major version they do not know.</li>
 *   <li>{@code tarball.key}: the tarball's file name inside the backup's folder (not the full key).</li>
 *   <li>{@code tarball.size}: bytes of the stored (gzipped) tarball; {@code tarball.sha256}:
 *       lower-case hex SHA-256 of those stored bytes.</li>
 *   <li>{@code items}: Kubernetes objects in the archive (each appears twice: classic and
 *       preferred-version path); {@code entries}: tar entries, {@code metadata/version} included
 *       ({@code = 2 * items + 1}).</li>
 * </ul>
 *
 * @param manifestVersion shape version, {@value #VERSION}
 * @param backupName      the backup's name
 * @param formatVersion   the Velero backup format version of the tarball
 * @param tarballKey      the tarball's file name within {@code backups/<name>/}
 * @param tarballSize     stored bytes of the tarball
 * @param tarballSha256   lower-case hex SHA-256 of the stored tarball
 * @param items           objects in the tarball
 * @param entries         tar entries in the tarball
 * @param createdAt       when the manifest was written
 */
public record BackupManifest(
        int manifestVersion,
        String backupName,
        String formatVersion,
        String tarballKey,
        long tarballSize,
        String tarballSha256,
        long items,
        long entries,
        Instant createdAt) {

    /** The manifest shape version this code writes and reads. */
    public static final int VERSION = 1;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public BackupManifest {
        Objects.requireNonNull(backupName, "backupName");
        Objects.requireNonNull(tarballKey, "tarballKey");
        Objects.requireNonNull(tarballSha256, "tarballSha256");
    }

    /** The manifest of a finished archive. */
    public static BackupManifest of(String backupName, ArchiveOutput archive, Instant createdAt) {
        return new BackupManifest(VERSION, backupName, ArchivePaths.FORMAT_VERSION, backupName + ".tar.gz",
                archive.bytes(), archive.sha256Hex(), archive.items(), archive.entries(), createdAt);
    }

    /** The JSON object. */
    public ObjectNode toJson() {
        ObjectNode n = GzipJson.MAPPER.createObjectNode();
        n.put("manifestVersion", manifestVersion);
        n.put("backupName", backupName);
        n.put("formatVersion", formatVersion);
        ObjectNode t = n.putObject("tarball");
        t.put("key", tarballKey);
        t.put("size", tarballSize);
        t.put("sha256", tarballSha256);
        n.put("items", items);
        n.put("entries", entries);
        if (createdAt != null) {
            n.put("createdAt", BackupDocument.timestamp(createdAt));
        }
        return n;
    }

    /** The bytes stored: compact JSON and {@code \n}. */
    public byte[] toBytes() {
        return GzipJson.json(toJson());
    }

    /**
     * Parses a stored manifest of backup {@code backup} (the name is for messages).
     *
     * @throws CorruptBackupException when it is not a manifest this code can read
     */
    public static BackupManifest parse(String backup, byte[] bytes) {
        JsonNode n;
        try {
            n = GzipJson.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new CorruptBackupException(backup, "kbackup-manifest.json is not valid JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new CorruptBackupException(backup, "kbackup-manifest.json is not a JSON object.");
        }
        int version = n.path("manifestVersion").asInt(-1);
        if (version < 1 || version > VERSION) {
            throw new CorruptBackupException(backup, "kbackup-manifest.json has manifestVersion " + n.path("manifestVersion")
                    + "; this version of kbackup reads version " + VERSION + ". Upgrade kbackup to read it.");
        }
        JsonNode t = n.path("tarball");
        String sha = t.path("sha256").asText("");
        if (!n.path("backupName").isTextual() || !t.path("key").isTextual() || !t.path("size").canConvertToLong()
                || !SHA256.matcher(sha).matches()) {
            throw new CorruptBackupException(backup, "kbackup-manifest.json lacks backupName, tarball.key, tarball.size or a"
                    + " 64-hex tarball.sha256.");
        }
        Instant created = n.hasNonNull("createdAt") ? BackupDocument.parseTime(n.get("createdAt").asText()) : null;
        return new BackupManifest(version, n.get("backupName").asText(), n.path("formatVersion").asText(ArchivePaths.FORMAT_VERSION),
                t.get("key").asText(), t.get("size").asLong(), sha, n.path("items").asLong(), n.path("entries").asLong(), created);
    }
}
