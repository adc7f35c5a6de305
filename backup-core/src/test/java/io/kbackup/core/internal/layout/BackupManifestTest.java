package io.kbackup.core.internal.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.CorruptBackupException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackupManifestTest {
    @Test
    void roundTripsAndDescribesTheArchive() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ArchiveOutput a = new ArchiveOutput(sink, Instant.EPOCH);
        a.addItem("pods", "v1", "ns", "p1", "{}".getBytes(StandardCharsets.UTF_8));
        a.addItem("pods", "v1", "ns", "p2", "{}".getBytes(StandardCharsets.UTF_8));
        a.finish();
        BackupManifest m = BackupManifest.of("b1", a, Instant.parse("2026-11-21T02:00:07Z"));
        String json = new String(m.toBytes(), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"manifestVersion\":1,\"backupName\":\"b1\",\"formatVersion\":\"1.1.0\",\"tarball\":{\"key\":\"b1.tar.gz\",\"size\":"
                + sink.size() + ",\"sha256\":\"" + a.sha256Hex() + "\"},\"items\":2,\"entries\":5,\"createdAt\":\"2026-11-21T02:00:07Z\"}");
        assertThat(BackupManifest.parse("b1", m.toBytes())).isEqualTo(m);
    }

    @Test
    void anEncryptedManifestRecordsTheKeyIdAndSideFilesAndRoundTrips() {
        BackupManifest plain = new BackupManifest(BackupManifest.VERSION, "b1", "1.1.0", "b1.tar.gz", 10, "a".repeat(64), 2, 5, null);
        BackupManifest m = plain.with(java.util.Map.of("b1-logs.gz", BackupManifest.FileDigest.of(new byte[] {1, 2})),
                new BackupManifest.Encrypted("AES256_GCM_HKDF_1MB", "static", "k1", new byte[] {9, 8, 7}));
        assertThat(m.manifestVersion()).isEqualTo(BackupManifest.ENCRYPTED_VERSION);
        assertThat(BackupManifest.parse("b1", m.toBytes())).isEqualTo(m);
        assertThat(new String(m.toBytes(), StandardCharsets.UTF_8)).contains("\"keyId\":\"k1\"", "\"wrappedKey\":\"CQgH\"", "b1-logs.gz");
        assertThatThrownBy(() -> BackupManifest.parse("b1", new String(m.toBytes(), StandardCharsets.UTF_8)
                .replace("\"encryption\"", "\"other\"").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CorruptBackupException.class).hasMessageContaining("no encryption block");
    }

    @Test
    void refusesAManifestItCannotTrust() {
        assertThatThrownBy(() -> BackupManifest.parse("b1", "{\"manifestVersion\":3}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CorruptBackupException.class).hasMessageContaining("Upgrade");
        assertThatThrownBy(() -> BackupManifest.parse("b1",
                "{\"manifestVersion\":1,\"backupName\":\"b1\",\"tarball\":{\"key\":\"b1.tar.gz\",\"size\":3,\"sha256\":\"xyz\"}}"
                        .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CorruptBackupException.class).hasMessageContaining("sha256");
    }
}
