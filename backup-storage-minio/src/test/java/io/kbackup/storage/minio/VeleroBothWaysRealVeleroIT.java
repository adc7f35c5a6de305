package io.kbackup.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.servers.VeleroServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kbackup and the real Velero server (v1.18, AWS plugin 1.14, both built by
 * {@code .ci/servers/build.sh velero}) share one MinIO bucket: a backup Velero took of
 * real cluster A is listed, described and restored into real cluster B by kbackup's DirectEngine;
 * a DirectEngine backup of cluster A is synced by a second Velero server running on cluster B and
 * restored there by a Velero Restore. Objects are compared modulo what a restore resets.
 */
class VeleroBothWaysRealVeleroIT extends TwoClustersOneBucket {
    private static final String BUCKET = "velero";
    private static final String PREFIX = "cluster-backups";
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();


    @BeforeAll
    static void start() {
        startShared(BUCKET, PREFIX);
    }

    @Test
    void aBackupTheRealVeleroTookIsListedDescribedAndRestoredByTheDirectEngine() throws Exception {
        List<HasMetadata> objects = VariedCluster.objects("shop", "one.kbackup.io");
        clusterA.seed(objects.stream());

        GenericKubernetesResource backup;
        try (VeleroServer veleroA = VeleroServer.start(clusterA, minio, BUCKET, PREFIX)) {
            backup = veleroA.backup("velero-shop", Map.of("includedNamespaces", List.of("shop")), WAIT);
            assertThat(VeleroServer.phase(backup)).as("Velero's backup; log %s", veleroA.log()).isEqualTo("Completed");
        }
        Map<?, ?> progress = (Map<?, ?>) status(backup).get("progress");
        long veleroItems = ((Number) progress.get("itemsBackedUp")).longValue();

        try (DirectEngine direct = KBackup.direct(b)) {
            assertThat(direct.listBackups(location)).extracting(BackupInfo::name).contains("velero-shop");
            BackupInfo info = direct.describeBackup(location, "velero-shop");
            assertThat(info.phase()).isEqualTo(BackupPhase.COMPLETED);
            assertThat(info.itemsBackedUp()).isEqualTo(veleroItems);
            assertThat(info.itemsTotal()).isEqualTo(((Number) progress.get("totalItems")).longValue());
            assertThat(info.includedNamespaces()).containsExactly("shop");
            assertThat(info.location()).isNotNull();

            RestoreInfo restored = direct.restore(RestorePlan.builder().location(location).backupName("velero-shop")
                    .restoreName("kbackup-from-velero").build()).await(WAIT);
            assertThat(restored.phase()).as("%s", restored).isEqualTo(RestorePhase.COMPLETED);
        }
        assertSameObjects(objects, a, b);
    }

    @Test
    void aDirectEngineBackupIsSyncedByTheRealVeleroAndRestoredByIt() throws Exception {
        List<HasMetadata> objects = VariedCluster.objects("store", "two.kbackup.io");
        clusterA.seed(objects.stream());

        try (DirectEngine direct = KBackup.direct(a)) {
            BackupInfo ours = direct.backup(BackupPlan.builder().name("kbackup-store").location(location)
                    .includedNamespaces("store").build()).await(WAIT);
            assertThat(ours.phase()).isEqualTo(BackupPhase.COMPLETED);
        }

        try (VeleroServer veleroB = VeleroServer.start(clusterB, minio, BUCKET, PREFIX)) {
            GenericKubernetesResource synced = veleroB.awaitBackup("kbackup-store", WAIT);
            assertThat(VeleroServer.phase(synced)).isEqualTo("Completed");
            assertThat(VeleroServer.phase(veleroB.location())).as("the location after our backup").isEqualTo("Available");
            String described = veleroB.cli("backup", "describe", "kbackup-store", "--details");
            // the details come from our side files, decoded by Velero's own types: an error would show as <error ...>
            assertThat(described).contains("Completed").contains("store").contains("Resource List:")
                    .contains("v1/ConfigMap:").contains("store/web-config").contains("v1/PersistentVolume:")
                    .contains("pv-store").doesNotContain("<error");
            assertThat(veleroB.cli("backup", "logs", "kbackup-store")).as("our backup log, as Velero serves it")
                    .isNotBlank();

            GenericKubernetesResource restore = veleroB.restore("velero-from-kbackup",
                    Map.of("backupName", "kbackup-store"), WAIT);
            assertThat(VeleroServer.phase(restore)).as("Velero's restore %s; log %s", restore, veleroB.log())
                    .isEqualTo("Completed");
        }
        assertSameObjects(objects, a, b);
        GenericKubernetesResource cm = b.genericKubernetesResources("v1", "ConfigMap").inNamespace("store")
                .withName("web-config").get();
        assertThat(cm.getMetadata().getLabels()).containsEntry("velero.io/backup-name", "kbackup-store")
                .containsEntry("velero.io/restore-name", "velero-from-kbackup");
    }

    @Test
    void veleroAndTheDirectEngineWriteTheSameFilesEntriesAndItemsForOneNamespace() throws Exception {
        List<HasMetadata> objects = VariedCluster.objects("mall", "three.kbackup.io");
        clusterA.seed(objects.stream());
        try (VeleroServer veleroA = VeleroServer.start(clusterA, minio, BUCKET, PREFIX)) {
            GenericKubernetesResource backup = veleroA.backup("velero-mall", Map.of("includedNamespaces", List.of("mall")),
                    WAIT);
            assertThat(VeleroServer.phase(backup)).isEqualTo("Completed");
        }
        try (DirectEngine direct = KBackup.direct(a)) {
            assertThat(direct.backup(BackupPlan.builder().name("kbackup-mall").location(location)
                    .includedNamespaces("mall").build()).await(WAIT).phase()).isEqualTo(BackupPhase.COMPLETED);
        }
        try (StorageProvider bucket = StorageProviders.discover().open(location)) {
            // kbackup's own manifest and name claim are the extra files (Velero ignores extra files in a backup's folder)
            java.util.SortedSet<String> expected = files(bucket, "velero-mall");
            expected.add("kbackup-manifest.json");
            expected.add("kbackup-claim.json"); // our writer's claim on the name, kept until the backup is deleted
            assertThat(files(bucket, "kbackup-mall")).as("the files of our backup folder, named as Velero's")
                    .isEqualTo(expected);
            Map<String, byte[]> velero = TarEntries.read(bucket.getBytes(PREFIX + "/backups/velero-mall/velero-mall.tar.gz"));
            Map<String, byte[]> ours = TarEntries.read(bucket.getBytes(PREFIX + "/backups/kbackup-mall/kbackup-mall.tar.gz"));
            assertThat(ours.keySet()).as("our tarball's entry names").containsExactlyInAnyOrderElementsOf(velero.keySet());
            List<String> differing = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : velero.entrySet()) {
                byte[] mine = ours.get(e.getKey());
                if (mine == null) {
                    continue;
                }
                boolean same = e.getKey().endsWith(".json") ? JSON.readTree(mine).equals(JSON.readTree(e.getValue()))
                        : java.util.Arrays.equals(mine, e.getValue());
                if (!same) {
                    differing.add(e.getKey() + "\n velero: " + new String(e.getValue(), StandardCharsets.UTF_8)
                            + "\n ours:   " + new String(mine, StandardCharsets.UTF_8));
                }
            }
            assertThat(differing).as("entries whose content differs").isEmpty();
            assertThat(gunzipJson(bucket, "kbackup-mall", "kbackup-mall-resource-list.json.gz"))
                    .as("the resource list").isEqualTo(gunzipJson(bucket, "velero-mall", "velero-mall-resource-list.json.gz"));
            JsonNode veleroCr = JSON.readTree(bucket.getBytes(PREFIX + "/backups/velero-mall/velero-backup.json"));
            JsonNode ourCr = JSON.readTree(bucket.getBytes(PREFIX + "/backups/kbackup-mall/velero-backup.json"));
            // Velero's velero.io/resource-timeout annotation is a server setting, not something a backup carries
            assertThat(ourCr.path("metadata").path("annotations")).as("the source cluster's version, as Velero records it")
                    .isEqualTo(((ObjectNode) veleroCr.path("metadata").path("annotations").deepCopy())
                            .without("velero.io/resource-timeout"));
            // Known difference, not fixed yet: for a PV it backs up without a snapshot Velero writes a
            // volume-info record {pvcName, pvcNamespace, pvName, snapshotDataMoved:false,
            // preserveLocalSnapshot:false, skipped:true, skippedReason:"volumeSnapshot: no applicable
            // volumesnapshotter found;", pvInfo:{reclaimPolicy, labels}}; the DirectEngine writes none ([]).
            // Velero restores our backup's PV/PVC pair all the same (the test above).
            JsonNode veleroVolumes = gunzipJson(bucket, "velero-mall", "velero-mall-volumeinfo.json.gz");
            assertThat(veleroVolumes).hasSize(1);
            assertThat(veleroVolumes.get(0).path("pvName").asText()).isEqualTo("pv-mall");
            assertThat(veleroVolumes.get(0).path("skipped").asBoolean()).isTrue();
            assertThat(gunzipJson(bucket, "kbackup-mall", "kbackup-mall-volumeinfo.json.gz")).isEmpty();
            for (String f : List.of("results.gz", "itemoperations.json.gz", "podvolumebackups.json.gz",
                    "volumesnapshots.json.gz")) {
                assertThat(gunzip(bucket, "kbackup-mall", "kbackup-mall-" + f)).as(f)
                        .isEqualTo(gunzip(bucket, "velero-mall", "velero-mall-" + f));
            }
        }
    }

    private static byte[] gunzip(StorageProvider bucket, String backup, String file) throws Exception {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(
                bucket.getBytes(PREFIX + "/backups/" + backup + "/" + file)))) {
            return in.readAllBytes();
        }
    }

    private static JsonNode gunzipJson(StorageProvider bucket, String backup, String file) throws Exception {
        return JSON.readTree(gunzip(bucket, backup, file));
    }

    private static java.util.SortedSet<String> paths(JsonNode n, String at) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        if (n.isObject() && at.split("\\.").length < 4) {
            n.fields().forEachRemaining(e -> out.addAll(paths(e.getValue(), at + "." + e.getKey())));
        } else {
            out.add(at);
        }
        return out;
    }

    private static java.util.SortedSet<String> minus(java.util.SortedSet<String> a, java.util.SortedSet<String> b) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    /** The object names in a backup's folder, with the backup's name replaced by {@code <name>}. */
    private static java.util.SortedSet<String> files(StorageProvider bucket, String backup) {
        String folder = PREFIX + "/backups/" + backup + "/";
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        bucket.listAll(folder).forEach(b -> names.add(b.key().substring(folder.length()).replace(backup, "<name>")));
        return names;
    }

    private static Map<?, ?> status(GenericKubernetesResource r) {
        return (Map<?, ?>) r.getAdditionalProperties().get("status");
    }

    /** Every seeded object is in both clusters and equal modulo what a restore resets. */
    private static void assertSameObjects(List<HasMetadata> objects, KubernetesClient from, KubernetesClient to)
            throws Exception {
        List<String> checked = new ArrayList<>();
        for (HasMetadata o : objects) {
            String ns = o.getMetadata().getNamespace();
            String name = o.getMetadata().getName();
            var op = from.genericKubernetesResources(o.getApiVersion(), o.getKind());
            var op2 = to.genericKubernetesResources(o.getApiVersion(), o.getKind());
            GenericKubernetesResource source = ns == null ? op.withName(name).get() : op.inNamespace(ns).withName(name).get();
            GenericKubernetesResource target = ns == null ? op2.withName(name).get()
                    : op2.inNamespace(ns).withName(name).get();
            String what = o.getKind() + " " + (ns == null ? "" : ns + "/") + name;
            assertThat(source).as("%s in the source cluster", what).isNotNull();
            assertThat(target).as("%s restored", what).isNotNull();
            assertThat(normalize(target)).as("%s restored", what).isEqualTo(normalize(source));
            checked.add(what);
        }
        assertThat(checked).hasSize(objects.size());
    }

    private static JsonNode normalize(GenericKubernetesResource r) throws Exception {
        ObjectNode o = (ObjectNode) JSON.readTree(Serialization.asJson(r));
        ObjectNode meta = (ObjectNode) o.path("metadata");
        for (String f : List.of("generateName", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
                "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences", "managedFields")) {
            meta.remove(f);
        }
        o.remove("status");
        if (meta.path("labels") instanceof ObjectNode l) {
            l.remove("velero.io/backup-name");
            l.remove("velero.io/restore-name");
            if (l.isEmpty()) {
                meta.remove("labels");
            }
        }
        if (meta.path("annotations") instanceof ObjectNode an) {
            // the binding, redone by the target cluster's PV controller
            an.remove("pv.kubernetes.io/bind-completed");
            an.remove("pv.kubernetes.io/bound-by-controller");
            if (an.isEmpty()) {
                meta.remove("annotations");
            }
        }
        if ("PersistentVolume".equals(r.getKind()) && o.path("spec").path("claimRef") instanceof ObjectNode claimRef) {
            claimRef.remove("uid");
            claimRef.remove("resourceVersion");
            claimRef.remove("apiVersion");
            claimRef.remove("kind");
        }
        if ("Service".equals(r.getKind()) && o.path("spec") instanceof ObjectNode spec) {
            if (!"None".equals(spec.path("clusterIP").asText())) {
                spec.remove("clusterIP");
                spec.remove("clusterIPs");
            }
            spec.remove("healthCheckNodePort");
            spec.path("ports").forEach(p -> ((ObjectNode) p).remove("nodePort"));
        }
        return o;
    }
}
