package io.kbackup.core.internal.backup;

import static io.kbackup.core.internal.backup.BackupFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.ClusterWideMode;
import io.kbackup.core.internal.layout.GzipJson;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What goes into a backup: ClusterWideMode ALWAYS/AUTO/NEVER with all namespaces and with a
 * selection, namespace/resource/label filters, and the objects always skipped. One cluster for
 * the class (backups only read it); one backup per test.
 */
class DirectBackupSelectionIT extends ClusterPerClassBackup {
    private static final Set<String> DEFAULT_NAMESPACES = Set.of("default", "kube-system", "kube-public", "kube-node-lease");

    @TempDir
    static Path folder;
    int runs;

    @Override
    void seed() {
        location = BackupLocation.localFolder(folder).build();
        GenericKubernetesResource terminating = (GenericKubernetesResource) toGeneric(configMap("shop", "going", Map.of()));
        terminating.getMetadata().setDeletionTimestamp("2026-11-21T00:00:00Z");
        terminating.getMetadata().setFinalizers(List.of("example.com/hold"));
        List<HasMetadata> objects = new ArrayList<>(List.of(
                namespace("shop"), namespace("other"), priorityClass("high"), priorityClass("low"),
                labelled(namespace("hidden"), Map.of("velero.io/exclude-from-backup", "true")),
                configMap("hidden", "inside", Map.of()),
                configMap("shop", "settings", Map.of("app", "web")),
                configMap("shop", "plain", Map.of()),
                configMap("shop", "private", Map.of("velero.io/exclude-from-backup", "true")),
                terminating,
                secret("shop", "db"),
                serviceAccount("shop", "web"),
                pvc("shop", "data", "pv-data"),
                pod("shop", "web-0", "high"),
                configMap("other", "x", Map.of()),
                serviceAccount("other", "other-sa"),
                pvc("other", "other-data", "pv-other"),
                pod("other", "other-pod", "low"),
                podWithClaim("other", "db-0", Map.of("app", "db"), "other-data"),
                labelled(pv("pv-data"), Map.of("app", "web")), pv("pv-other"), pv("pv-unbound"),
                clusterRole("web-role"), clusterRoleBinding("web-binding", "web-role", "shop", "web"),
                clusterRole("other-role"), clusterRoleBinding("other-binding", "other-role", "other", "other-sa"),
                clusterRole("unrelated"),
                storageClass("fast"),
                node("node-ok", false, Map.of()),
                node("node-cordoned", true, Map.of()),
                node("node-maint", false, Map.of("kbackup.io/maintenance", "true")),
                crd("example.com", "widgets", "Widget"),
                crd("example.com", "gadgets", "Gadget")));
        if (cluster.real()) {
            objects.add(0, volumeSnapshotCrd()); // the embedded cluster serves it built in
        }
        cluster.seed(objects.stream());
        cluster.seed(Stream.of(custom("example.com/v1", "Widget", "shop", "w1"), custom("example.com/v1", "Gadget", "other", "g1"),
                volumeSnapshot("shop", "snap-1"), event("shop", "web-0.started")));
    }

    // ---------------------------------------------------------------- ClusterWideMode

    @Test
    void autoWithAllNamespacesTakesEveryClusterScopedObjectButNodesInMaintenance() throws Exception {
        Run run = backup(b -> b);
        assertThat(run.info.phase()).isEqualTo(BackupPhase.COMPLETED);
        assertThat(run.paths).contains(
                c("persistentvolumes", "pv-data"), c("persistentvolumes", "pv-other"), c("persistentvolumes", "pv-unbound"),
                c("clusterroles.rbac.authorization.k8s.io", "unrelated"), c("storageclasses.storage.k8s.io", "fast"),
                c("customresourcedefinitions.apiextensions.k8s.io", "gadgets.example.com"),
                c("priorityclasses.scheduling.k8s.io", "low"), c("nodes", "node-ok"),
                n("widgets.example.com", "shop", "w1"), n("gadgets.example.com", "other", "g1"),
                n("configmaps", "other", "x"), n("configmaps", "shop", "settings"));
        assertThat(run.paths).doesNotContain(c("nodes", "node-cordoned"), c("nodes", "node-maint"));
        assertThat(namespaces(run)).containsAll(DEFAULT_NAMESPACES).contains("shop", "other");
        assertThat(run.info.warnings()).isEqualTo(2);
        assertThat(run.results).contains("Node node-cordoned skipped", "Node node-maint skipped", "kbackup.io/maintenance");
    }

    @Test
    void alwaysWithANamespaceSelectionStillTakesEveryClusterScopedObject() throws Exception {
        Run run = backup(b -> b.includedNamespaces("shop").clusterWideMode(ClusterWideMode.ALWAYS));
        assertThat(run.paths).contains(c("persistentvolumes", "pv-other"), c("persistentvolumes", "pv-unbound"),
                c("clusterroles.rbac.authorization.k8s.io", "other-role"),
                c("clusterrolebindings.rbac.authorization.k8s.io", "other-binding"),
                c("customresourcedefinitions.apiextensions.k8s.io", "gadgets.example.com"),
                c("storageclasses.storage.k8s.io", "fast"), c("nodes", "node-ok"));
        assertThat(namespacedIn(run)).containsOnly("shop");
        assertThat(namespaces(run)).containsExactly("shop");
    }

    @Test
    void autoWithANamespaceSelectionTakesOnlyClusterScopedObjectsItsItemsPullIn() throws Exception {
        Run run = backup(b -> b.includedNamespaces("shop"));
        assertThat(clusterScoped(run)).containsExactlyInAnyOrder(
                c("namespaces", "shop"),
                c("persistentvolumes", "pv-data"),
                c("customresourcedefinitions.apiextensions.k8s.io", "widgets.example.com"),
                c("clusterrolebindings.rbac.authorization.k8s.io", "web-binding"),
                c("clusterroles.rbac.authorization.k8s.io", "web-role"),
                c("priorityclasses.scheduling.k8s.io", "high"));
        assertThat(namespacedIn(run)).containsOnly("shop");
        assertThat(run.paths).contains(n("widgets.example.com", "shop", "w1"), n("pods", "shop", "web-0"),
                n("persistentvolumeclaims", "shop", "data"), n("serviceaccounts", "shop", "web"));
        assertThat(run.info.warnings()).as("nodes are not looked at").isZero();
    }

    @Test
    void neverTakesNoClusterScopedObjectNotEvenPersistentVolumesButKeepsNamespaces() throws Exception {
        Run all = backup(b -> b.clusterWideMode(ClusterWideMode.NEVER));
        assertThat(clusterScoped(all)).allMatch(p -> p.startsWith("resources/namespaces/cluster/"));
        assertThat(namespaces(all)).containsAll(DEFAULT_NAMESPACES).contains("shop", "other");
        assertThat(all.paths).contains(n("persistentvolumeclaims", "shop", "data"));

        Run shop = backup(b -> b.includedNamespaces("shop").clusterWideMode(ClusterWideMode.NEVER));
        assertThat(clusterScoped(shop)).containsExactly(c("namespaces", "shop"));
        assertThat(namespacedIn(shop)).containsOnly("shop");
    }

    @Test
    void excludedNamespacesLeaveTheirObjectsOutAndMakeAutoSelective() throws Exception {
        Run run = backup(b -> b.excludedNamespaces("other"));
        assertThat(namespacedIn(run)).doesNotContain("other").contains("shop");
        assertThat(namespaces(run)).doesNotContain("other").contains("shop", "default");
        assertThat(run.paths).contains(c("persistentvolumes", "pv-data")).doesNotContain(c("persistentvolumes", "pv-other"),
                c("storageclasses.storage.k8s.io", "fast"));
    }

    // ---------------------------------------------------------------- filters

    @Test
    void labelSelectorFiltersItemsButNotTheNamespacesTheyLiveIn() throws Exception {
        Run run = backup(b -> b.labelSelector(Map.of("app", "web")));
        assertThat(run.paths.stream().filter(p -> !p.startsWith("resources/namespaces/")).toList())
                .containsExactlyInAnyOrder(n("configmaps", "shop", "settings"), c("persistentvolumes", "pv-data"));
        assertThat(namespaces(run)).contains("shop", "other");
        assertThat(run.info.itemsBackedUp()).isEqualTo(run.paths.size());
    }

    @Test
    void aSelectedPodBringsTheClaimsItMountsAndTheirVolumes() throws Exception {
        Run run = backup(b -> b.labelSelector(Map.of("app", "db")));
        assertThat(run.paths.stream().filter(p -> !p.startsWith("resources/namespaces/")).toList()).containsExactlyInAnyOrder(
                n("pods", "other", "db-0"), n("persistentvolumeclaims", "other", "other-data"), c("persistentvolumes", "pv-other"));
    }

    @Test
    void includedAndExcludedResourcesFilterByPluralGroupOrShortName() throws Exception {
        Run inc = backup(b -> b.includedResources("configmaps", "pv", "widgets.example.com"));
        assertThat(inc.paths.stream().map(p -> p.split("/")[1]).distinct())
                .containsExactlyInAnyOrder("configmaps", "persistentvolumes", "widgets.example.com", "namespaces");

        Run exc = backup(b -> b.excludedResources("secrets", "clusterroles.rbac.authorization.k8s.io", "nodes"));
        assertThat(exc.paths).noneMatch(p -> p.startsWith("resources/secrets/") || p.startsWith("resources/nodes/")
                || p.startsWith("resources/clusterroles.rbac.authorization.k8s.io/"));
        assertThat(exc.paths).contains(c("clusterrolebindings.rbac.authorization.k8s.io", "web-binding"));
        assertThat(exc.info.warnings()).isZero();
    }

    @Test
    void skipsExcludeLabelTerminatingObjectsAndVolumeSnapshots() throws Exception {
        assertThat(client.configMaps().inNamespace("shop").withName("going").get().getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(client.configMaps().inNamespace("shop").withName("private").get()).isNotNull();
        assertThat(client.genericKubernetesResources("snapshot.storage.k8s.io/v1", "VolumeSnapshot").inNamespace("shop")
                .withName("snap-1").get()).isNotNull();
        Run run = backup(b -> b.clusterWideMode(ClusterWideMode.ALWAYS));
        assertThat(run.paths).contains(n("configmaps", "shop", "plain"))
                .doesNotContain(n("configmaps", "shop", "private"), n("configmaps", "shop", "going"),
                        n("volumesnapshots.snapshot.storage.k8s.io", "shop", "snap-1"));
        assertThat(run.paths).noneMatch(p -> p.startsWith("resources/volumesnapshot"));
    }

    @Test
    void aNamespaceLabelledExcludeFromBackupLeavesOutEverythingInIt() throws Exception {
        for (Run run : List.of(backup(b -> b), backup(b -> b.includedNamespaces("hidden", "shop")))) {
            assertThat(run.paths).noneMatch(p -> p.contains("/namespaces/hidden/") || p.endsWith("/cluster/hidden.json"));
            assertThat(run.paths).contains(n("configmaps", "shop", "settings"));
        }
    }

    @Test
    void namespacedResourcesOfAnIncludedNamespaceAreListedNamespaceByNamespace() throws Exception {
        Run run = backup(b -> b.includedNamespaces("shop", "other", "missing"));
        assertThat(namespacedIn(run)).containsOnly("shop", "other");
        assertThat(namespaces(run)).containsExactlyInAnyOrder("shop", "other");
        assertThat(run.info.phase()).isEqualTo(BackupPhase.COMPLETED);
        assertThat(run.info.warnings()).as("the namespace that matched nothing is said").isEqualTo(1);
        assertThat(run.results).contains("includedNamespaces names 'missing', which does not exist in the cluster");
    }

    @Test
    void anIncludedResourceNoServedTypeMatchesIsSaid() throws Exception {
        Run run = backup(b -> b.includedNamespaces("shop").includedResources("configmaps", "deploymentz"));
        assertThat(run.info.phase()).isEqualTo(BackupPhase.COMPLETED);
        assertThat(run.info.warnings()).isEqualTo(1);
        assertThat(run.results).contains("includedResources names 'deploymentz', which matches no resource the cluster serves");
        assertThat(run.paths).contains(n("configmaps", "shop", "settings"));
    }

    @Test
    void eventsAreBackedUpAsVeleroDoesUnlessExcluded() throws Exception {
        assertThat(backup(b -> b.includedNamespaces("shop")).paths).contains(n("events", "shop", "web-0.started"));
        assertThat(backup(b -> b.includedNamespaces("shop").excludedResources("events")).paths).noneMatch(p -> p.contains("/events/"));
    }

    // ---------------------------------------------------------------- helpers

    private static HasMetadata podWithClaim(String ns, String name, Map<String, String> labels, String claim) {
        return new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels)
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("postgres:17").endContainer()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim().endVolume()
                .endSpec().build();
    }

    private static HasMetadata event(String ns, String name) {
        return new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withReason("Started").withMessage("Started container c").withType("Normal")
                .withNewInvolvedObject().withKind("Pod").withNamespace(ns).withName("web-0").endInvolvedObject().build();
    }

    private record Run(BackupInfo info, TreeSet<String> paths, String results) {}

    private Run backup(UnaryOperator<BackupPlan.Builder> plan) throws Exception {
        String name = "sel-" + (++runs);
        BackupInfo info = engine.backup(plan.apply(BackupPlan.builder().name(name).location(location)).build())
                .await(Duration.ofSeconds(60));
        assertThat(info.phase()).isIn(BackupPhase.COMPLETED);
        TreeSet<String> paths = classicPaths(archive(folder, name));
        assertThat(info.itemsBackedUp()).isEqualTo(paths.size());
        String results;
        try (var in = new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(folder.resolve("backups/" + name + "/" + name + "-results.gz"))))) {
            results = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        GzipJson.MAPPER.readTree(results);
        return new Run(info, paths, results);
    }

    private static String c(String gr, String name) {
        return "resources/" + gr + "/cluster/" + name + ".json";
    }

    private static String n(String gr, String ns, String name) {
        return "resources/" + gr + "/namespaces/" + ns + "/" + name + ".json";
    }

    private static List<String> clusterScoped(Run run) {
        return run.paths.stream().filter(p -> p.split("/")[2].equals("cluster")).toList();
    }

    private static Set<String> namespacedIn(Run run) {
        Set<String> out = new TreeSet<>();
        run.paths.stream().map(p -> p.split("/")).filter(p -> p[2].equals("namespaces")).forEach(p -> out.add(p[3]));
        return out;
    }

    private static List<String> namespaces(Run run) {
        return run.paths.stream().filter(p -> p.startsWith("resources/namespaces/cluster/"))
                .map(p -> p.substring("resources/namespaces/cluster/".length(), p.length() - 5)).toList();
    }

    private static HasMetadata labelled(HasMetadata o, Map<String, String> labels) {
        o.getMetadata().setLabels(labels);
        return o;
    }

    private static HasMetadata toGeneric(HasMetadata o) {
        return io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().convertValue(o, GenericKubernetesResource.class);
    }

    /** The VolumeSnapshot type as external-snapshotter's CRD declares it (no schema here: only its name matters). */
    private static HasMetadata volumeSnapshotCrd() {
        HasMetadata crd = crd("snapshot.storage.k8s.io", "volumesnapshots", "VolumeSnapshot");
        crd.getMetadata().setAnnotations(Map.of("api-approved.kubernetes.io",
                "https://github.com/kubernetes-csi/external-snapshotter/pull/814"));
        return crd;
    }

    private static HasMetadata volumeSnapshot(String ns, String name) {
        GenericKubernetesResource vs = custom("snapshot.storage.k8s.io/v1", "VolumeSnapshot", ns, name);
        vs.setAdditionalProperty("spec", Map.of("source", Map.of("persistentVolumeClaimName", "data")));
        return vs;
    }
}
