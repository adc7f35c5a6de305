package io.kbackup.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.ObjectLock;
import io.kbackup.core.KBackup;
import io.kbackup.core.schedule.BackupScheduler;
import io.kbackup.core.schedule.RetentionPolicy;
import io.kbackup.core.schedule.SchedulerEvent;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.TestCluster;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.servers.ServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scheduler's sweep on locked backups, on a real MinIO bucket with object lock: a backup the
 * retention policy wants gone while it is locked is kept (a LOCKED event saying until when, no
 * ERROR), and the first sweep after its lock has ended deletes it with all its objects.
 */
class MinioLockedBackupSweepRealIT {

    @RegisterExtension
    static final ServerExtension<MinioServer> MINIO = ServerExtension.of(MinioServer::start,
            minio -> minio.createBucketWithObjectLock("kbackup-sweep"));

    @Test
    void aSweepKeepsALockedBackupAndDeletesItOnceItsLockHasEnded() throws Exception {
        BackupLocation location = MinioProviderContractRealIT.rootLocation(MINIO.get(), "kbackup-sweep")
                .objectLock(ObjectLock.GOVERNANCE).build();
        BackupPlan plan = BackupPlan.builder().prefix("nightly").location(location).includedNamespaces("default")
                .expiry(Duration.ofSeconds(15)).build();
        List<SchedulerEvent> events = new CopyOnWriteArrayList<>();
        try (TestCluster cluster = EmbeddedCluster.start(); KubernetesClient client = cluster.client();
                BackupClient engine = KBackup.direct(client);
                StorageProvider storage = StorageProviders.discover().open(location);
                BackupScheduler scheduler = BackupScheduler.builder().backupClient(engine).listener(events::add).build()) {
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("settings")
                    .endMetadata().addToData("k", "v").build()).create();
            BackupInfo older = engine.backup(plan).await(Duration.ofSeconds(60));
            Thread.sleep(1100); // backup names have whole seconds
            BackupInfo newer = engine.backup(plan).await(Duration.ofSeconds(60));
            assertThat(List.of(older.phase(), newer.phase())).containsOnly(BackupPhase.COMPLETED);
            scheduler.add(plan, RetentionPolicy.expiryOnly().keepLast(1));

            scheduler.sweepNow();
            assertThat(events).filteredOn(e -> e.type() == SchedulerEvent.Type.LOCKED).singleElement().satisfies(e -> {
                assertThat(e.backup()).isEqualTo(older.name());
                assertThat(e.message()).contains("under object lock until");
            });
            assertThat(events).noneMatch(e -> e.type() == SchedulerEvent.Type.ERROR || e.type() == SchedulerEvent.Type.DELETED);
            assertThat(engine.listBackups(location)).extracting(BackupInfo::name).contains(older.name(), newer.name());
            String olderDir = location.keyPrefix() + "backups/" + older.name() + "/";
            Instant until = storage.retention(olderDir + "velero-backup.json").orElseThrow().retainUntil();

            Thread.sleep(Math.max(0, Duration.between(Instant.now(), until).toMillis()) + 1500);
            events.clear();
            scheduler.sweepNow();
            assertThat(events).anyMatch(e -> e.type() == SchedulerEvent.Type.DELETED && older.name().equals(e.backup()));
            assertThat(events).noneMatch(e -> e.type() == SchedulerEvent.Type.ERROR);
            assertThat(engine.listBackups(location)).extracting(BackupInfo::name).doesNotContain(older.name());
            try (var left = storage.listAll(olderDir)) {
                assertThat(left).isEmpty();
            }
        }
    }
}
