package io.kbackup.core.internal.restore;

import io.kbackup.BackupLocation;
import io.kbackup.core.internal.layout.BackupManifest;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Puts a backup into a location the way Velero lays it out (velero-backup.json + tarball), optionally with our manifest. */
final class BackupFixture {
    private BackupFixture() {}

    static void put(BackupLocation location, String name, String phase, byte[] tarGz, boolean withManifest) {
        BucketLayout layout = new BucketLayout(location);
        try (StorageProvider storage = StorageProviders.discover().open(location)) {
            storage.put(layout.tarball(name), tarGz);
            if (withManifest) {
                storage.put(layout.manifest(name), manifest(name, tarGz).getBytes(StandardCharsets.UTF_8));
            }
            storage.put(layout.backupJson(name), backupJson(name, phase).getBytes(StandardCharsets.UTF_8));
        }
    }

    static String manifest(String name, byte[] tarGz) {
        try {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tarGz));
            return new String(new BackupManifest(BackupManifest.VERSION, name, "1.1.0", name + ".tar.gz", tarGz.length, sha, 0, 0, null)
                    .toBytes(), StandardCharsets.UTF_8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String backupJson(String name, String phase) {
        return "{\"apiVersion\":\"velero.io/v1\",\"kind\":\"Backup\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"velero\"},"
                + "\"spec\":{\"includedNamespaces\":[\"*\"],\"ttl\":\"720h0m0s\",\"storageLocation\":\"default\"},"
                + "\"status\":{\"version\":1,\"formatVersion\":\"1.1.0\",\"phase\":\"" + phase + "\","
                + "\"startTimestamp\":\"2026-11-20T02:00:00Z\",\"completionTimestamp\":\"2026-11-20T02:01:00Z\","
                + "\"expiration\":\"2026-12-20T02:00:00Z\",\"progress\":{\"totalItems\":1,\"itemsBackedUp\":1}}}";
    }
}
