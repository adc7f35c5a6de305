package io.kbackup.core.internal.backup;

import static io.kbackup.core.internal.backup.BackupFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.internal.layout.CrdSchema;
import io.kbackup.core.internal.layout.GzipJson;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.storage.FaultInjectingStorageProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Paging, retries of transient API errors, storage failures part-way, cancel, refused plans. */
class DirectBackupRobustnessIT extends ProxiedBulkCluster {
    /** One cluster for the class (tests only read it, and each has its own proxy in front of it). */
    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedCluster.start();
        seedBulk(100);
    }

    @Test
    void listsEveryResourceInPagesOfThePageSize() throws Exception {
        try (DirectEngine engine = engine(o -> o.pageSize(7))) {
            BackupInfo info = engine.backup(BackupPlan.builder().name("paged").location(location).includedNamespaces("bulk")
                    .build()).await(WAIT);
            assertThat(info.phase()).isEqualTo(BackupPhase.COMPLETED);
            assertThat(classicPaths(archive(folder, "paged"))).filteredOn(p -> p.startsWith("resources/configmaps/namespaces/bulk/cm-"))
                    .hasSize(100);
        }
        List<String> pages = proxy.requests().stream().filter(r -> r.startsWith("GET /api/v1/namespaces/bulk/configmaps?")).toList();
        assertThat(pages).hasSize(15).allMatch(r -> r.contains("limit=7"));
        assertThat(pages.stream().filter(r -> r.contains("continue=")).count()).isEqualTo(14);
    }

    @Test
    void anExpiredContinueTokenRestartsTheListWithoutDuplicatesOrGaps() throws Exception {
        try (EmbeddedCluster short410 = EmbeddedCluster.builder().continueTokenTtl(Duration.ofMillis(300)).start();
                ApiProxy slow = new ApiProxy(short410.url());
                KubernetesClient c = slow.client();
                DirectEngine engine = KBackup.direct(c, DirectOptions.builder().pageSize(10).build())) {
            short410.seed(Stream.concat(Stream.of(namespace("bulk")),
                    IntStream.range(0, 100).mapToObj(i -> configMap("bulk", String.format("cm-%03d", i), Map.of()))));
            slow.delay(r -> r.startsWith("GET /api/v1/namespaces/bulk/configmaps?") && r.contains("continue="), 600, 1);
            BackupInfo info = engine.backup(BackupPlan.builder().name("expired").location(location).includedNamespaces("bulk")
                    .build()).await(WAIT);

            assertThat(info.phase()).isEqualTo(BackupPhase.COMPLETED);
            assertThat(info.itemsBackedUp()).isEqualTo(101);
            List<String> names = io.kbackup.core.internal.layout.TarArchiveWriterTestAccess.gnuList(folder.resolve("backups/expired/expired.tar.gz"));
            assertThat(names).doesNotHaveDuplicates().hasSize(2 * 101 + 1);
            assertThat(slow.requests().stream().filter(r -> r.startsWith("GET /api/v1/namespaces/bulk/configmaps?")
                    && !r.contains("continue=")).count()).as("the list started twice").isEqualTo(2);
        }
    }

    @Test
    void retriesTransientApiErrorsWithBackoff() throws Exception {
        proxy.fail(r -> r.startsWith("GET /api/v1/namespaces/bulk/configmaps?"), 500, 2)
                .fail(r -> r.startsWith("GET /api/v1/namespaces/bulk/configmaps?") && r.contains("continue="), 429, 1)
                .fail(r -> r.startsWith("GET /api/v1?") || r.equals("GET /api/v1"), 503, 1);
        try (DirectEngine engine = engine(o -> o.pageSize(40).maxRetries(3))) {
            BackupInfo info = engine.backup(BackupPlan.builder().name("flaky").location(location).includedNamespaces("bulk")
                    .build()).await(WAIT);
            assertThat(info.phase()).isEqualTo(BackupPhase.COMPLETED);
            assertThat(info.errors()).isZero();
            assertThat(classicPaths(archive(folder, "flaky"))).filteredOn(p -> p.startsWith("resources/configmaps/namespaces/bulk/cm-"))
                    .hasSize(100);
        }
        assertThat(proxy.requests().stream().filter(r -> r.startsWith("GET /api/v1/namespaces/bulk/configmaps?")).count())
                .as("3 pages + 2x500 + 1x429").isEqualTo(6);
    }

    @Test
    void aResourceThatKeepsFailingMakesTheBackupPartiallyFailedWithTheErrorListed() throws Exception {
        proxy.fail(r -> r.startsWith("GET /api/v1/namespaces/bulk/secrets"), 403, Integer.MAX_VALUE);
        try (DirectEngine engine = engine(o -> {})) {
            BackupInfo info = engine.backup(BackupPlan.builder().name("partial").location(location).includedNamespaces("bulk")
                    .build()).await(WAIT);
            assertThat(info.phase()).isEqualTo(BackupPhase.PARTIALLY_FAILED);
            assertThat(info.errors()).isEqualTo(1);
            assertThat(info.itemsBackedUp()).as("the failed list's items are missing: progress is not complete")
                    .isLessThan(info.itemsTotal());
            JsonNode results = GzipJson.readGzipJson(Files.newInputStream(folder.resolve("backups/partial/partial-results.gz")));
            assertThat(results.path("errors").path("namespaces").path("bulk").get(0).asText())
                    .contains("Could not list secrets in namespace bulk", "403");
            assertThat(engine.describeBackup(location, "partial").phase()).isEqualTo(BackupPhase.PARTIALLY_FAILED);
        }
    }

    @Test
    void storageFailurePartWayLeavesAVisiblyFailedBackupAndNoArchive() throws Exception {
        Random random = new Random(7);
        cluster.seed(Stream.concat(Stream.of(namespace("big")), IntStream.range(0, 50).mapToObj(i -> {
            HasMetadata cm = configMap("big", "big-" + i, Map.of());
            byte[] noise = new byte[3000];
            random.nextBytes(noise);
            ((io.fabric8.kubernetes.api.model.ConfigMap) cm).getData().put("noise", java.util.Base64.getEncoder().encodeToString(noise));
            return cm;
        })));
        List<FaultInjectingStorageProvider> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (DirectEngine engine = engineOnFaultyStorage(p -> opened.add(p.failWritesAfter(20_000, k -> k.endsWith(".tar.gz"))))) {
            BackupHandle handle = engine.backup(BackupPlan.builder().name("broken").location(location).includedNamespaces("big").build());
            BackupInfo info = handle.await(WAIT);

            assertThat(info.phase()).isEqualTo(BackupPhase.FAILED);
            assertThat(handle.phase()).isEqualTo(BackupPhase.FAILED);
            assertThat(info.failureReason()).contains("writing to the backup location failed").contains(FaultInjectingStorageProvider.MARKER);
            assertThat(folder.resolve("backups/broken/broken.tar.gz")).doesNotExist();
            assertThat(folder.resolve("backups/broken/kbackup-manifest.json")).doesNotExist();
            JsonNode doc = GzipJson.MAPPER.readTree(folder.resolve("backups/broken/velero-backup.json").toFile());
            assertThat(doc.path("status").path("phase").asText()).isEqualTo("Failed");
            assertThat(doc.path("status").path("failureReason").asText()).contains(FaultInjectingStorageProvider.MARKER);
            assertThat(CrdSchema.load("velero.io_backups.yaml").problems(doc)).isEmpty();
            assertThat(engine.listBackups(location)).extracting(BackupInfo::phase).containsExactly(BackupPhase.FAILED);
            assertThat(opened.get(0).bytesWritten()).as("part of the archive was written").isGreaterThanOrEqualTo(20_000);
        }
    }

    @Test
    void whenVeleroBackupJsonCannotBeWrittenNothingIsListedAndTheHandleSaysWhy() throws Exception {
        try (DirectEngine engine = engineOnFaultyStorage(p -> p.failCommits(k -> k.endsWith("/velero-backup.json")))) {
            assertBackupOfBulkFails(engine, "nodoc", "could not write velero-backup.json");
            assertThat(engine.listBackups(location)).isEmpty();
        }
    }

    @Test
    void sideFilesThatCannotBeWrittenFailTheBackup() throws Exception {
        try (DirectEngine engine = engineOnFaultyStorage(p -> p.failCommits(k -> k.endsWith("-results.gz")))) {
            assertBackupOfBulkFails(engine, "noresults", "could not write the backup's metadata files");
            assertThat(engine.describeBackup(location, "noresults").phase()).isEqualTo(BackupPhase.FAILED);
            assertThat(folder.resolve("backups/noresults/kbackup-manifest.json")).doesNotExist();
        }
    }

    /** An engine on the cluster whose local-folder storage fails as {@code faults} sets it up. */
    private DirectEngine engineOnFaultyStorage(Consumer<FaultInjectingStorageProvider> faults) {
        return engine(o -> o.storageProviders(StorageProviders.discover().with(faultyLocal(faults))));
    }

    /** Backs up namespace bulk as {@code name}: the backup must end Failed, its reason starting with {@code reason}. */
    private void assertBackupOfBulkFails(DirectEngine engine, String name, String reason) {
        BackupInfo info = engine.backup(BackupPlan.builder().name(name).location(location).includedNamespaces("bulk").build())
                .await(WAIT);
        assertThat(info.phase()).isEqualTo(BackupPhase.FAILED);
        assertThat(info.failureReason()).startsWith(reason);
    }

    @Test
    void cancelEndsFailedWithReasonCancelledAndAbortsTheArchive() throws Exception {
        proxy.delay(r -> r.startsWith("GET /api/v1/namespaces/bulk/configmaps?") && r.contains("continue="), 300);
        try (DirectEngine engine = engine(o -> o.pageSize(5))) {
            BackupHandle handle = engine.backup(BackupPlan.builder().name("stopped").location(location).includedNamespaces("bulk").build());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (handle.progress().itemsDone() < 5 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(handle.phase()).isEqualTo(BackupPhase.IN_PROGRESS);
            handle.cancel();
            BackupInfo info = handle.await(WAIT);

            assertThat(info.phase()).isEqualTo(BackupPhase.FAILED);
            assertThat(info.failureReason()).isEqualTo("cancelled");
            assertThat(folder.resolve("backups/stopped/stopped.tar.gz")).doesNotExist();
            assertThat(engine.describeBackup(location, "stopped").phase()).isEqualTo(BackupPhase.FAILED);
            assertThat(engine.describeBackup(location, "stopped").failureReason()).isEqualTo("cancelled");
        }
        assertThat(Files.list(folder.resolve("backups/stopped")).map(p -> p.getFileName().toString()))
                .noneMatch(n -> n.endsWith(".tar.gz") || n.equals("kbackup-manifest.json"));
    }

    @Test
    void anUnreachableApiServerFailsTheBackupVisibly() throws Exception {
        proxy.fail(r -> true, 503, Integer.MAX_VALUE);
        try (DirectEngine engine = engine(o -> o.maxRetries(1))) {
            BackupInfo info = engine.backup(BackupPlan.builder().name("down").location(location).build()).await(WAIT);
            assertThat(info.phase()).isEqualTo(BackupPhase.FAILED);
            assertThat(info.failureReason()).contains("Kubernetes API", "503");
            assertThat(engine.describeBackup(location, "down").phase()).isEqualTo(BackupPhase.FAILED);
        }
    }

    @Test
    void progressCountsItemsAndBytes() throws Exception {
        try (DirectEngine engine = engine(o -> {})) {
            BackupHandle handle = engine.backup(BackupPlan.builder().name("p1").location(location).includedNamespaces("bulk").build());
            BackupInfo info = handle.await(WAIT);
            assertThat(handle.name()).isEqualTo("p1");
            // the items in the archive: the namespace and its 100 config maps, and on a real cluster
            // also what its controllers add to each namespace (kube-root-ca.crt, the default ServiceAccount)
            int expected = classicPaths(archive(folder, "p1")).size();
            assertThat(expected).isGreaterThanOrEqualTo(101);
            assertThat(handle.progress().itemsDone()).isEqualTo(info.itemsBackedUp()).isEqualTo(expected);
            assertThat(handle.progress().itemsTotal()).isEqualTo(expected);
            assertThat(handle.progress().bytes()).isEqualTo(Files.size(folder.resolve("backups/p1/p1.tar.gz")));
            assertThat(handle.completion().get()).isEqualTo(info);
        }
    }

    @Test
    void refusesANameThatExistsBeforeWritingAnything() throws Exception {
        try (DirectEngine engine = engine(o -> {})) {
            engine.backup(BackupPlan.builder().name("taken").location(location).includedNamespaces("bulk").build()).await(WAIT);
            byte[] before = Files.readAllBytes(folder.resolve("backups/taken/velero-backup.json"));
            assertThatThrownBy(() -> engine.backup(BackupPlan.builder().name("taken").location(location).build()))
                    .isInstanceOf(InvalidPlanException.class).hasMessageContaining("'taken' already exists");
            assertThat(Files.readAllBytes(folder.resolve("backups/taken/velero-backup.json"))).isEqualTo(before);

            // include all disks is supported now (issue 8); its refusals before writing anything are
            // tested in internal.snapshot (DirectSnapshotBackupIT, SnapshotPreflightWithoutSnapshotApiIT)
        }
    }

    @Test
    void namesFromAPrefixUseTheStartTimeInUtc() throws Exception {
        java.time.Clock fixed = java.time.Clock.fixed(java.time.Instant.parse("2026-11-21T02:03:04Z"), java.time.ZoneOffset.UTC);
        try (DirectEngine engine = engine(o -> o.clock(fixed))) {
            BackupInfo info = engine.backup(BackupPlan.builder().prefix("nightly").location(location).includedNamespaces("bulk")
                    .build()).await(WAIT);
            assertThat(info.name()).isEqualTo("nightly-20261121020304");
            assertThat(info.started()).isEqualTo(fixed.instant());
            assertThat(info.expires()).isEqualTo(fixed.instant().plus(BackupPlan.DEFAULT_EXPIRY));
            assertThat(new String(Files.readAllBytes(folder.resolve("backups/nightly-20261121020304/velero-backup.json")),
                    StandardCharsets.UTF_8)).contains("\"ttl\":\"720h0m0s\"");
        }
    }
}
