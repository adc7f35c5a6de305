package io.kbackup.core.internal.backup;

import static io.kbackup.core.internal.backup.BackupFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.BackupHandle;
import io.kbackup.BackupInProgressException;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.Progress;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.internal.catalog.BackupCatalog;
import io.kbackup.core.internal.catalog.BackupProgress;
import io.kbackup.core.internal.layout.BackupClaim;
import io.kbackup.spi.StorageProviderFactory;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.engine.NameClaimContract;
import io.kbackup.testkit.storage.FaultInjectingStorageProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exclusive backup names (issue 20): two writers of one name, a delete racing a backup, the
 * leftovers of an unfinished backup, a transient failure of the last small write; on a local
 * folder (the same cases run on MinIO and moto in the storage modules' {@code ...RealIT}s).
 */
class BackupNameClaimIT extends ProxiedBulkCluster {
    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedCluster.start();
        seedBulk(60);
    }

    @Override
    DirectEngine engine(Consumer<DirectOptions.Builder> options) {
        return super.engine(o -> options.accept(o.pageSize(5)));
    }

    private BackupPlan plan(String name) {
        return BackupPlan.builder().name(name).location(location).includedNamespaces("bulk").build();
    }

    /** The folder of {@code name} with a claim of a writer elsewhere, made at {@code at}. */
    private Path claimedElsewhere(String name, Instant at) throws Exception {
        Path dir = Files.createDirectories(folder.resolve("backups").resolve(name));
        Files.write(dir.resolve("kbackup-claim.json"),
                new BackupClaim(name, UUID.randomUUID().toString(), "gone-engine", "elsewhere", at).toBytes());
        return dir;
    }

    /** Slows the backup's lists down so that it is still running while the test acts. */
    private void slowLists() {
        proxy.delay(r -> r.startsWith("GET /api/v1/namespaces/bulk/configmaps?") && r.contains("continue="), 100);
    }

    @Test
    void twoEnginesRacingOnOneNameFromTwoThreadsGiveExactlyOneBackup() throws Exception {
        slowLists();
        try (DirectEngine a = engine(o -> {}); DirectEngine b = engine(o -> {})) {
            List<Object> outcomes = NameClaimContract.race(() -> a.backup(plan("twice")).await(WAIT), () -> b.backup(plan("twice")).await(WAIT));
            assertThat(outcomes).filteredOn(o -> o instanceof BackupInfo i && i.phase() == BackupPhase.COMPLETED).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o instanceof BackupInProgressException || o instanceof InvalidPlanException).hasSize(1);
            BackupInfo listed = a.describeBackup(location, "twice");
            assertThat(listed.phase()).isEqualTo(BackupPhase.COMPLETED);
            assertThat(classicPaths(archive(folder, "twice"))).hasSize((int) listed.itemsBackedUp());
        }
    }

    @Test
    void aSecondWriterIsRefusedWhileTheNameIsClaimedAndWritesNothing() throws Exception {
        slowLists();
        try (DirectEngine a = engine(o -> {}); DirectEngine b = engine(o -> {})) {
            BackupHandle first = a.backup(plan("held"));
            byte[] claim = Files.readAllBytes(folder.resolve("backups/held/kbackup-claim.json"));
            assertThatThrownBy(() -> b.backup(plan("held"))).isInstanceOf(BackupInProgressException.class)
                    .hasMessageContaining("'held'").hasMessageContaining("held by another backup being written");
            assertThat(Files.readAllBytes(folder.resolve("backups/held/kbackup-claim.json"))).isEqualTo(claim);
            assertThat(first.await(WAIT).phase()).isEqualTo(BackupPhase.COMPLETED);
            assertThatThrownBy(() -> b.backup(plan("held"))).isInstanceOf(InvalidPlanException.class)
                    .hasMessageContaining("'held' already exists");
        }
    }

    @Test
    void aRunWhoseClaimIsTakenOverEndsFailedAndWritesNoVeleroBackupJson() throws Exception {
        slowLists();
        try (DirectEngine engine = engine(o -> {})) {
            BackupHandle handle = engine.backup(plan("lost"));
            // as if its leftovers had been reclaimed as stale and another writer had claimed the name
            Path claim = folder.resolve("backups/lost/kbackup-claim.json");
            BackupClaim other = new BackupClaim("lost", UUID.randomUUID().toString(), "another-engine", "elsewhere", Instant.now());
            Files.write(claim, other.toBytes());
            BackupInfo info = handle.await(WAIT);

            assertThat(info.phase()).isEqualTo(BackupPhase.FAILED);
            assertThat(info.failureReason()).contains("no longer this backup's").contains("no velero-backup.json");
            assertThat(folder.resolve("backups/lost/velero-backup.json")).doesNotExist();
            assertThat(folder.resolve("backups/lost/lost.tar.gz")).doesNotExist();
            assertThat(Files.readAllBytes(claim)).isEqualTo(other.toBytes());
            assertThat(engine.listBackups(location)).isEmpty();
        }
    }

    @Test
    void aRunWhoseClaimIsTakenOverLeavesTheNextWritersProgressRecordAlone() throws Exception {
        slowLists();
        try (DirectEngine engine = engine(o -> o.progressInterval(Duration.ofMinutes(5)))) {
            BackupHandle handle = engine.backup(plan("taken"));
            Path dir = folder.resolve("backups/taken");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!Files.exists(dir.resolve("kbackup-progress.json")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(5); // the run's own first record
            }
            // the next writer claimed the name and wrote its own progress record
            Files.write(dir.resolve("kbackup-claim.json"),
                    new BackupClaim("taken", UUID.randomUUID().toString(), "another-engine", "elsewhere", Instant.now()).toBytes());
            byte[] next = BackupProgress.record("taken", plan("taken"), Instant.now(), BackupPhase.IN_PROGRESS,
                    new Progress(9, 3, 0), Instant.now());
            Files.write(dir.resolve("kbackup-progress.json"), next);

            assertThat(handle.await(WAIT).phase()).isEqualTo(BackupPhase.FAILED);
            assertThat(Files.readAllBytes(dir.resolve("kbackup-progress.json"))).isEqualTo(next);
            assertThat(engine.listBackups(location)).singleElement()
                    .satisfies(b -> assertThat(b.phase()).isEqualTo(BackupPhase.IN_PROGRESS))
                    .satisfies(b -> assertThat(b.itemsTotal()).isEqualTo(9));
        }
    }

    @Test
    void anUnfinishedBackupWhoseProgressRecordWentStaleIsDeletableBeforeTheGracePeriod() throws Exception {
        Instant start = Instant.now().minus(Duration.ofHours(1));
        Path dir = claimedElsewhere("stopped", start);
        Files.write(dir.resolve("kbackup-progress.json"), BackupProgress.record("stopped", plan("stopped"), start,
                BackupPhase.IN_PROGRESS, new Progress(10, 4, 0), Instant.now().minus(Duration.ofMinutes(1))));
        try (DirectEngine engine = engine(o -> {})) {
            // a fresh record: its writer runs
            assertThatThrownBy(() -> engine.deleteBackup(location, "stopped")).isInstanceOf(BackupInProgressException.class);
            Files.write(dir.resolve("kbackup-progress.json"), BackupProgress.record("stopped", plan("stopped"), start,
                    BackupPhase.IN_PROGRESS, new Progress(10, 4, 0), Instant.now().minus(Duration.ofMinutes(20))));
            // listed as Failed ("delete it and back up again"): and it can be deleted
            assertThat(engine.listBackups(location)).singleElement()
                    .satisfies(b -> assertThat(b.phase()).isEqualTo(BackupPhase.FAILED));
            engine.deleteBackup(location, "stopped");
            assertThat(dir).doesNotExist();
        }
    }

    @Test
    void aFolderHoldingOnlyAGroupRecordIsNoUnfinishedBackup() throws Exception {
        Path dir = Files.createDirectories(folder.resolve("backups/skipped"));
        Files.writeString(dir.resolve("kbackup-group-run.json"), "{\"kind\":\"kbackup.io/GroupMemberRun\",\"phase\":\"SKIPPED\"}");
        try (DirectEngine engine = engine(o -> {})) {
            assertThat(new BackupCatalog(StorageProviders.discover()).unfinished(location, "skipped")).isEmpty();
            engine.deleteBackup(location, "skipped");
            assertThat(dir).doesNotExist();
        }
    }

    @Test
    void deletingABackupBeingWrittenIsRefusedAndTheBackupCompletesWhole() throws Exception {
        slowLists();
        try (DirectEngine writer = engine(o -> {}); DirectEngine deleter = engine(o -> {})) {
            BackupHandle handle = writer.backup(plan("racing"));
            assertThatThrownBy(() -> deleter.deleteBackup(location, "racing")).isInstanceOf(BackupInProgressException.class)
                    .hasMessageContaining("'racing'").hasMessageContaining("not finished").hasMessageContaining("PT24H");
            // the writer's own engine refuses too: the run is still going
            assertThatThrownBy(() -> writer.deleteBackup(location, "racing")).isInstanceOf(BackupInProgressException.class);
            BackupInfo info = handle.await(WAIT);
            assertThat(info.phase()).isEqualTo(BackupPhase.COMPLETED);
            assertThat(classicPaths(archive(folder, "racing"))).hasSize((int) info.itemsBackedUp());

            deleter.deleteBackup(location, "racing");
            assertThat(folder.resolve("backups/racing")).doesNotExist();
            assertThatThrownBy(() -> deleter.deleteBackup(location, "racing")).isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void leftoversOfAnotherWriterAreDeletedOnlyOnceOlderThanTheGracePeriod() throws Exception {
        Instant claimedAt = Instant.now().minus(Duration.ofHours(2));
        Path dir = claimedElsewhere("crashed", claimedAt);
        Files.write(dir.resolve("crashed-logs.gz"), new byte[] {1, 2, 3});
        try (DirectEngine strict = engine(o -> o.unfinishedBackupGrace(Duration.ofHours(3)));
                DirectEngine lenient = engine(o -> o.unfinishedBackupGrace(Duration.ofHours(1)))) {
            assertThat(strict.listBackups(location)).isEmpty();
            assertThatThrownBy(() -> strict.deleteBackup(location, "crashed")).isInstanceOf(BackupInProgressException.class)
                    .hasMessageContaining("no velero-backup.json").hasMessageContaining(claimedAt.toString());
            assertThat(dir.resolve("kbackup-claim.json")).exists();

            lenient.deleteBackup(location, "crashed");
            assertThat(dir).doesNotExist();
            // the name is free again
            assertThat(lenient.backup(plan("crashed")).await(WAIT).phase()).isEqualTo(BackupPhase.COMPLETED);
        }
    }

    @Test
    void theEngineThatRanAnUnfinishedBackupMayDeleteItsLeftoversAtOnce() throws Exception {
        StorageProviderFactory faulty = faultyLocal(p -> p.failCommits(k -> k.endsWith("/velero-backup.json")));
        try (DirectEngine engine = engine(o -> o.storageProviders(StorageProviders.discover().with(faulty)));
                DirectEngine other = engine(o -> {})) {
            BackupInfo info = engine.backup(plan("nodoc")).await(WAIT);
            assertThat(info.phase()).isEqualTo(BackupPhase.FAILED);
            assertThat(folder.resolve("backups/nodoc/nodoc.tar.gz")).exists();

            assertThatThrownBy(() -> other.deleteBackup(location, "nodoc")).isInstanceOf(BackupInProgressException.class);
            engine.deleteBackup(location, "nodoc");
            assertThat(folder.resolve("backups/nodoc")).doesNotExist();
        }
    }

    @Test
    void oneTransientFailureOfVeleroBackupJsonDoesNotDiscardACompleteBackup() throws Exception {
        List<FaultInjectingStorageProvider> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        StorageProviderFactory faulty = faultyLocal(p -> opened.add(p.failCommits(k -> k.endsWith("/velero-backup.json"), 1)));
        try (DirectEngine engine = engine(o -> o.storageProviders(StorageProviders.discover().with(faulty)))) {
            BackupInfo info = engine.backup(plan("flaky")).await(WAIT);
            assertThat(info.phase()).isEqualTo(BackupPhase.COMPLETED);
            assertThat(engine.describeBackup(location, "flaky").phase()).isEqualTo(BackupPhase.COMPLETED);
            assertThat(classicPaths(archive(folder, "flaky"))).hasSize((int) info.itemsBackedUp());
            assertThat(opened.get(0).calls(FaultInjectingStorageProvider.Operation.COMMIT))
                    .as("the failed commit and the retry, besides the tarball and side files").isGreaterThanOrEqualTo(3);
        }
    }
}
