package io.kbackup.core.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.NotFoundException;
import io.kbackup.Progress;
import io.kbackup.ResourceEntry;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.ResultMessage;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.GzipJson;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.EmbeddedClusterExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running work is visible to other engines reading the same location (as another process would),
 * and what ended can be inspected: listRestores, describeRestore, the streamed log, results and
 * resource lists; on the embedded cluster and a local folder.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class OperationVisibilityIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    @BeforeAll
    static void seed(EmbeddedCluster cluster) {
        cluster.seed(Stream.of(
                new ConfigMapBuilder().withNewMetadata().withName("one").withNamespace("shop").endMetadata().addToData("k", "1").build(),
                new ConfigMapBuilder().withNewMetadata().withName("two").withNamespace("shop").endMetadata().addToData("k", "2").build()));
    }

    private BackupLocation location() {
        return BackupLocation.localFolder(folder).build();
    }

    private static DirectEngine engine(KubernetesClient client, GateOnPut gate) {
        DirectOptions.Builder o = DirectOptions.builder().progressInterval(Duration.ofMillis(100));
        if (gate != null) {
            o.storageProviders(StorageProviders.discover().with(gate.factory));
        }
        return KBackup.direct(client, o.build());
    }

    @Test
    void aRunningBackupIsListedInProgressWithItsProgressByAnotherEngine(KubernetesClient client) throws Exception {
        // held just before its side files: every item is written, velero-backup.json is not
        GateOnPut gate = new GateOnPut(key -> key.endsWith("-logs.gz"));
        try (DirectEngine writer = engine(client, gate); DirectEngine reader = engine(client, null)) {
            BackupHandle handle = writer.backup(BackupPlan.builder().name("running").location(location()).includedNamespaces("shop").build());
            assertThat(gate.reached.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            BackupInfo seen = eventually(() -> reader.listBackups(location()).stream()
                    .filter(b -> b.name().equals("running") && b.itemsBackedUp() >= 2).findFirst().orElse(null));
            assertThat(seen.phase()).isEqualTo(BackupPhase.InProgress);
            assertThat(seen.started()).isNotNull();
            assertThat(seen.completed()).isNull();
            assertThat(seen.includedNamespaces()).containsExactly("shop");
            assertThat(reader.describeBackup(location(), "running").phase()).isEqualTo(BackupPhase.InProgress);
            // what Velero's sync reads is not there while it runs: Velero neither lists it nor minds the folder
            assertThat(folder.resolve("backups/running/velero-backup.json")).doesNotExist();
            assertThat(folder.resolve("backups/running/" + BucketLayout.PROGRESS_FILE)).exists();

            gate.gate.countDown();
            assertThat(handle.await(WAIT).phase()).isEqualTo(BackupPhase.Completed);
            assertThat(reader.describeBackup(location(), "running").phase()).isEqualTo(BackupPhase.Completed);
            assertThat(folder.resolve("backups/running/" + BucketLayout.PROGRESS_FILE)).doesNotExist();
        }
    }

    @Test
    void aRecordNoProcessRefreshesAnyMoreReadsFailed(KubernetesClient client) throws Exception {
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        Path dir = Files.createDirectories(folder.resolve("backups/orphan"));
        Files.write(dir.resolve(BucketLayout.PROGRESS_FILE), BackupProgress.record("orphan",
                BackupPlan.builder().name("orphan").location(location()).build(), longAgo, BackupPhase.InProgress,
                new Progress(10, 4, 100), longAgo.plusSeconds(30)));
        try (DirectEngine engine = engine(client, null)) {
            BackupInfo orphan = engine.describeBackup(location(), "orphan");
            assertThat(orphan.phase()).isEqualTo(BackupPhase.Failed);
            assertThat(orphan.failureReason()).contains("stopped without finishing");
            assertThat(orphan.itemsBackedUp()).isEqualTo(4);
        }
    }

    @Test
    void restoresAreListedDescribedAndTheirFilesStreamed(KubernetesClient client) throws Exception {
        GateOnPut gate = new GateOnPut(key -> key.contains("restore-back-") && key.endsWith("-logs.gz"));
        try (DirectEngine writer = engine(client, gate); DirectEngine reader = engine(client, null)) {
            writer.backup(BackupPlan.builder().name("src").location(location()).includedNamespaces("shop").build()).await(WAIT);
            var handle = writer.restore(RestorePlan.builder().location(location()).backupName("src").restoreName("back")
                    .namespaceMapping(Map.of("shop", "shop-copy")).build());
            assertThat(gate.reached.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            RestoreInfo running = eventually(() -> reader.listRestores(location()).stream()
                    .filter(r -> r.name().equals("back")).findFirst().orElse(null));
            assertThat(running.phase()).isEqualTo(RestorePhase.InProgress);
            assertThat(running.backupName()).isEqualTo("src");
            assertThat(running.namespaceMapping()).containsEntry("shop", "shop-copy");
            gate.gate.countDown();
            assertThat(handle.await(WAIT).phase()).isEqualTo(RestorePhase.Completed);

            RestoreInfo done = reader.describeRestore(location(), "back");
            assertThat(done.phase()).isEqualTo(RestorePhase.Completed);
            assertThat(done.created()).isGreaterThanOrEqualTo(2);
            assertThat(done.completed()).isNotNull();
            assertThat(reader.listRestores(location())).extracting(RestoreInfo::name).containsExactly("back");

            List<String> log = new ArrayList<>();
            reader.restoreLog(location(), "back", log::add);
            assertThat(log).anyMatch(l -> l.contains("Starting restore back of backup src"));
            List<ResourceEntry> restored = new ArrayList<>();
            reader.restoreResources(location(), "back", restored::add);
            assertThat(restored).contains(new ResourceEntry("v1", "ConfigMap", "shop-copy", "one", "created"));
            List<ResourceEntry> backedUp = new ArrayList<>();
            reader.backupResources(location(), "src", backedUp::add);
            assertThat(backedUp).contains(new ResourceEntry("v1", "ConfigMap", "shop", "two", null));
            List<String> backupLog = new ArrayList<>();
            reader.backupLog(location(), "src", backupLog::add);
            assertThat(backupLog).anyMatch(l -> l.contains("Starting backup src"));
            List<ResultMessage> results = new ArrayList<>();
            reader.backupResults(location(), "src", results::add);
            assertThat(results).allMatch(m -> m.severity() == ResultMessage.Severity.WARNING);

            assertThatThrownBy(() -> reader.describeRestore(location(), "nope")).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("No restore 'nope'");
            assertThatThrownBy(() -> reader.restoreLog(location(), "nope", l -> { })).isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void aRestoreVeleroRanIsReadFromItsFiles(KubernetesClient client) throws Exception {
        Path dir = Files.createDirectories(folder.resolve("restores/nightly-restore"));
        Files.write(dir.resolve("restore-nightly-restore-logs.gz"), GzipJson.gzip(("time=\"2026-11-20T02:00:00Z\" level=info"
                + " msg=\"starting restore of backup velero/nightly-20261120\" logSource=\"pkg/restore/restore.go:100\""
                + " restore=velero/nightly-restore\n").getBytes(StandardCharsets.UTF_8)));
        Files.write(dir.resolve("restore-nightly-restore-results.gz"), GzipJson.gzipJson(GzipJson.MAPPER.readTree(
                "{\"errors\":{\"namespaces\":{\"shop\":[\"error restoring configmaps/shop/bad: denied\"]}},"
                        + "\"warnings\":{\"velero\":[\"a warning\"],\"cluster\":[\"cluster warning\"]}}")));
        Files.write(dir.resolve("restore-nightly-restore-resource-list.json.gz"), GzipJson.gzipJson(GzipJson.MAPPER.readTree(
                "{\"v1/ConfigMap\":[\"shop/bad(failed)\",\"shop/good(created)\"],\"v1/Namespace\":[\"shop(skipped)\"]}")));
        try (DirectEngine engine = engine(client, null)) {
            RestoreInfo info = engine.describeRestore(location(), "nightly-restore");
            assertThat(info.phase()).isEqualTo(RestorePhase.PartiallyFailed);
            assertThat(info.backupName()).isEqualTo("nightly-20261120");
            assertThat(info.itemsTotal()).isEqualTo(3);
            assertThat(List.of(info.created(), info.failed(), info.skipped())).containsExactly(1L, 1L, 1L);
            assertThat(info.errors()).containsExactly("shop: error restoring configmaps/shop/bad: denied");
            assertThat(info.warnings()).containsExactly("velero: a warning", "cluster: cluster warning");
            assertThat(info.completed()).isNotNull();

            List<ResultMessage> results = new ArrayList<>();
            engine.restoreResults(location(), "nightly-restore", results::add);
            assertThat(results).containsExactly(
                    new ResultMessage(ResultMessage.Severity.ERROR, ResultMessage.Scope.NAMESPACE, "shop",
                            "error restoring configmaps/shop/bad: denied"),
                    new ResultMessage(ResultMessage.Severity.WARNING, ResultMessage.Scope.VELERO, null, "a warning"),
                    new ResultMessage(ResultMessage.Severity.WARNING, ResultMessage.Scope.CLUSTER, null, "cluster warning"));
            List<ResourceEntry> items = new ArrayList<>();
            engine.restoreResources(location(), "nightly-restore", items::add);
            assertThat(items).containsExactly(new ResourceEntry("v1", "ConfigMap", "shop", "bad", "failed"),
                    new ResourceEntry("v1", "ConfigMap", "shop", "good", "created"),
                    new ResourceEntry("v1", "Namespace", null, "shop", "skipped"));
        }
    }

    private static <T> T eventually(Supplier<T> probe) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            T t = probe.get();
            if (t != null) {
                return t;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not seen within 30 seconds");
    }
}
