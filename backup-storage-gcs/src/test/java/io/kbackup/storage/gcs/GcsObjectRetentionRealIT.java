package io.kbackup.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.BackupLockedException;
import io.kbackup.ObjectLock;
import io.kbackup.ValidationResult;
import io.kbackup.core.KBackup;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.Retention;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.servers.FakeGcsServer;
import io.kbackup.testkit.servers.ServerExtension;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GCS object retention through the gcs provider on a real fake-gcs-server, as far as the emulator
 * goes: v1.56 stores and returns an object's retention (so locked writes, simple and resumable,
 * read back, and kbackup's own refusal to delete a locked backup works), but it neither enforces
 * retention on delete nor reports a bucket's object retention setting (so {@code validate()} of a
 * lock location fails there, and a whole backup cannot run against it).
 */
class GcsObjectRetentionRealIT {

    @RegisterExtension
    static final ServerExtension<FakeGcsServer> GCS = ServerExtension.of(FakeGcsServer::start,
            gcs -> gcs.createBucket("kbackup-retention"));

    private static BackupLocation location() {
        return GcsFakeServerContractRealIT.location(GCS.get(), "kbackup-retention")
                .config(GcsConfig.CHUNK_SIZE_BYTES, String.valueOf(GcsConfig.CHUNK_GRANULARITY))
                .objectLock(ObjectLock.GOVERNANCE).prefix("retention").build();
    }

    @Test
    void objectsAreWrittenWithTheirRetentionAndReadItBack() throws Exception {
        Instant until = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        try (StorageProvider storage = StorageProviders.discover().open(location())) {
            storage.put("retention/small.json", "{}".getBytes(), new Retention(ObjectLock.COMPLIANCE, until));
            byte[] big = new byte[3 * GcsConfig.CHUNK_GRANULARITY + 5];
            new Random(1).nextBytes(big);
            try (BlobWriter w = storage.openWriter("retention/large.bin", new Retention(ObjectLock.GOVERNANCE, until))) {
                w.write(big);
                w.commit();
            }
            assertThat(storage.retention("retention/small.json")).contains(new Retention(ObjectLock.COMPLIANCE, until));
            assertThat(storage.retention("retention/large.bin")).contains(new Retention(ObjectLock.GOVERNANCE, until));
            storage.put("retention/plain.json", "{}".getBytes());
            assertThat(storage.retention("retention/plain.json")).isEmpty();
            assertThat(storage.retention("retention/missing.json")).isEmpty();
        }
    }

    @Test
    void aBackupWithALockedObjectIsNotDeletedAndTheErrorSaysUntilWhen() throws Exception {
        Instant until = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        BackupLocation location = location();
        String dir = "retention/backups/locked-1/";
        try (StorageProvider storage = StorageProviders.discover().open(location);
                EmbeddedCluster cluster = EmbeddedCluster.start(); KubernetesClient client = cluster.client();
                BackupClient engine = KBackup.direct(client)) {
            storage.put(dir + "locked-1.tar.gz", new byte[] {1, 2, 3}, new Retention(ObjectLock.GOVERNANCE, until));
            storage.put(dir + "locked-1-logs.gz", new byte[] {4});
            // a finished backup (an unfinished one is refused as possibly still being written, before its locks are read)
            storage.put(dir + "velero-backup.json", ("{\"apiVersion\":\"velero.io/v1\",\"kind\":\"Backup\",\"metadata\":{\"name\":"
                    + "\"locked-1\"},\"spec\":{},\"status\":{\"phase\":\"Completed\"}}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThatThrownBy(() -> engine.deleteBackup(location, "locked-1"))
                    .isInstanceOfSatisfying(BackupLockedException.class, e -> assertThat(e.lockedUntil()).isEqualTo(until))
                    .hasMessageContaining(until.toString());
            try (Stream<BlobInfo> left = storage.listAll(dir)) {
                assertThat(left).hasSize(3);
            }
        }
    }

    @Test
    void fakeGcsServerReportsNoBucketObjectRetentionSoValidateSaysSo() {
        ValidationResult result = location().validate();
        assertThat(result.has(ValidationResult.Kind.OBJECT_LOCK_UNAVAILABLE)).isTrue();
        assertThat(result.problems().get(0).message()).contains("kbackup-retention");
    }
}
