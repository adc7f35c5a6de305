package io.kbackup.core.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.ClusterWideMode;
import io.kbackup.CorruptBackupException;
import io.kbackup.ExistingResourcePolicy;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.VeleroKeys;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Backs up cluster A with the DirectEngine and restores into cluster B. */
class RestoreRoundTripIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** The kinds cluster A holds that a restore brings back, and how to address them. */
    private static final List<ResourceDefinitionContext> RESTORED_KINDS = List.of(
            ctx("", "v1", "namespaces", "Namespace", false),
            ctx("", "v1", "configmaps", "ConfigMap", true),
            ctx("", "v1", "secrets", "Secret", true),
            ctx("", "v1", "serviceaccounts", "ServiceAccount", true),
            ctx("", "v1", "services", "Service", true),
            ctx("", "v1", "pods", "Pod", true),
            ctx("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true),
            ctx("", "v1", "persistentvolumes", "PersistentVolume", false),
            ctx("apps", "v1", "deployments", "Deployment", true),
            ctx("batch", "v1", "jobs", "Job", true),
            ctx("rbac.authorization.k8s.io", "v1", "roles", "Role", true),
            ctx("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true),
            ctx("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false),
            ctx("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false),
            ctx("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", false),
            ctx("storage.k8s.io", "v1", "storageclasses", "StorageClass", false),
            ctx("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false),
            ctx("example.com", "v1", "widgets", "Widget", true));

    private static final ResourceDefinitionContext WIDGETS = RESTORED_KINDS.get(RESTORED_KINDS.size() - 1);

    /** The location's folder, one per test class (the subclass's run gets its own). */
    static Path bucket;

    /** Starts clusters A and B; {@code RestoreRoundTripRealIT} starts real ones. */
    static Supplier<TestCluster> clusters = EmbeddedCluster::start;

    static TestCluster clusterA;
    private static BackupLocation location;
    private static BackupInfo backup;

    TestCluster clusterB;
    KubernetesClient b;
    DirectEngine engineB;

    @BeforeAll
    static void backUpClusterA() {
        backUpClusterA(EmbeddedCluster::start);
    }

    static void backUpClusterA(Supplier<TestCluster> starter) {
        clusters = starter;
        try {
            bucket = java.nio.file.Files.createTempDirectory("kbackup-roundtrip");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        clusterA = clusters.get();
        clusterA.seed(clusterAObjects(clusterA.real()));
        clusterA.seed(Stream.of(widget("shop", "w1", 3)));
        location = BackupLocation.localFolder(bucket).build();
        try (DirectEngine a = KBackup.direct(clusterA.client())) {
            backup = a.backup(BackupPlan.builder().name("b1").location(location).build()).await(WAIT);
        }
        assertThat(backup.phase()).as("backup errors %s", backup.errors()).isEqualTo(BackupPhase.COMPLETED);
    }

    @AfterAll
    static void stopClusterA() throws java.io.IOException {
        clusterA.close();
        try (Stream<Path> files = java.nio.file.Files.walk(bucket)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @BeforeEach
    void startClusterB() {
        clusterB = clusters.get();
        b = clusterB.client();
        engineB = KBackup.direct(b, DirectOptions.builder().crdEstablishTimeout(Duration.ofSeconds(5)).restoreConcurrency(4).build());
    }

    @AfterEach
    void stopClusterB() {
        engineB.close();
        clusterB.close();
    }

    private static RestorePlan.Builder plan() {
        return RestorePlan.builder().location(location).backupName("b1");
    }

    private RestoreInfo restore(RestorePlan plan) {
        return engineB.restore(plan).await(WAIT);
    }

    @Test
    void restoresEveryObjectIntoAnEmptyClusterEqualModuloTheResetFields() {
        Set<String> madeByB = objectsIn(b); // a real cluster's own: kube-root-ca.crt, default ServiceAccounts, ...
        RestoreInfo info = restore(plan().build());

        assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(info.failed()).isZero();
        assertThat(info.errors()).isEmpty();
        int compared = 0;
        for (ResourceDefinitionContext kind : RESTORED_KINDS) {
            for (GenericKubernetesResource inA : list(clusterA.client(), kind)) {
                String ns = inA.getMetadata().getNamespace();
                String name = inA.getMetadata().getName();
                ObjectNode a = normalize(kind, json(inA));
                if (a == null) {
                    continue; // not restored by rule (finished pod, completed job)
                }
                if (madeByB.contains(kind.getPlural() + " " + ns + "/" + name) || madeInEveryNamespace(kind, name)
                        || inA.getMetadata().getOwnerReferences() != null && !inA.getMetadata().getOwnerReferences().isEmpty()) {
                    continue; // B had its own before the restore (skipped as existing), or a controller's in A
                }
                GenericKubernetesResource inB = get(b, kind, ns, name);
                assertThat(inB).as("%s %s/%s in cluster B", kind.getPlural(), ns, name).isNotNull();
                assertThat(normalize(kind, json(inB))).as("%s %s/%s", kind.getPlural(), ns, name).isEqualTo(a);
                if (!isDefaultNamespace(kind, name)) {
                    assertThat(inB.getMetadata().getLabels()).containsEntry("velero.io/backup-name", "b1")
                            .containsEntry("velero.io/restore-name", info.name());
                    assertThat(inB.getMetadata().getUid()).isNotEqualTo(inA.getMetadata().getUid());
                }
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(20);
        assertThat(b.nodes().withName("node-1").get()).isNull();
        assertThat(b.pods().inNamespace("shop").withName("done").get()).isNull();
        assertThat(b.batch().v1().jobs().inNamespace("shop").withName("once").get()).isNull();
        assertThat(info.created() + info.updated() + info.unchanged() + info.skipped() + info.failed()).isEqualTo(info.itemsTotal());
        assertThat(info.itemsRestored()).isEqualTo(info.created() + info.updated() + info.unchanged());
    }

    @Test
    void legacyTokenSecretsAreSkippedAndOthersComeBackForTheTokenControllerToFill() {
        RestoreInfo info = restore(plan().includedNamespaces("shop").build());

        assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(b.secrets().inNamespace("shop").withName("robot-token-abcde").get()).as("legacy token: skipped").isNull();
        var longLived = b.secrets().inNamespace("shop").withName("robot-long-lived").get();
        assertThat(longLived).isNotNull();
        var robot = b.serviceAccounts().inNamespace("shop").withName("robot").get();
        if (clusterB.real()) { // the token controller of B fills it in for B's account
            await(() -> b.secrets().inNamespace("shop").withName("robot-long-lived").get().getData() != null
                    && b.secrets().inNamespace("shop").withName("robot-long-lived").get().getData().containsKey("token"));
            assertThat(b.secrets().inNamespace("shop").withName("robot-long-lived").get().getMetadata().getAnnotations())
                    .containsEntry("kubernetes.io/service-account.uid", robot.getMetadata().getUid());
        } else {
            assertThat(longLived.getMetadata().getAnnotations()).doesNotContainKey("kubernetes.io/service-account.uid");
        }
        assertThat(info.created() + info.updated() + info.unchanged() + info.skipped() + info.failed()).isEqualTo(info.itemsTotal());
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s", WAIT).isLessThan(deadline);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void appliesVelerosTransforms() {
        restore(plan().build());

        var web = b.services().inNamespace("shop").withName("web").get();
        assertThat(web.getSpec().getClusterIP()).isNotEqualTo("10.96.0.10");
        assertThat(web.getSpec().getClusterIPs()).doesNotContain("10.96.0.10");
        assertThat(web.getSpec().getPorts().get(0).getNodePort()).as("set by the user (last-applied configuration): kept").isEqualTo(30080);
        assertThat(b.services().inNamespace("shop").withName("db").get().getSpec().getClusterIP()).isEqualTo("None");
        var pod = b.pods().inNamespace("shop").withName("web-1").get();
        assertThat(pod.getSpec().getNodeName()).isNull();
        // cleared by the restore; a real server's Priority admission sets it again from the PriorityClass
        assertThat(pod.getSpec().getPriority()).satisfiesAnyOf(p -> assertThat(p).isNull(), p -> assertThat(p).isEqualTo(1000));
        assertThat(pod.getMetadata().getOwnerReferences()).isEmpty();
        // the backed-up status (Running) is not restored; a real server starts the pod Pending
        assertThat(pod.getStatus()).satisfiesAnyOf(s -> assertThat(s).isNull(), s -> assertThat(s.getPhase()).isIn(null, "Pending"));
        assertThat(b.pods().inNamespace("shop").withName("done").get()).isNull();
        assertThat(b.batch().v1().jobs().inNamespace("shop").withName("once").get()).isNull();
        assertThat(b.batch().v1().jobs().inNamespace("shop").withName("running").get()).isNotNull();
        var pvc = b.persistentVolumeClaims().inNamespace("shop").withName("data").get();
        assertThat(pvc.getSpec().getVolumeName()).as("its PV (Retain) comes back with it").isEqualTo("pv-shop");
        if (!clusterB.real()) { // a real cluster's PV controller binds the claim anew and sets it again
            assertThat(pvc.getMetadata().getAnnotations()).doesNotContainKey("pv.kubernetes.io/bind-completed");
        }
        // the old claim's uid is gone; a real cluster's PV controller binds the volume to the restored claim
        assertThat(b.persistentVolumes().withName("pv-shop").get().getSpec().getClaimRef().getUid())
                .satisfiesAnyOf(u -> assertThat(u).isNull(), u -> assertThat(u).isEqualTo(pvc.getMetadata().getUid()));
    }

    @Test
    void keepsNodePortsWhenAsked() {
        restore(plan().preserveNodePorts(true).includedNamespaces("shop").build());
        assertThat(b.services().inNamespace("shop").withName("web").get().getSpec().getPorts().get(0).getNodePort()).isEqualTo(30080);
    }

    @Test
    void restoresIntoMappedNamespaces() {
        RestoreInfo info = restore(plan().includedNamespaces("shop").namespaceMapping(Map.of("shop", "shop-copy")).build());

        assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(info.namespaceMapping()).containsEntry("shop", "shop-copy");
        assertThat(b.namespaces().withName("shop").get()).isNull();
        assertThat(b.namespaces().withName("shop-copy").get().getMetadata().getLabels()).containsEntry("team", "a");
        assertThat(b.configMaps().inNamespace("shop-copy").withName("cfg").get().getData()).containsEntry("color", "blue");
        assertThat(b.rbac().roleBindings().inNamespace("shop-copy").withName("read").get().getSubjects().get(0).getNamespace())
                .isEqualTo("shop-copy");
        assertThat(b.rbac().clusterRoleBindings().withName("robot-binding").get().getSubjects().get(0).getNamespace()).isEqualTo("shop-copy");
        assertThat(b.persistentVolumes().withName("pv-shop").get().getSpec().getClaimRef().getNamespace()).isEqualTo("shop-copy");
        assertThat(get(b, WIDGETS, "shop-copy", "w1")).isNotNull();
        assertThat(b.configMaps().inNamespace("blog").withName("cfg").get()).isNull();
    }

    @Test
    void aMappingOrSelectionNamingNothingInTheBackupIsRefusedAndChangesNothing() {
        seedChangedConfigMap();
        Set<String> before = withoutMadeInEveryNamespace(objectsIn(b));
        RestorePlan typo = plan().namespaceMapping(Map.of("shop-typo", "shop-copy"))
                .existingResourcePolicy(ExistingResourcePolicy.UPDATE).build();

        assertThatThrownBy(() -> engineB.preview(typo)).isInstanceOf(io.kbackup.InvalidPlanException.class)
                .hasMessageContaining("namespaceMapping maps 'shop-typo'").hasMessageContaining("[blog, ");
        RestoreHandle handle = engineB.restore(typo);
        assertThatThrownBy(() -> handle.await(WAIT)).isInstanceOf(io.kbackup.InvalidPlanException.class)
                .hasMessageContaining("nothing was changed");
        assertThat(handle.phase()).isEqualTo(RestorePhase.FAILED_VALIDATION);
        assertThatThrownBy(() -> engineB.preview(plan().includedNamespaces("ghost").includedResources("deploymentz").build()))
                .isInstanceOf(io.kbackup.InvalidPlanException.class)
                .hasMessageContaining("includedNamespaces names 'ghost'").hasMessageContaining("includedResources names 'deploymentz'");

        // (a real cluster's controllers add kube-root-ca.crt and the default ServiceAccount to shop meanwhile)
        assertThat(withoutMadeInEveryNamespace(objectsIn(b))).isEqualTo(before);
        assertThat(b.configMaps().inNamespace("shop").withName("cfg").get().getData()).containsEntry("color", "red");
        assertThat(b.namespaces().withName("shop-copy").get()).isNull();
    }

    @Test
    void autoModeWithSelectedNamespacesBringsBackOnlyTheClusterItemsTheyNeed() {
        RestoreInfo info = restore(plan().includedNamespaces("shop").build());

        assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(b.persistentVolumes().withName("pv-shop").get()).isNotNull();
        assertThat(b.apiextensions().v1().customResourceDefinitions().withName("widgets.example.com").get()).isNotNull();
        assertThat(b.rbac().clusterRoleBindings().withName("robot-binding").get()).isNotNull();
        assertThat(b.rbac().clusterRoles().withName("robot-role").get()).isNotNull();
        assertThat(b.scheduling().v1().priorityClasses().withName("high").get()).isNotNull();
        assertThat(b.rbac().clusterRoles().withName("other-role").get()).isNull();
        assertThat(b.storage().v1().storageClasses().withName("fast").get()).isNull();
        assertThat(b.namespaces().withName("blog").get()).isNull();
    }

    @Test
    void alwaysModeBringsBackEveryClusterItem() {
        restore(plan().includedNamespaces("blog").clusterWideMode(ClusterWideMode.ALWAYS).build());

        assertThat(b.storage().v1().storageClasses().withName("fast").get()).isNotNull();
        assertThat(b.rbac().clusterRoles().withName("other-role").get()).isNotNull();
        assertThat(b.persistentVolumes().withName("pv-shop").get()).isNotNull();
        assertThat(b.configMaps().inNamespace("blog").withName("cfg").get()).isNotNull();
        assertThat(b.configMaps().inNamespace("shop").withName("cfg").get()).isNull();
        assertThat(b.nodes().withName("node-1").get()).isNull();
    }

    @Test
    void neverModeBringsBackNoClusterItems() {
        RestoreInfo info = restore(plan().clusterWideMode(ClusterWideMode.NEVER).build());

        assertThat(b.storage().v1().storageClasses().withName("fast").get()).isNull();
        assertThat(b.rbac().clusterRoles().withName("robot-role").get()).isNull();
        assertThat(b.persistentVolumes().withName("pv-shop").get()).isNull();
        assertThat(b.apiextensions().v1().customResourceDefinitions().withName("widgets.example.com").get()).isNull();
        assertThat(b.configMaps().inNamespace("shop").withName("cfg").get()).isNotNull();
        assertThat(b.persistentVolumeClaims().inNamespace("shop").withName("data").get().getSpec().getVolumeName())
                .as("no PV comes back, so the claim is re-provisioned").isNull();
        // without cluster-scoped items the API server refuses the widget (no CRD) and, on a real
        // server, a pod naming a PriorityClass that is not there (Priority admission): only those may fail
        assertThat(info.errors()).allSatisfy(e -> assertThat(e).containsAnyOf("widgets.example.com shop/w1",
                "pods shop/web-1: HTTP 403: pods \"web-1\" is forbidden: no PriorityClass with name high was found"));
    }

    @Test
    void restoringTwiceGivesNoErrorsAndNoDuplicates() {
        RestoreInfo first = restore(plan().build());
        // on a real cluster its controllers may remove restored items meanwhile (surplus pods of a
        // restored ReplicaSet): the second restore creates exactly those again, as its preview says
        long missing = engineB.preview(plan().build()).items().stream().filter(i -> i.action() == RestorePreview.Action.CREATE).count();
        if (!clusterB.real()) {
            assertThat(missing).isZero();
        }
        Set<String> objects = objectsIn(b);
        RestoreInfo second = restore(plan().build());

        assertThat(first.phase()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(second.phase()).as("errors %s", second.errors()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(second.name()).isNotEqualTo(first.name());
        assertThat(second.created()).isEqualTo(missing);
        assertThat(second.failed()).isZero();
        // a real cluster has objects of its own that differ from A's (kube-root-ca.crt of each
        // namespace, the kubernetes Service, the API server's Lease) and controllers that change
        // restored ones (a Job's pod): each is left as it is, with a warning saying so
        if (clusterB.real()) {
            // and its default bindings for system:unauthenticated (system:public-info-viewer) are named
            // on every restore that carries them (BindingWarnings)
            assertThat(second.warnings()).allSatisfy(w -> assertThat(w).containsAnyOf(
                    "already exists in the cluster and differs from the backup", "Group system:unauthenticated"));
        } else {
            assertThat(second.warnings()).isEmpty();
        }
        assertThat(second.created() + second.updated() + second.unchanged() + second.skipped()).isEqualTo(second.itemsTotal());
        assertThat(second.unchanged()).isPositive();
        assertThat(objectsIn(b)).containsAll(objects);
        assertThat(engineB.preview(plan().build()).counts()).doesNotContainKey(RestorePreview.Action.CREATE);
        assertThat(b.configMaps().inNamespace("shop").list().getItems()).extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(clusterB.real() ? List.of("cfg", "kube-root-ca.crt") : List.of("cfg"));
    }

    @Test
    void policyNoneLeavesChangedObjectsAloneWithAWarning() {
        seedChangedConfigMap();
        RestoreInfo info = restore(plan().includedNamespaces("shop").build());

        assertThat(info.phase()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(b.configMaps().inNamespace("shop").withName("cfg").get().getData()).containsEntry("color", "red");
        assertThat(info.warnings()).anySatisfy(w -> assertThat(w).contains("configmaps shop/cfg").contains("differs")
                .contains("first at data."));
        assertThat(info.skipped()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void policyNoneWarnsOfWhatOnlyTheClusterHasTooNamingTheField() {
        restore(plan().includedNamespaces("shop").build());
        b.configMaps().inNamespace("shop").withName("cfg").edit(c -> new ConfigMapBuilder(c).editMetadata().addToLabels("extra", "y")
                .endMetadata().build());
        RestoreInfo info = restore(plan().includedNamespaces("shop").build());

        assertThat(info.warnings()).anySatisfy(w -> assertThat(w).contains("configmaps shop/cfg").contains("first at metadata.labels.extra"));
        assertThat(b.configMaps().inNamespace("shop").withName("cfg").get().getMetadata().getLabels()).containsEntry("extra", "y");
        assertThat(info.unchanged()).isPositive();
        assertThat(info.created() + info.updated() + info.unchanged() + info.skipped() + info.failed()).isEqualTo(info.itemsTotal());
    }

    @Test
    void policyUpdateRemovesKeysLabelsAndAnnotationsOnlyTheClusterHas() {
        restore(plan().includedNamespaces("shop").build());
        b.configMaps().inNamespace("shop").withName("cfg").edit(c -> new ConfigMapBuilder(c).editMetadata().addToLabels("extra", "y")
                .addToAnnotations("note", "local").endMetadata().addToData("local", "x").build());
        RestoreInfo info = restore(plan().includedNamespaces("shop").existingResourcePolicy(ExistingResourcePolicy.UPDATE).build());

        assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        var cm = b.configMaps().inNamespace("shop").withName("cfg").get();
        assertThat(cm.getData()).containsExactly(Map.entry("color", "blue"));
        assertThat(cm.getMetadata().getLabels()).doesNotContainKey("extra").containsEntry("velero.io/restore-name", info.name());
        assertThat(cm.getMetadata().getAnnotations()).doesNotContainKey("note");
        assertThat(info.updated()).isPositive();
        // what was equal was left, its restore labels set to this restore's
        assertThat(info.unchanged()).isPositive();
        assertThat(b.secrets().inNamespace("shop").withName("creds").get().getMetadata().getLabels())
                .containsEntry("velero.io/restore-name", info.name());
        assertThat(info.created() + info.updated() + info.unchanged() + info.skipped() + info.failed()).isEqualTo(info.itemsTotal());
    }

    @Test
    void policyUpdatePatchesChangedObjectsTowardTheBackup() {
        seedChangedConfigMap();
        RestorePreview preview = engineB.preview(plan().includedNamespaces("shop").existingResourcePolicy(ExistingResourcePolicy.UPDATE).build());
        RestoreInfo info = restore(plan().includedNamespaces("shop").existingResourcePolicy(ExistingResourcePolicy.UPDATE).build());

        assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        var cm = b.configMaps().inNamespace("shop").withName("cfg").get();
        assertThat(cm.getData()).as("the key only the cluster had is removed").containsExactly(Map.entry("color", "blue"));
        // cfg; on a real cluster also its own kube-root-ca.crt, which differs from cluster A's (see the closing note of issue 11)
        assertThat(preview.items()).filteredOn(i -> i.action() == RestorePreview.Action.UPDATE).extracting(RestorePreview.Item::name)
                .containsExactlyInAnyOrderElementsOf(clusterB.real() ? List.of("cfg", "kube-root-ca.crt") : List.of("cfg"));
        assertThat(info.updated()).isEqualTo(clusterB.real() ? 2 : 1);
    }

    @Test
    void policyUpdateReplacesListsWithTheBackupsAsAMergePatchDoes() {
        b.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").addToLabels("team", "a").endMetadata().build()).create();
        b.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector().withNewTemplate()
                .withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
                .addNewContainer().withName("app").withImage("nginx:old").endContainer()
                .addNewContainer().withName("sidecar").withImage("proxy").endContainer().endSpec().endTemplate().endSpec().build()).create();

        RestoreInfo info = restore(plan().includedNamespaces("shop").existingResourcePolicy(ExistingResourcePolicy.UPDATE).build());

        assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        var containers = b.apps().deployments().inNamespace("shop").withName("web").get().getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).extracting(c -> c.getName() + "=" + c.getImage()).containsExactly("app=nginx");
    }

    @Test
    void restoresInVelerosOrderTierByTier() {
        // the creates as the client sends them (on a real cluster resourceVersions also move with
        // later controller writes, so they cannot tell the order)
        List<String> posts = java.util.Collections.synchronizedList(new ArrayList<>());
        io.fabric8.kubernetes.client.http.Interceptor recorder = new io.fabric8.kubernetes.client.http.Interceptor() {
            @Override
            public void before(io.fabric8.kubernetes.client.http.BasicBuilder builder, io.fabric8.kubernetes.client.http.HttpRequest request,
                    RequestTags tags) {
                if (request.method().equals("POST")) {
                    posts.add(groupResourceOfPath(request.uri().getPath()));
                }
            }
        };
        try (KubernetesClient recorded = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(b.getConfiguration())
                        .withHttpClientBuilderConsumer(h -> h.addOrReplaceInterceptor("order", recorder)).build();
                DirectEngine engine = KBackup.direct(recorded, DirectOptions.builder().crdEstablishTimeout(Duration.ofSeconds(5))
                        .restoreConcurrency(4).build())) {
            assertThat(engine.restore(plan().build()).await(WAIT).phase()).isEqualTo(RestorePhase.COMPLETED);
        }
        List<String> tiers = new ArrayList<>();
        for (String gr : posts) {
            if (tiers.isEmpty() || !tiers.get(tiers.size() - 1).equals(gr)) {
                tiers.add(gr);
            }
        }
        tiers.retainAll(RESTORED_KINDS.stream().map(k -> k.getGroup().isEmpty() ? k.getPlural() : k.getPlural() + "." + k.getGroup()).toList());
        assertThat(tiers).as("each tier finished before the next began").doesNotHaveDuplicates();
        assertThat(tiers).isSortedAccordingTo(RestoreOrder.groupResourceOrder());
        assertThat(tiers).startsWith("customresourcedefinitions.apiextensions.k8s.io", "namespaces", "storageclasses.storage.k8s.io",
                "persistentvolumes", "persistentvolumeclaims");
        assertThat(tiers.indexOf("pods")).isLessThan(tiers.indexOf("services"));
        assertThat(tiers.indexOf("services")).isLessThan(tiers.indexOf("deployments.apps"));
        assertThat(tiers.get(tiers.size() - 1)).isEqualTo("widgets.example.com");
    }

    @Test
    void previewListsEveryItemAndChangesNothing() {
        Set<String> before = objectsIn(b);
        RestorePreview preview = engineB.preview(plan().build());

        assertThat(objectsIn(b)).isEqualTo(before);
        assertThat(preview.items()).filteredOn(i -> i.groupResource().equals("configmaps") && i.name().equals("cfg"))
                .extracting(RestorePreview.Item::action).containsOnly(RestorePreview.Action.CREATE);
        assertThat(preview.items()).filteredOn(i -> i.groupResource().equals("nodes")).singleElement()
                .satisfies(i -> assertThat(i.reason()).contains("never restored"));
        assertThat(preview.items()).filteredOn(i -> i.name().equals("done")).singleElement()
                .satisfies(i -> assertThat(i.action()).isEqualTo(RestorePreview.Action.EXCLUDED));

        RestoreInfo info = restore(plan().build());
        RestorePreview after = engineB.preview(plan().build());
        assertThat(after.counts()).as("%s", after.items().stream().filter(i -> i.action() == RestorePreview.Action.CREATE).toList())
                .doesNotContainKey(RestorePreview.Action.CREATE);
        // everything restored is now there; the finished pod, the completed job and the legacy token Secret stay excluded
        long finished = preview.items().stream().filter(i -> i.action() == RestorePreview.Action.EXCLUDED
                && (i.name().equals("done") || i.name().equals("once") || i.name().equals("robot-token-abcde"))).count();
        assertThat(finished).isEqualTo(clusterA.real() ? 2 : 3);
        long selected = preview.counts().getOrDefault(RestorePreview.Action.CREATE, 0L)
                + preview.counts().getOrDefault(RestorePreview.Action.SKIP_EXISTS, 0L);
        assertThat(after.counts().get(RestorePreview.Action.SKIP_EXISTS)).as("%s", after.items().stream()
                .filter(i -> i.action() != RestorePreview.Action.SKIP_EXISTS && i.action() != RestorePreview.Action.EXCLUDED).toList())
                .isEqualTo(selected);
        if (!clusterB.real()) { // a real cluster A also holds EndpointSlices and IPAddresses, left out by rule
            assertThat(selected).isEqualTo(info.itemsTotal() - finished);
        }
    }

    @Test
    void refusesTamperedArchivesAndLeavesTheClusterUnchanged() throws Exception {
        BucketLayout layout = new BucketLayout(location);
        byte[] original;
        try (StorageProvider storage = StorageProviders.discover().open(location)) {
            original = storage.getBytes(layout.tarball("b1"));
        }
        Set<String> before = objectsIn(b);

        byte[] oneByte = original.clone();
        oneByte[oneByte.length / 2] ^= 0x04;
        assertRefused("t1", oneByte, true, "integrity manifest");

        String cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"shop\"}}";
        assertRefused("t2", TestArchive.velero().item("configmaps", "shop", "cfg", cm)
                .entry("resources/configmaps/namespaces/../../../etc/x.json", cm).tarGz(), true, "'..' path segment");
        assertRefused("t3", TestArchive.velero().item("configmaps", "shop", "cfg", cm)
                .item("configmaps", "shop", "big", cm.replace("\"cfg\"", "\"big\"").replace("}}", "},\"data\":{\"x\":\"" + "y".repeat(5000) + "\"}}"))
                .tarGz(), true, "DirectOptions.maxEntryBytes");
        assertRefused("t4", TestArchive.velero().item("configmaps", "shop", "cfg", cm)
                .entry("resources/secrets/namespaces/shop/s.json", "{not json").tarGz(), false, "not valid JSON");

        assertThat(objectsIn(b)).isEqualTo(before);
        assertThat(b.namespaces().withName("shop").get()).isNull();
    }

    private void assertRefused(String name, byte[] archive, boolean withManifest, String message) {
        BackupFixture.put(location, name, "Completed", archive, withManifest);
        if (name.equals("t1")) { // the manifest of b1, the tampered tarball of b1's bytes
            try (StorageProvider storage = StorageProviders.discover().open(location)) {
                BucketLayout layout = new BucketLayout(location);
                storage.put(layout.manifest(name), BackupFixture.manifest(name, storage.getBytes(layout.tarball("b1"))).getBytes());
            }
        }
        DirectEngine small = KBackup.direct(b, DirectOptions.builder().maxEntryBytes(4096).build());
        try {
            RestoreHandle handle = small.restore(RestorePlan.builder().location(location).backupName(name).build());
            assertThatThrownBy(() -> handle.await(WAIT)).isInstanceOf(CorruptBackupException.class).hasMessageContaining(message);
            assertThat(handle.phase()).isEqualTo(RestorePhase.FAILED_VALIDATION);
        } finally {
            small.close();
        }
    }

    // ---- fixtures ----

    private void seedChangedConfigMap() {
        b.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").addToLabels("team", "a").endMetadata().build()).create();
        b.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata()
                .addToData("color", "red").addToData("local", "kept").build()).create();
    }

    /**
     * Cluster A's objects, in an order a real API server accepts (priority classes and service
     * accounts before the pods naming them). On a real server web-1 has no owner: an owner
     * reference to a ReplicaSet that does not exist would have the garbage collector delete it.
     */
    private static Stream<HasMetadata> clusterAObjects(boolean real) {
        PodBuilder web1 = new PodBuilder().withNewMetadata().withName("web-1").withNamespace("shop").addToLabels("app", "web").endMetadata()
                .withNewSpec().withNodeName("node-1").withPriority(1000).withPriorityClassName("high")
                .withServiceAccountName("robot").addNewContainer().withName("app").withImage("nginx").endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus();
        if (!real) {
            web1.editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("web-rs")
                    .withUid("rs-uid").withController(true).endOwnerReference().endMetadata();
        }
        // a finished Job: on a real server only the Job controller may write such a status (it
        // validates every transition), so there cluster A has none; the rule is tested on the embedded one
        Stream<HasMetadata> finishedJob = real ? Stream.empty() : Stream.of(new JobBuilder().withNewMetadata().withName("once")
                .withNamespace("shop").endMetadata().withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("c")
                .withImage("busybox").endContainer().withRestartPolicy("Never").endSpec().endTemplate().endSpec()
                .withNewStatus().withCompletionTime("2026-11-20T01:00:00Z").withSucceeded(1).endStatus().build());
        return Stream.concat(finishedJob, Stream.of(
                new NamespaceBuilder().withNewMetadata().withName("shop").addToLabels("team", "a").endMetadata().build(),
                new NamespaceBuilder().withNewMetadata().withName("blog").endMetadata().build(),
                new PriorityClassBuilder().withNewMetadata().withName("high").endMetadata().withValue(1000).build(),
                new PriorityClassBuilder().withNewMetadata().withName("low").endMetadata().withValue(10).build(),
                new ConfigMapBuilder().withNewMetadata().withName("cfg").withNamespace("shop").endMetadata().addToData("color", "blue").build(),
                new ConfigMapBuilder().withNewMetadata().withName("cfg").withNamespace("blog").endMetadata().addToData("title", "hi").build(),
                new SecretBuilder().withNewMetadata().withName("creds").withNamespace("shop").endMetadata().withType("Opaque")
                        .addToData("password", "czNjcjN0").build(),
                new ServiceAccountBuilder().withNewMetadata().withName("robot").withNamespace("shop").endMetadata().build(),
                // token Secrets of robot (after it: a real token controller deletes a token Secret of a missing account):
                // a legacy auto-generated one by name, and a long-lived one made by hand
                new SecretBuilder().withNewMetadata().withName("robot-token-abcde").withNamespace("shop")
                        .addToAnnotations("kubernetes.io/service-account.name", "robot").endMetadata()
                        .withType("kubernetes.io/service-account-token").build(),
                new SecretBuilder().withNewMetadata().withName("robot-long-lived").withNamespace("shop")
                        .addToAnnotations("kubernetes.io/service-account.name", "robot").endMetadata()
                        .withType("kubernetes.io/service-account-token").build(),
                new RoleBuilder().withNewMetadata().withName("reader").withNamespace("shop").endMetadata().addNewRule()
                        .withApiGroups("").withResources("configmaps").withVerbs("get").endRule().build(),
                new RoleBindingBuilder().withNewMetadata().withName("read").withNamespace("shop").endMetadata()
                        .addNewSubject().withKind("ServiceAccount").withName("robot").withNamespace("shop").endSubject()
                        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("reader").endRoleRef().build(),
                new ClusterRoleBuilder().withNewMetadata().withName("robot-role").endMetadata().addNewRule().withApiGroups("")
                        .withResources("nodes").withVerbs("list").endRule().build(),
                new ClusterRoleBuilder().withNewMetadata().withName("other-role").endMetadata().build(),
                new ClusterRoleBindingBuilder().withNewMetadata().withName("robot-binding").endMetadata()
                        .addNewSubject().withKind("ServiceAccount").withName("robot").withNamespace("shop").endSubject()
                        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("robot-role").endRoleRef().build(),
                // its node port set by the user (kubectl apply): kept on restore, as Velero does
                new ServiceBuilder().withNewMetadata().withName("web").withNamespace("shop").addToAnnotations(
                        "kubectl.kubernetes.io/last-applied-configuration", "{\"spec\":{\"ports\":[{\"port\":80,\"nodePort\":30080}]}}")
                        .endMetadata().withNewSpec().withType("NodePort")
                        .withClusterIP("10.96.0.10").withClusterIPs("10.96.0.10").addToSelector("app", "web").addNewPort().withPort(80)
                        .withNodePort(30080).withProtocol("TCP").endPort().endSpec().build(),
                new ServiceBuilder().withNewMetadata().withName("db").withNamespace("shop").endMetadata().withNewSpec().withClusterIP("None")
                        .addNewPort().withPort(5432).endPort().endSpec().build(),
                new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata().withNewSpec().withReplicas(2)
                        .withNewSelector().addToMatchLabels("app", "web").endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "web")
                        .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("nginx").endContainer().endSpec().endTemplate()
                        .endSpec().withNewStatus().withReplicas(2).endStatus().build(),
                web1.build(),
                new PodBuilder().withNewMetadata().withName("done").withNamespace("shop").endMetadata().withNewSpec().withPriorityClassName("low")
                        .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().withNewStatus().withPhase("Succeeded").endStatus().build(),
                new JobBuilder().withNewMetadata().withName("running").withNamespace("shop").endMetadata().withNewSpec().withNewTemplate().withNewSpec()
                        .addNewContainer().withName("c").withImage("busybox").endContainer().withRestartPolicy("Never").endSpec().endTemplate().endSpec()
                        .withNewStatus().withActive(1).endStatus().build(),
                new StorageClassBuilder().withNewMetadata().withName("fast").endMetadata().withProvisioner("csi.example.com").build(),
                new PersistentVolumeBuilder().withNewMetadata().withName("pv-shop").endMetadata().withNewSpec()
                        .withPersistentVolumeReclaimPolicy("Retain").addToCapacity("storage", new Quantity("1Gi")).withAccessModes("ReadWriteOnce")
                        .withNewClaimRef().withKind("PersistentVolumeClaim").withNamespace("shop").withName("data").withUid("old-pvc-uid").endClaimRef()
                        .withNewHostPath().withPath("/data").endHostPath().endSpec().withNewStatus().withPhase("Bound").endStatus().build(),
                new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").withNamespace("shop")
                        .addToAnnotations("pv.kubernetes.io/bind-completed", "yes").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                        .withVolumeName("pv-shop").withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
                        .withNewStatus().withPhase("Bound").endStatus().build(),
                new CustomResourceDefinitionBuilder().withNewMetadata().withName("widgets.example.com").endMetadata().withNewSpec()
                        .withGroup("example.com").withScope("Namespaced").withNewNames().withPlural("widgets").withSingular("widget").withKind("Widget")
                        .endNames().addNewVersion().withName("v1").withServed(true).withStorage(true).withNewSchema().withNewOpenAPIV3Schema()
                        .withType("object").withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema().endVersion().endSpec().build(),
                new NodeBuilder().withNewMetadata().withName("node-1").endMetadata().build()));
    }

    private static GenericKubernetesResource widget(String ns, String name, int size) {
        GenericKubernetesResource w = new GenericKubernetesResource();
        w.setApiVersion("example.com/v1");
        w.setKind("Widget");
        w.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        w.setAdditionalProperty("spec", Map.of("size", size));
        return w;
    }

    /**
     * The objects of the restored kinds in a cluster, as "plural ns/name", without those a
     * controller owns (a real cluster's controllers create and delete those on their own time).
     */
    private static Set<String> objectsIn(KubernetesClient client) {
        Set<String> out = new java.util.TreeSet<>();
        for (ResourceDefinitionContext kind : RESTORED_KINDS) {
            List<GenericKubernetesResource> items;
            try {
                items = list(client, kind);
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() == 404) {
                    continue; // a custom resource whose CRD is not (yet) there
                }
                throw e;
            }
            for (GenericKubernetesResource r : items) {
                if (r.getMetadata().getOwnerReferences() == null || r.getMetadata().getOwnerReferences().isEmpty()) {
                    out.add(kind.getPlural() + " " + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName());
                }
            }
        }
        return out;
    }

    private static ResourceDefinitionContext ctx(String group, String version, String plural, String kind, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withPlural(plural).withKind(kind)
                .withNamespaced(namespaced).build();
    }

    private static List<GenericKubernetesResource> list(KubernetesClient client, ResourceDefinitionContext kind) {
        return kind.isNamespaceScoped() ? client.genericKubernetesResources(kind).inAnyNamespace().list().getItems()
                : client.genericKubernetesResources(kind).list().getItems();
    }

    private static GenericKubernetesResource get(KubernetesClient client, ResourceDefinitionContext kind, String ns, String name) {
        return ns == null ? client.genericKubernetesResources(kind).withName(name).get()
                : client.genericKubernetesResources(kind).inNamespace(ns).withName(name).get();
    }

    private static Set<String> withoutMadeInEveryNamespace(Set<String> objects) {
        Set<String> out = new java.util.TreeSet<>(objects);
        out.removeIf(o -> o.startsWith("configmaps ") && o.endsWith("/kube-root-ca.crt")
                || o.startsWith("serviceaccounts ") && o.endsWith("/default"));
        return out;
    }

    /** What a real cluster's controllers make in every namespace, racing a restore of the namespace. */
    private static boolean madeInEveryNamespace(ResourceDefinitionContext kind, String name) {
        return kind.getPlural().equals("configmaps") && name.equals("kube-root-ca.crt")
                || kind.getPlural().equals("serviceaccounts") && name.equals("default");
    }

    /** {@code /api/v1/namespaces/shop/configmaps} -> configmaps, {@code /apis/apps/v1/.../deployments} -> deployments.apps. */
    private static String groupResourceOfPath(String path) {
        String[] p = path.split("/");
        String resource = p[p.length - 1];
        return p[1].equals("api") ? resource : resource + "." + p[2];
    }

    private static boolean isDefaultNamespace(ResourceDefinitionContext kind, String name) {
        return kind.getPlural().equals("namespaces") && (name.equals("default") || name.startsWith("kube-"));
    }

    private static String groupResource(GenericKubernetesResource r) {
        for (ResourceDefinitionContext kind : RESTORED_KINDS) {
            if (kind.getKind().equals(r.getKind())) {
                return kind.getGroup().isEmpty() ? kind.getPlural() : kind.getPlural() + "." + kind.getGroup();
            }
        }
        throw new IllegalArgumentException(r.getKind());
    }

    private static ObjectNode json(GenericKubernetesResource r) {
        try {
            return (ObjectNode) RestoreJson.MAPPER.readTree(io.fabric8.kubernetes.client.utils.Serialization.asJson(r));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes {@code keys} from the object {@code parent.field} (when it is one), and the field when nothing is left. */
    private static void removeKeys(ObjectNode parent, String field, String... keys) {
        if (parent.path(field) instanceof ObjectNode map) {
            map.remove(List.of(keys));
            if (map.isEmpty()) {
                parent.remove(field);
            }
        }
    }

    /** The object without what a restore resets or changes on purpose; null for items a skip rule leaves out. */
    private static ObjectNode normalize(ResourceDefinitionContext kind, ObjectNode o) {
        String phase = o.path("status").path("phase").asText("");
        if (kind.getKind().equals("Pod") && (phase.equals("Succeeded") || phase.equals("Failed"))) {
            return null;
        }
        if (kind.getKind().equals("Job") && o.path("status").has("completionTime")) {
            return null;
        }
        if (kind.getKind().equals("Secret") && o.path("metadata").path("name").asText().equals("robot-token-abcde")) {
            return null; // a legacy token Secret by its name
        }
        ObjectNode meta = (ObjectNode) o.path("metadata");
        if (o.path("type").asText().equals("kubernetes.io/service-account-token")) { // what each cluster's token controller fills in
            ((ObjectNode) meta.path("annotations")).remove("kubernetes.io/service-account.uid");
            removeKeys(o, "data", "token", "ca.crt", "namespace");
        }
        for (String f : ItemTransforms.RESET_METADATA) {
            meta.remove(f);
        }
        o.remove("status");
        removeKeys(meta, "labels", VeleroKeys.BACKUP_NAME, VeleroKeys.RESTORE_NAME);
        removeKeys(meta, "annotations", ItemTransforms.BIND_COMPLETED, ItemTransforms.BOUND_BY_CONTROLLER);
        ObjectNode spec = o.path("spec") instanceof ObjectNode s ? s : null;
        if (spec != null) {
            switch (kind.getKind()) {
                case "Service" -> {
                    spec.remove("clusterIP");
                    spec.remove("clusterIPs");
                    spec.path("ports").forEach(p -> ((ObjectNode) p).remove("nodePort"));
                }
                case "Pod" -> {
                    spec.remove("nodeName");
                    spec.remove("priority");
                }
                case "Job" -> { // the uid-bearing selector labels are the new Job's (generated by a real server)
                    for (JsonNode labelled : List.of(meta.path("labels"), spec.path("selector").path("matchLabels"),
                            spec.path("template").path("metadata").path("labels"))) {
                        if (labelled instanceof ObjectNode l) {
                            ItemTransforms.JOB_CONTROLLER_UID_LABELS.forEach(l::remove);
                        }
                    }
                }
                case "PersistentVolume" -> {
                    if (spec.path("claimRef") instanceof ObjectNode c) {
                        c.remove("uid");
                        c.remove("resourceVersion");
                        c.remove("apiVersion"); // filled in by a real cluster's PV controller as it binds
                    }
                }
                default -> {
                    // restored as is
                }
            }
        }
        return o;
    }
}
