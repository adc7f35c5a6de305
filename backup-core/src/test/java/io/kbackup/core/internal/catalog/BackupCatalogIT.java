package io.kbackup.core.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.CorruptBackupException;
import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.VeleroFixture;
import io.kbackup.core.storage.LocalFolderStorageFactory;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviderFactory;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.storage.FaultInjectingStorageProvider;
import io.kbackup.testkit.storage.WrappedStorageFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** List, describe and delete on backups Velero wrote (fixture built from FORMAT.md) and on ours. */
class BackupCatalogIT {
    @TempDir
    Path folder;
    @TempDir
    Path work;

    private BackupLocation location(String prefix) {
        return BackupLocation.localFolder(folder).prefix(prefix).build();
    }

    private void veleroBackup(BackupLocation location, String name, String phase, String start) throws Exception {
        try (StorageProvider storage = StorageProviders.discover().open(location)) {
            VeleroFixture.write(storage, new BucketLayout(location), name, phase, Instant.parse(start), work);
        }
    }

    @Test
    void listsBackupsVeleroWroteNewestFirst() throws Exception {
        BackupLocation loc = location("");
        veleroBackup(loc, "velero-nightly-20261119020000", "Completed", "2026-11-19T02:00:00Z");
        veleroBackup(loc, "velero-nightly-20261120020000", "PartiallyFailed", "2026-11-20T02:00:00Z");
        veleroBackup(loc, "adhoc", "Failed", "2026-11-19T12:00:00Z");
        BackupCatalog catalog = new BackupCatalog(StorageProviders.discover());

        assertThat(catalog.list(loc)).extracting(BackupInfo::name, BackupInfo::phase).containsExactly(
                org.assertj.core.groups.Tuple.tuple("velero-nightly-20261120020000", BackupPhase.PARTIALLY_FAILED),
                org.assertj.core.groups.Tuple.tuple("adhoc", BackupPhase.FAILED),
                org.assertj.core.groups.Tuple.tuple("velero-nightly-20261119020000", BackupPhase.COMPLETED));
        BackupInfo info = catalog.describe(loc, "velero-nightly-20261120020000");
        assertThat(info.scheduleName()).isEqualTo("velero-nightly");
        assertThat(info.itemsBackedUp()).isEqualTo(810);
        assertThat(info.expires()).isEqualTo(Instant.parse("2026-11-27T02:00:00Z"));
    }

    @Test
    void refusesToDescribeAFolderWhoseDocumentNamesAnotherBackup() throws Exception {
        BackupLocation loc = location("");
        Path renamed = folder.resolve("backups/renamed");
        Files.createDirectories(renamed);
        Files.writeString(renamed.resolve("velero-backup.json"),
                VeleroFixture.backupJson("other-name", "Completed", Instant.parse("2026-11-19T02:00:00Z")));
        BackupCatalog catalog = new BackupCatalog(StorageProviders.discover());

        assertThat(catalog.list(loc)).isEmpty();
        assertThatThrownBy(() -> catalog.describe(loc, "renamed")).isInstanceOf(CorruptBackupException.class)
                .hasMessageContaining("names backup 'other-name'");
    }

    @Test
    void skipsFoldersWithoutAReadableMatchingDocument() throws Exception {
        BackupLocation loc = location("prod/cluster-1");
        veleroBackup(loc, "good", "Completed", "2026-11-19T02:00:00Z");
        Path backups = folder.resolve("prod/cluster-1/backups");
        Files.createDirectories(backups.resolve("in-progress"));
        Files.writeString(backups.resolve("in-progress/in-progress.tar.gz"), "partial");
        Files.createDirectories(backups.resolve("corrupt"));
        Files.writeString(backups.resolve("corrupt/velero-backup.json"), "{\"kind\":\"Backup\",");
        Files.createDirectories(backups.resolve("renamed"));
        Files.writeString(backups.resolve("renamed/velero-backup.json"),
                VeleroFixture.backupJson("other-name", "Completed", Instant.parse("2026-11-19T02:00:00Z")));
        BackupCatalog catalog = new BackupCatalog(StorageProviders.discover());

        assertThat(catalog.list(loc)).extracting(BackupInfo::name).containsExactly("good");
        assertThat(catalog.list(location(""))).as("another prefix is another location").isEmpty();
        assertThatThrownBy(() -> catalog.describe(loc, "in-progress")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void listDescribeDeleteAndRestoreAgreeOnWhatABackupNameIs() throws Exception {
        BackupLocation loc = location("");
        veleroBackup(loc, "good", "Completed", "2026-11-19T02:00:00Z");
        for (String bad : new String[] {"has space", "Upper", "under_score"}) {
            Path dir = folder.resolve("backups").resolve(bad);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("velero-backup.json"), VeleroFixture.backupJson(bad, "Completed", Instant.parse("2026-11-19T02:00:00Z")));
        }
        BackupCatalog catalog = new BackupCatalog(StorageProviders.discover());

        assertThat(catalog.list(loc)).extracting(BackupInfo::name).containsExactly("good");
        for (String bad : new String[] {"has space", "Upper", "under_score"}) {
            assertThatThrownBy(() -> catalog.describe(loc, bad)).isInstanceOf(InvalidPlanException.class);
            assertThatThrownBy(() -> catalog.delete(loc, bad)).isInstanceOf(InvalidPlanException.class);
            assertThatThrownBy(() -> io.kbackup.RestorePlan.builder().location(loc).backupName(bad).build())
                    .isInstanceOf(InvalidPlanException.class);
        }
    }

    @Test
    void describeOfAMissingBackupIsNotFoundWithTheName() {
        BackupCatalog catalog = new BackupCatalog(StorageProviders.discover());
        assertThatThrownBy(() -> catalog.describe(location(""), "nope"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.name()).isEqualTo("nope"))
                .hasMessageContaining("No backup 'nope' in location 'default'");
        assertThatThrownBy(() -> catalog.delete(location(""), "nope")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> catalog.describe(location(""), "../etc")).isInstanceOf(InvalidPlanException.class);
    }

    @Test
    void deleteRemovesEveryObjectOfAVeleroBackupAndLeavesOthers() throws Exception {
        BackupLocation loc = location("");
        veleroBackup(loc, "old", "Completed", "2026-11-19T02:00:00Z");
        veleroBackup(loc, "keep", "Completed", "2026-11-20T02:00:00Z");
        BackupCatalog catalog = new BackupCatalog(StorageProviders.discover());

        catalog.delete(loc, "old");

        assertThat(folder.resolve("backups/old")).doesNotExist();
        assertThat(catalog.list(loc)).extracting(BackupInfo::name).containsExactly("keep");
        assertThat(Files.list(folder.resolve("backups/keep")).count()).isEqualTo(10);
    }

    @Test
    void aDeleteThatStopsPartWayNeverLeavesAListedBackup() throws Exception {
        BackupLocation loc = location("");
        veleroBackup(loc, "half", "Completed", "2026-11-19T02:00:00Z");
        FaultInjectingStorageProvider[] faulty = new FaultInjectingStorageProvider[1];
        StorageProviderFactory factory = WrappedStorageFactory.of(new LocalFolderStorageFactory(),
                p -> faulty[0] = FaultInjectingStorageProvider.wrap(p).failDeletes(k -> k.endsWith(".tar.gz")));
        BackupCatalog failing = new BackupCatalog(StorageProviders.discover().with(factory));
        BackupCatalog catalog = new BackupCatalog(StorageProviders.discover());

        assertThatThrownBy(() -> failing.delete(loc, "half")).hasMessageContaining(FaultInjectingStorageProvider.MARKER);

        assertThat(folder.resolve("backups/half/velero-backup.json")).doesNotExist();
        assertThat(folder.resolve("backups/half/half.tar.gz")).exists();
        assertThat(catalog.list(loc)).isEmpty();
        catalog.delete(loc, "half");
        assertThat(folder.resolve("backups/half")).doesNotExist();
    }

    @Test
    void listDescribeAndDeleteOurOwnBackups() throws Exception {
        BackupLocation loc = location("team-a");
        veleroBackup(loc, "from-velero", "Completed", "2020-01-01T00:00:00Z");
        try (EmbeddedCluster cluster = EmbeddedCluster.start(); KubernetesClient client = cluster.client();
                DirectEngine engine = KBackup.direct(client)) {
            cluster.seed(Stream.of(new ConfigMapBuilder().withNewMetadata().withName("cm").withNamespace("default").endMetadata()
                    .addToData("k", "v").build()));
            BackupInfo first = engine.backup(BackupPlan.builder().name("ours-1").location(loc).includedNamespaces("default").build())
                    .await(Duration.ofSeconds(60));
            BackupInfo second = engine.backup(BackupPlan.builder().name("ours-2").location(loc).includedNamespaces("default").build())
                    .await(Duration.ofSeconds(60));

            assertThat(engine.listBackups(loc)).extracting(BackupInfo::name).containsExactly("ours-2", "ours-1", "from-velero");
            assertThat(engine.describeBackup(loc, "ours-1")).isEqualTo(first);
            engine.deleteBackup(loc, "ours-1");
            engine.deleteBackup(loc, "from-velero");
            assertThat(engine.listBackups(loc)).containsExactly(second);
            assertThat(folder.resolve("team-a/backups/ours-1")).doesNotExist();
            assertThat(new String(Files.readAllBytes(folder.resolve("team-a/backups/ours-2/velero-backup.json")), StandardCharsets.UTF_8))
                    .contains("\"storageLocation\":\"default\"");
        }
    }
}
