package io.kbackup.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.CorruptBackupException;
import io.kbackup.RestorePlan;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.EmbeddedClusterExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The metrics of real DirectEngine backups and restores on the embedded cluster, fed through the listener API. */
@ExtendWith(EmbeddedClusterExtension.class)
class KBackupMetricsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    @BeforeAll
    static void seed(EmbeddedCluster cluster) {
        cluster.seed(Stream.of(new ConfigMapBuilder().withNewMetadata().withName("cm").withNamespace("metered").endMetadata()
                .addToData("k", "v").build()));
    }

    @Test
    void countsDurationsItemsAndBytesOfBackupsAndRestoresByOutcome(KubernetesClient client) throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        BackupLocation location = BackupLocation.localFolder(folder).build();
        BackupInfo good;
        try (BackupClient kbackup = KBackup.direct(client)) {
            KBackupMetrics.bindTo(kbackup, registry);
            good = kbackup.backup(BackupPlan.builder().name("good").location(location).includedNamespaces("metered")
                    .labels(Map.of("velero.io/schedule-name", "nightly")).build()).await(WAIT);
            kbackup.restore(RestorePlan.builder().location(location).backupName("good").namespaceMapping(Map.of("metered", "metered-2"))
                    .build()).await(WAIT);
            kbackup.backup(BackupPlan.builder().name("damaged").location(location).includedNamespaces("metered").build()).await(WAIT);
            Files.write(folder.resolve("backups/damaged/damaged.tar.gz"), new byte[] {1, 2, 3});
            assertThatThrownBy(() -> kbackup.restore(RestorePlan.builder().location(location).backupName("damaged").build()).await(WAIT))
                    .isInstanceOf(CorruptBackupException.class);
        }

        assertThat(registry.get("velero.backup.attempt").tag("schedule", "nightly").counter().count()).isEqualTo(1);
        assertThat(registry.get("velero.backup.attempt").tag("schedule", "").counter().count()).isEqualTo(1);
        assertThat(registry.get("velero.backup.success").tag("schedule", "nightly").counter().count()).isEqualTo(1);
        assertThat(registry.get("velero.backup.duration").tag("schedule", "nightly").timer().count()).isEqualTo(1);
        assertThat(registry.get("velero.backup.items.total").tag("schedule", "nightly").gauge().value())
                .isEqualTo(good.itemsBackedUp()).isPositive();
        assertThat(registry.get("velero.backup.tarball.size.bytes").tag("schedule", "nightly").gauge().value())
                .isEqualTo(Files.size(folder.resolve("backups/good/good.tar.gz")));
        assertThat(registry.get("velero.backup.last.successful.timestamp").tag("schedule", "nightly").gauge().value())
                .isEqualTo(good.completed().getEpochSecond());
        assertThat(registry.get("kbackup.backup.items").counters().stream().mapToDouble(c -> c.count()).sum())
                .isEqualTo(2.0 * good.itemsBackedUp());
        assertThat(registry.get("kbackup.backup.running").gauge().value()).isZero();

        assertThat(registry.get("velero.restore.attempt").counter().count()).isEqualTo(2);
        assertThat(registry.get("velero.restore.success").counter().count()).isEqualTo(1);
        assertThat(registry.get("velero.restore.validation.failed").counter().count()).isEqualTo(1);
        assertThat(registry.find("velero.restore.failed").counter()).isNull();
        assertThat(registry.get("kbackup.restore.duration").timer().count()).isEqualTo(2);
        assertThat(registry.get("kbackup.restore.items").counter().count()).isPositive();
        assertThat(registry.get("kbackup.restore.bytes").counter().count()).isPositive();
        assertThat(registry.get("kbackup.restore.running").gauge().value()).isZero();
    }
}
