package io.kbackup.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.BackupInProgressException;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.Schedule;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.schedule.BackupScheduler;
import io.kbackup.core.schedule.SchedulerEvent;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.servers.ServerExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A backup killed with kill -9 in the middle (a child JVM, {@link KilledBackupMain}, against a real
 * MinIO server) leaves its claim and an unfinished multipart upload of its tarball, and no
 * {@code velero-backup.json}: it is not listed, deleting it is refused within the grace period,
 * and after it {@code deleteBackup} or the scheduler's sweep removes everything, the unfinished
 * upload included.
 */
class MinioKilledBackupRealIT {
    private static final String BUCKET = "kbackup-killed";

    @RegisterExtension
    static final ServerExtension<MinioServer> MINIO = ServerExtension.of(MinioServer::start, minio -> minio.createBucket(BUCKET));

    private static EmbeddedCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static BackupLocation location(String prefix) {
        return MinioProviderContractRealIT.rootLocation(MINIO.get(), BUCKET).prefix(prefix).build();
    }

    /** Runs {@link KilledBackupMain} until its tarball upload is under way on the server, then kills it (SIGKILL). */
    private static void backUpAndKill(String prefix, String name) throws Exception {
        MinioServer minio = MINIO.get();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
                KilledBackupMain.class.getName(), minio.endpoint(), minio.rootUser(), minio.rootPassword(), BUCKET, prefix, name)
                .redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (java.io.IOException e) {
                // the child was killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            String tarball = prefix + "/backups/" + name + "/" + name + ".tar.gz";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!(output.contains(KilledBackupMain.UPLOADING) && !minio.multipartUploads(BUCKET, tarball).isEmpty())) {
                assertThat(child.isAlive()).as("the child is still running; its output: %s", output).isTrue();
                assertThat(System.nanoTime()).as("the child started uploading in time; its output: %s", output).isLessThan(deadline);
                Thread.sleep(100);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no abort
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(child.isAlive()).isFalse();
    }

    private static List<String> keysUnder(BackupLocation location, String name) {
        try (StorageProvider storage = StorageProviders.discover().open(location); Stream<BlobInfo> blobs =
                storage.listAll(location.keyPrefix() + "backups/" + name + "/")) {
            return blobs.map(BlobInfo::key).toList();
        }
    }

    @Test
    void deleteBackupRemovesAKilledBackupsLeftoversOnceThePeriodOfGraceHasPassed() throws Exception {
        String prefix = "killed-" + UUID.randomUUID();
        BackupLocation location = location(prefix);
        backUpAndKill(prefix, "killed");
        String tarball = prefix + "/backups/killed/killed.tar.gz";
        assertThat(keysUnder(location, "killed")).containsExactlyInAnyOrder(prefix + "/backups/killed/kbackup-claim.json",
                prefix + "/backups/killed/kbackup-progress.json");
        assertThat(MINIO.get().multipartUploads(BUCKET, tarball)).hasSize(1);

        try (DirectEngine patient = KBackup.direct(cluster.client());
                DirectEngine reclaiming = KBackup.direct(cluster.client(), DirectOptions.builder().unfinishedBackupGrace(Duration.ZERO).build())) {
            // listed once, by its progress record, as running (10 minutes pass before it reads Failed), never Completed
            assertThat(patient.listBackups(location)).singleElement()
                    .satisfies(b -> assertThat(b.phase()).isEqualTo(BackupPhase.IN_PROGRESS));
            assertThatThrownBy(() -> patient.deleteBackup(location, "killed")).isInstanceOf(BackupInProgressException.class)
                    .hasMessageContaining("no velero-backup.json");
            assertThat(MINIO.get().multipartUploads(BUCKET, tarball)).hasSize(1);

            reclaiming.deleteBackup(location, "killed");
        }
        assertThat(keysUnder(location, "killed")).isEmpty();
        assertThat(MINIO.get().multipartUploads(BUCKET, tarball)).isEmpty();
        assertThat(MINIO.get().multipartUploads(BUCKET, prefix + "/")).isEmpty();
    }

    @Test
    void theSchedulersSweepRemovesAKilledRunsLeftoversAfterTheGracePeriod() throws Exception {
        String prefix = "swept-" + UUID.randomUUID();
        BackupLocation location = location(prefix);
        String name = "nightly-20261130020000";
        backUpAndKill(prefix, name);
        String tarball = prefix + "/backups/" + name + "/" + name + ".tar.gz";
        assertThat(MINIO.get().multipartUploads(BUCKET, tarball)).hasSize(1);

        List<SchedulerEvent> events = new CopyOnWriteArrayList<>();
        BackupPlan plan = BackupPlan.builder().prefix("nightly").location(location).schedule(Schedule.cron("0 2 * * *")).build();
        try (DirectEngine engine = KBackup.direct(cluster.client(), DirectOptions.builder().unfinishedBackupGrace(Duration.ZERO).build())) {
            try (BackupScheduler patient = BackupScheduler.builder().backupClient(engine).build()) {
                patient.add(plan);
                patient.sweepNow();
            }
            assertThat(keysUnder(location, name)).as("within the grace period (default 24 h) nothing goes").hasSize(2);

            try (BackupScheduler scheduler = BackupScheduler.builder().backupClient(engine).unfinishedGrace(Duration.ofSeconds(1))
                    .listener(events::add).build()) {
                scheduler.add(plan);
                Thread.sleep(1100);
                scheduler.sweepNow();
            }
        }
        assertThat(events).filteredOn(e -> e.type() == SchedulerEvent.Type.DELETED).singleElement().satisfies(e -> {
            assertThat(e.backup()).isEqualTo(name);
            assertThat(e.message()).contains("unfinished since");
        });
        assertThat(keysUnder(location, name)).isEmpty();
        assertThat(MINIO.get().multipartUploads(BUCKET, tarball)).isEmpty();
    }
}
