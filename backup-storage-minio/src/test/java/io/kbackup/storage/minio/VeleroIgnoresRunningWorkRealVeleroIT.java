package io.kbackup.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.Credentials;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.spi.StorageProviderFactory;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.servers.VeleroServer;
import io.kbackup.testkit.storage.WrappedStorageFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * While a DirectEngine backup and restore run, their records are in the bucket
 * ({@code backups/<name>/kbackup-progress.json}, {@code restores/<name>/kbackup-restore.json}) and
 * other processes list them; the real Velero server (v1.18 with the AWS plugin) syncing the same
 * bucket neither picks the running backup up nor marks the location Unavailable, and syncs it once
 * it has ended.
 */
@Order(Integer.MAX_VALUE) // a long class: last in the order, the first one the first thread takes (see the pom)
class VeleroIgnoresRunningWorkRealVeleroIT {
    private static final String BUCKET = "velero";
    private static final String PREFIX = "running";
    private static final Duration WAIT = Duration.ofMinutes(3);

    @Test
    void runningWorkIsListedByKbackupAndLeftAloneByVelerosSync() throws Exception {
        try (MinioServer minio = MinioServer.start(); RealCluster cluster = RealCluster.start();
                KubernetesClient k8s = cluster.client()) {
            minio.createBucket(BUCKET);
            BackupLocation location = BackupLocation.minio(minio.endpoint(), BUCKET).prefix(PREFIX)
                    .credentials(Credentials.awsStatic(minio.rootUser(), minio.rootPassword())).build();
            k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("busy").endMetadata().build()).create();
            k8s.configMaps().inNamespace("busy").resource(new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata()
                    .addToData("k", "v").build()).create();

            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch reached = new CountDownLatch(2);
            StorageProviderFactory gated = gatedMinio(gate, reached);
            try (DirectEngine plain = KBackup.direct(k8s);
                    DirectEngine held = KBackup.direct(k8s, DirectOptions.builder().progressInterval(Duration.ofSeconds(1))
                            .storageProviders(StorageProviders.discover().with(gated)).build())) {
                assertThat(plain.backup(BackupPlan.builder().name("kbackup-done").location(location).includedNamespaces("busy").build())
                        .await(WAIT).phase()).isEqualTo(BackupPhase.COMPLETED);
                // held before their last files: the backup has no velero-backup.json yet, the restore only our record
                BackupHandle backup = held.backup(BackupPlan.builder().name("kbackup-running").location(location)
                        .includedNamespaces("busy").build());
                RestoreHandle restore = held.restore(RestorePlan.builder().location(location).backupName("kbackup-done")
                        .restoreName("kbackup-restoring").namespaceMapping(Map.of("busy", "busy-copy")).build());
                assertThat(reached.await(60, TimeUnit.SECONDS)).isTrue();

                assertThat(plain.describeBackup(location, "kbackup-running").phase()).isEqualTo(BackupPhase.IN_PROGRESS);
                assertThat(plain.describeRestore(location, "kbackup-restoring").phase()).isEqualTo(RestorePhase.IN_PROGRESS);

                try (VeleroServer velero = VeleroServer.start(cluster, minio, BUCKET, PREFIX)) {
                    // start() waited for the sync pass at the server's start, which brought kbackup-done in and
                    // saw the running backup's folder; meanwhile Velero validates the location every 5 s
                    assertThat(VeleroServer.phase(velero.awaitBackup("kbackup-done", WAIT))).isEqualTo("Completed");
                    Thread.sleep(VeleroServer.BACKUP_SYNC_PERIOD.multipliedBy(3).toMillis());
                    assertThat(VeleroServer.phase(velero.location())).as("the location while our work runs; log %s", velero.log())
                            .isEqualTo("Available");
                    assertThat(velero.client().genericKubernetesResources(VeleroServer.BACKUP).inNamespace(VeleroServer.NAMESPACE)
                            .withName("kbackup-running").get()).as("Velero does not sync a running backup").isNull();

                    gate.countDown();
                    BackupInfo ended = backup.await(WAIT);
                    assertThat(ended.phase()).isEqualTo(BackupPhase.COMPLETED);
                    RestoreInfo restored = restore.await(WAIT);
                    assertThat(restored.phase()).isEqualTo(RestorePhase.COMPLETED);
                    assertThat(VeleroServer.phase(velero.awaitBackup("kbackup-running", WAIT))).as("synced once it ended")
                            .isEqualTo("Completed");
                    assertThat(VeleroServer.phase(velero.location())).isEqualTo("Available");
                }
                assertThat(plain.listRestores(location)).extracting(RestoreInfo::name, RestoreInfo::phase)
                        .contains(org.assertj.core.groups.Tuple.tuple("kbackup-restoring", RestorePhase.COMPLETED));
            } finally {
                gate.countDown();
            }
        }
    }

    /** MinIO, except that the last files of the backup and restore wait at the gate. */
    private static StorageProviderFactory gatedMinio(CountDownLatch gate, CountDownLatch reached) {
        return WrappedStorageFactory.of(new MinioStorageProviderFactory(), WrappedStorageFactory.gateWrites(
                key -> key.endsWith("/kbackup-running-logs.gz") || key.endsWith("/restore-kbackup-restoring-logs.gz"),
                reached, gate, Duration.ofSeconds(120)));
    }
}
