package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.CorruptBackupException;
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
 *  "createdAt":"2026-11-21T02:00:07Z",
 *  "files":{"nightly-20261121020000-logs.gz":{"size":812,"sha256":"..."}, ...},
 *  "encryption":{"algorithm":"AES256_GCM_HKDF_1MB","keyProvider":"aws-kms","keyId":"arn:...","wrappedKey":"(base64)"}}
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
 *   <li>{@code files} (optional): size and SHA-256 of each side file as stored, by file name.</li>
 *   <li>{@code encryption} (only on encrypted backups, which are {@code manifestVersion} 2 so that
 *       an older kbackup says "upgrade" instead of failing on ciphertext): how the tarball and the
 *       side files are encrypted and the backup's data key wrapped by the key provider's key; never
 *       a key in clear. Sizes and checksums are of the stored (encrypted) bytes.</li>
 * </ul>
 *
 * <p>A signature of these exact bytes may sit beside it ({@link ManifestSignature}).
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
 * @param files           size and SHA-256 of each side file, by file name (empty when not recorded)
 * @param encryption      how the backup is encrypted, or null for a plain backup
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
        Instant createdAt,
        java.util.Map<String, FileDigest> files,
        Encrypted encryption) {

    /** The manifest shape version of plain backups. */
    public static final int VERSION = 1;
    /** The manifest shape version of encrypted backups, and the highest this code reads. */
    public static final int ENCRYPTED_VERSION = 2;

    /** Size and lower-case hex SHA-256 of a stored file. */
    public record FileDigest(long size, String sha256) {
        /** The digest of {@code bytes}. */
        public static FileDigest of(byte[] bytes) {
            try {
                return new FileDigest(bytes.length, java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * How an encrypted backup is encrypted.
     *
     * @param algorithm   {@code AES256_GCM_HKDF_1MB}
     * @param keyProvider the key provider that wrapped the data key
     * @param keyId       the key (of that provider) that wrapped it
     * @param wrappedKey  the wrapped data key
     */
    public record Encrypted(String algorithm, String keyProvider, String keyId, byte[] wrappedKey) {
        /** Shows the wrapped key's length only. */
        @Override
        public String toString() {
            return algorithm + " with " + keyProvider + "/" + keyId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Encrypted e && algorithm.equals(e.algorithm) && keyProvider.equals(e.keyProvider)
                    && keyId.equals(e.keyId) && java.util.Arrays.equals(wrappedKey, e.wrappedKey);
        }

        @Override
        public int hashCode() {
            return Objects.hash(algorithm, keyProvider, keyId, java.util.Arrays.hashCode(wrappedKey));
        }
    }

    /** A plain manifest without side-file digests. */
    public BackupManifest(int manifestVersion, String backupName, String formatVersion, String tarballKey, long tarballSize,
            String tarballSha256, long items, long entries, Instant createdAt) {
        this(manifestVersion, backupName, formatVersion, tarballKey, tarballSize, tarballSha256, items, entries, createdAt,
                java.util.Map.of(), null);
    }
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public BackupManifest {
        Objects.requireNonNull(backupName, "backupName");
        Objects.requireNonNull(tarballKey, "tarballKey");
        Objects.requireNonNull(tarballSha256, "tarballSha256");
        files = files == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(files));
    }

    /** This manifest with the side files' digests and the encryption (null: plain). */
    public BackupManifest with(java.util.Map<String, FileDigest> sideFiles, Encrypted encrypted) {
        return new BackupManifest(encrypted != null ? ENCRYPTED_VERSION : manifestVersion, backupName, formatVersion, tarballKey,
                tarballSize, tarballSha256, items, entries, createdAt, sideFiles, encrypted);
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
        if (!files.isEmpty()) {
            ObjectNode f = n.putObject("files");
            files.forEach((file, d) -> f.putObject(file).put("size", d.size()).put("sha256", d.sha256()));
        }
        if (encryption != null) {
            n.putObject("encryption").put("algorithm", encryption.algorithm()).put("keyProvider", encryption.keyProvider())
                    .put("keyId", encryption.keyId()).put("wrappedKey", java.util.Base64.getEncoder().encodeToString(encryption.wrappedKey()));
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
        JsonNode n = GzipJson.tree(bytes, e -> new CorruptBackupException(backup, "kbackup-manifest.json is not valid JSON: "
                + e.getMessage()));
        if (n == null || !n.isObject()) {
            throw new CorruptBackupException(backup, "kbackup-manifest.json is not a JSON object.");
        }
        int version = n.path("manifestVersion").asInt(-1);
        if (version < 1 || version > ENCRYPTED_VERSION) {
            throw new CorruptBackupException(backup, "kbackup-manifest.json has manifestVersion " + n.path("manifestVersion")
                    + "; this version of kbackup reads versions up to " + ENCRYPTED_VERSION + ". Upgrade kbackup to read it.");
        }
        JsonNode t = n.path("tarball");
        String sha = t.path("sha256").asText("");
        if (!n.path("backupName").isTextual() || !t.path("key").isTextual() || !t.path("size").canConvertToLong()
                || !SHA256.matcher(sha).matches()) {
            throw new CorruptBackupException(backup, "kbackup-manifest.json lacks backupName, tarball.key, tarball.size or a"
                    + " 64-hex tarball.sha256.");
        }
        Instant created = n.hasNonNull("createdAt") ? BackupDocument.parseTime(n.get("createdAt").asText()) : null;
        java.util.Map<String, FileDigest> files = new java.util.TreeMap<>();
        for (java.util.Iterator<java.util.Map.Entry<String, JsonNode>> it = n.path("files").fields(); it.hasNext();) {
            java.util.Map.Entry<String, JsonNode> e = it.next();
            String fsha = e.getValue().path("sha256").asText("");
            if (!SHA256.matcher(fsha).matches() || !e.getValue().path("size").canConvertToLong()) {
                throw new CorruptBackupException(backup, "kbackup-manifest.json: files." + e.getKey() + " lacks a size or a 64-hex sha256.");
            }
            files.put(e.getKey(), new FileDigest(e.getValue().get("size").asLong(), fsha));
        }
        Encrypted encrypted = null;
        JsonNode enc = n.path("encryption");
        if (!enc.isMissingNode() && !enc.isNull()) {
            if (version < ENCRYPTED_VERSION || !enc.path("algorithm").isTextual() || !enc.path("keyProvider").isTextual()
                    || !enc.path("keyId").isTextual() || !enc.path("wrappedKey").isTextual()) {
                throw new CorruptBackupException(backup, "kbackup-manifest.json has a malformed encryption block (it needs"
                        + " manifestVersion 2, algorithm, keyProvider, keyId and wrappedKey).");
            }
            byte[] wrapped;
            try {
                wrapped = java.util.Base64.getDecoder().decode(enc.get("wrappedKey").asText());
            } catch (IllegalArgumentException e) {
                throw new CorruptBackupException(backup, "kbackup-manifest.json: encryption.wrappedKey is not base64.");
            }
            encrypted = new Encrypted(enc.get("algorithm").asText(), enc.get("keyProvider").asText(), enc.get("keyId").asText(), wrapped);
        } else if (version == ENCRYPTED_VERSION) {
            throw new CorruptBackupException(backup, "kbackup-manifest.json is of version 2 (encrypted) but has no encryption block.");
        }
        return new BackupManifest(version, n.get("backupName").asText(), n.path("formatVersion").asText(ArchivePaths.FORMAT_VERSION),
                t.get("key").asText(), t.get("size").asLong(), sha, n.path("items").asLong(), n.path("entries").asLong(), created,
                files, encrypted);
    }
}
