package io.kbackup.core.internal.backup;

import static io.kbackup.core.internal.backup.BackupFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.core.internal.layout.BackupManifest;
import io.kbackup.core.internal.layout.CrdSchema;
import io.kbackup.core.internal.layout.GzipJson;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DirectEngine backup read back independently: the bucket layout, the tarball, the documents.
 * The tests only read the cluster, so they share one per class; each backs up into its own folder.
 */
class DirectBackupFormatIT extends ClusterPerClassBackup {
    Path folder;

    @Override
    void seed() {
        cluster.seed(Stream.of(
                namespace("shop"),
                configMap("shop", "settings", Map.of("app", "web")),
                secret("shop", "db"),
                serviceAccount("shop", "web"),
                pvc("shop", "data", "pv-data"),
                pv("pv-data"),
                priorityClass("high"),
                pod("shop", "web-0", "high"),
                storageClass("fast")));
        // a real cluster's PV controller binds the claim: let it settle so the objects stay as backed up
        client.persistentVolumeClaims().inNamespace("shop").withName("data")
                .waitUntilCondition(c -> c.getStatus() != null && "Bound".equals(c.getStatus().getPhase())
                        || !cluster.real(), 60, java.util.concurrent.TimeUnit.SECONDS);
        if (cluster.real()) {
            client.persistentVolumes().withName("pv-data")
                    .waitUntilCondition(v -> v.getStatus() != null && "Bound".equals(v.getStatus().getPhase()), 60,
                            java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @BeforeEach
    void newFolder(@TempDir Path folder) {
        this.folder = folder;
        location = BackupLocation.localFolder(folder).build();
    }

    @Test
    void writesVeleroBucketLayoutWithNothingElseAtTheTop() throws Exception {
        BackupInfo info = engine.backup(BackupPlan.builder().name("b1").location(location).build()).await(Duration.ofSeconds(30));

        assertThat(info.phase()).isEqualTo(BackupPhase.COMPLETED);
        try (Stream<Path> top = Files.list(folder)) {
            assertThat(top.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList()).containsExactly("backups");
        }
        try (Stream<Path> files = Files.list(folder.resolve("backups/b1"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder(
                    "velero-backup.json", "b1.tar.gz", "b1-logs.gz", "b1-results.gz", "b1-resource-list.json.gz",
                    "b1-volumesnapshots.json.gz", "b1-podvolumebackups.json.gz", "b1-itemoperations.json.gz",
                    "b1-volumeinfo.json.gz", "kbackup-manifest.json",
                    "kbackup-claim.json"); // the writer's name claim, kept until the backup is deleted (Velero ignores it)
        }
        assertThat(gz("b1-volumesnapshots.json.gz")).isEqualTo("null\n");
        assertThat(gz("b1-podvolumebackups.json.gz")).isEqualTo("null\n");
        // as the real Velero 1.18.3 writes it for a backup without async item operations (VeleroBothWaysRealVeleroIT)
        assertThat(gz("b1-itemoperations.json.gz")).isEqualTo("[]\n");
        assertThat(gz("b1-volumeinfo.json.gz")).isEqualTo("[]\n");
        assertThat(gz("b1-results.gz")).isEqualTo("{\"errors\":{},\"warnings\":{}}\n");
        assertThat(gz("b1-logs.gz")).contains("level=info").contains("backup=velero/b1");
        JsonNode resources = GzipJson.MAPPER.readTree(gz("b1-resource-list.json.gz"));
        // every config map of the cluster, sorted: only shop/settings on the embedded cluster, the
        // kube-root-ca.crt of each namespace and kube-system's own as well on a real one
        List<String> configMaps = client.configMaps().inAnyNamespace().list().getItems().stream()
                .map(c -> c.getMetadata().getNamespace() + "/" + c.getMetadata().getName()).sorted().toList();
        assertThat(configMaps).contains("shop/settings");
        assertThat(GzipJson.MAPPER.convertValue(resources.path("v1/ConfigMap"), List.class)).isEqualTo(configMaps);
        assertThat(resources.path("v1/PersistentVolume").toString()).isEqualTo("[\"pv-data\"]");
        assertThat(resources.path("v1/Namespace").toString()).contains("\"shop\"", "\"default\"");
    }

    @Test
    void tarballHasVersionFirstAndEveryItemAtBothPathsAsTheApiServerReturnsIt(@TempDir Path extracted) throws Exception {
        engine.backup(BackupPlan.builder().name("b1").location(location).build()).await(Duration.ofSeconds(30));

        List<String> gnu = io.kbackup.core.internal.layout.TarArchiveWriterTestAccess.gnuList(folder.resolve("backups/b1/b1.tar.gz"));
        assertThat(gnu.get(0)).isEqualTo("metadata/version");
        assertThat(gnu).doesNotHaveDuplicates().allMatch(n -> !n.endsWith("/"));

        Map<String, byte[]> archive = archive(folder, "b1");
        assertThat(archive.keySet()).containsExactlyInAnyOrderElementsOf(gnu);
        assertThat(new String(archive.get("metadata/version"), StandardCharsets.US_ASCII)).isEqualTo("1.1.0\n");
        for (String[] item : new String[][] {
                {"configmaps", "v1", "shop", "settings", "/api/v1/namespaces/shop/configmaps/settings"},
                {"secrets", "v1", "shop", "db", "/api/v1/namespaces/shop/secrets/db"},
                {"pods", "v1", "shop", "web-0", "/api/v1/namespaces/shop/pods/web-0"},
                {"namespaces", "v1", null, "shop", "/api/v1/namespaces/shop"},
                {"persistentvolumes", "v1", null, "pv-data", "/api/v1/persistentvolumes/pv-data"},
                {"storageclasses.storage.k8s.io", "v1", null, "fast", "/apis/storage.k8s.io/v1/storageclasses/fast"},
                {"priorityclasses.scheduling.k8s.io", "v1", null, "high", "/apis/scheduling.k8s.io/v1/priorityclasses/high"}}) {
            String scope = item[2] == null ? "cluster/" : "namespaces/" + item[2] + "/";
            String classic = "resources/" + item[0] + "/" + scope + item[3] + ".json";
            String preferred = "resources/" + item[0] + "/" + item[1] + "-preferredversion/" + scope + item[3] + ".json";
            assertThat(archive).containsKeys(classic, preferred);
            assertThat(archive.get(preferred)).isEqualTo(archive.get(classic));
            String json = new String(archive.get(classic), StandardCharsets.UTF_8);
            assertThat(json).doesNotContain("\n").startsWith("{\"apiVersion\":");
            assertThat(GzipJson.MAPPER.readTree(json)).as(classic).isEqualTo(get(cluster, item[4]));
        }
        assertThat(archive.keySet()).noneMatch(n -> n.contains("pods.v1"));

        io.kbackup.core.internal.layout.TarArchiveWriterTestAccess.gnuExtract(folder.resolve("backups/b1/b1.tar.gz"), extracted);
        for (Map.Entry<String, byte[]> e : archive.entrySet()) {
            assertThat(Files.readAllBytes(extracted.resolve(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void veleroBackupJsonIsWrittenLastValidAndMatchesTheHandle() throws Exception {
        BackupPlan plan = BackupPlan.builder().name("b1").location(location).labels(Map.of("team", "shop")).build();
        BackupInfo info = engine.backup(plan).await(Duration.ofSeconds(30));

        Path json = folder.resolve("backups/b1/velero-backup.json");
        JsonNode doc = GzipJson.MAPPER.readTree(json.toFile());
        assertThat(CrdSchema.load("velero.io_backups.yaml").problems(doc)).isEmpty();
        assertThat(doc.path("metadata").path("labels").path("velero.io/storage-location").asText()).isEqualTo("default");
        assertThat(doc.path("status").path("phase").asText()).isEqualTo("Completed");
        assertThat(doc.path("status").path("progress").path("totalItems").asLong()).isEqualTo(info.itemsBackedUp());
        try (Stream<Path> files = Files.list(folder.resolve("backups/b1"))) {
            long newest = files.filter(p -> !p.equals(json)).mapToLong(p -> p.toFile().lastModified()).max().orElseThrow();
            assertThat(json.toFile().lastModified()).isGreaterThanOrEqualTo(newest);
        }
        assertThat(engine.describeBackup(location, "b1")).isEqualTo(info);
        assertThat(engine.listBackups(location)).containsExactly(info);
        assertThat(info.itemsBackedUp()).isEqualTo(classicPaths(archive(folder, "b1")).size());
    }

    @Test
    void manifestCarriesSizeAndSha256OfTheStoredTarball() throws Exception {
        BackupInfo info = engine.backup(BackupPlan.builder().name("b1").location(location).build()).await(Duration.ofSeconds(30));

        byte[] tar = Files.readAllBytes(folder.resolve("backups/b1/b1.tar.gz"));
        BackupManifest m = BackupManifest.parse("b1", Files.readAllBytes(folder.resolve("backups/b1/kbackup-manifest.json")));
        assertThat(m.tarballKey()).isEqualTo("b1.tar.gz");
        assertThat(m.tarballSize()).isEqualTo(tar.length);
        assertThat(m.tarballSha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tar)));
        assertThat(m.items()).isEqualTo(info.itemsBackedUp());
        assertThat(m.entries()).isEqualTo(2 * info.itemsBackedUp() + 1);
    }

    private String gz(String file) throws Exception {
        try (var in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(folder.resolve("backups/b1/" + file))))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
