package io.kbackup.core.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.kbackup.BackupClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.ClusterForbiddenException;
import io.kbackup.ClusterRefusedException;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.internal.kube.KubeRetry;
import io.kbackup.core.internal.layout.VeleroKeys;
import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.servers.CsiHostPathDriver;
import io.kbackup.testkit.servers.CsiServers;
import io.kbackup.testkit.servers.TestServers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ClusterRoles kbackup ships ({@code META-INF/kbackup/rbac/}) on a real kube-apiserver, used
 * through service-account tokens that are bound to exactly those roles (never the admin): a backup
 * works with the read-only role, a restore (with a Role and RoleBinding that grant more than the
 * restore role has) works with the restore role, a backup that includes all disks works with the
 * backup and CSI roles (on the real snapshot-controller and a CSI driver, started for that test),
 * and a missing permission is an error that names the verb and the resource.
 */
class RbacRealIT {
    private static final String NS = "kbackup-system";
    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    static Path folder;
    static RealCluster cluster;
    static KubernetesClient admin;
    static BackupLocation location;
    static CsiHostPathDriver driver;
    static CsiServers csi;

    @BeforeAll
    static void start() throws IOException {
        cluster = RealCluster.start();
        admin = cluster.client();
        location = BackupLocation.localFolder(folder).build();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        for (String role : List.of("kbackup-backup", "kbackup-restore", "kbackup-csi-snapshots")) {
            try (InputStream yaml = RbacRealIT.class.getResourceAsStream("/META-INF/kbackup/rbac/" + role + ".yaml")) {
                assertThat(yaml).as(role + ".yaml ships in backup-core").isNotNull();
                admin.load(yaml).create();
            }
        }
        for (String sa : List.of("backup", "restore", "nobody", "disks")) {
            admin.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName(sa)
                    .endMetadata().build()).create();
        }
        bind("backup", "kbackup-backup");
        bind("restore", "kbackup-restore");
        bind("disks", "kbackup-backup");
        bind("disks", "kbackup-csi-snapshots");
        seedShop();
    }

    private static void bind(String sa, String role) {
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(role + "-" + sa)
                .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role)
                .addNewSubject().withKind("ServiceAccount").withName(sa).withNamespace(NS).endSubject().build()).create();
    }

    private static void seedShop() {
        List<HasMetadata> objects = List.of(
                new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build(),
                new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("shop").endMetadata()
                        .addToData("colour", "blue").build(),
                new SecretBuilder().withNewMetadata().withName("db").withNamespace("shop").endMetadata()
                        .addToStringData("password", "s3cret").build(),
                new ServiceAccountBuilder().withNewMetadata().withName("shop-app").withNamespace("shop").endMetadata().build(),
                new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                        .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", "web").endSelector()
                        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                        .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27").endContainer().endSpec()
                        .endTemplate().endSpec().build(),
                // grants a verb the restore role lacks (delete): restoring it needs "escalate"
                new RoleBuilder().withNewMetadata().withName("pod-cleaner").withNamespace("shop").endMetadata()
                        .addNewRule().withApiGroups("").withResources("pods").withVerbs("delete", "get").endRule().build(),
                // binds it: restoring it needs "bind"
                new RoleBindingBuilder().withNewMetadata().withName("pod-cleaner").withNamespace("shop").endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "Role", "pod-cleaner")
                        .addNewSubject().withKind("ServiceAccount").withName("shop-app").withNamespace("shop").endSubject()
                        .build());
        objects.forEach(o -> admin.resource(o).create());
    }

    @AfterAll
    static void stop() {
        TestServers.closeAll(csi, admin, cluster, driver);
    }

    /** A client authenticated only by a fresh token of the service account {@code NS/sa}. */
    private static KubernetesClient as(String sa) {
        String token = admin.serviceAccounts().inNamespace(NS).withName(sa)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(cluster.url()).withOauthToken(token)
                .withNamespace("default").withTrustCerts(true).withDisableHostnameVerification(true).build();
        return new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory()).withConfig(config).build();
    }

    @Test
    void backupWithTheReadOnlyRoleThenRestoreWithTheRestoreRole() {
        try (KubernetesClient backupSa = as("backup"); BackupClient kbackup = KBackup.direct(backupSa)) {
            // the read-only role really is read-only
            assertThat(catchThrowableOfType(KubernetesClientException.class, () -> backupSa.configMaps().inNamespace("shop")
                    .resource(new ConfigMapBuilder().withNewMetadata().withName("x").endMetadata().build()).create()).getCode())
                    .isEqualTo(403);
            BackupInfo info = kbackup.backup(BackupPlan.builder().name("shop-rbac").location(location)
                    .includedNamespaces("shop").build()).await(WAIT);
            assertThat(info.phase()).as("errors: " + resultsOf("backups/shop-rbac/shop-rbac-results.gz"))
                    .isEqualTo(BackupPhase.COMPLETED);
            assertThat(info.errors()).isZero();
            assertThat(info.itemsBackedUp()).isGreaterThanOrEqualTo(8);
        }
        try (KubernetesClient restoreSa = as("restore"); BackupClient kbackup = KBackup.direct(restoreSa)) {
            RestoreInfo info = kbackup.restore(RestorePlan.builder().location(location).backupName("shop-rbac")
                    .restoreName("shop-rbac-restored").namespaceMapping(Map.of("shop", "shop-restored")).build()).await(WAIT);
            assertThat(info.errors()).isEmpty();
            assertThat(info.phase()).isEqualTo(RestorePhase.COMPLETED);
        }
        assertThat(admin.configMaps().inNamespace("shop-restored").withName("settings").get().getData()).containsEntry("colour", "blue");
        assertThat(admin.secrets().inNamespace("shop-restored").withName("db").get()).isNotNull();
        assertThat(admin.apps().deployments().inNamespace("shop-restored").withName("web").get()).isNotNull();
        assertThat(admin.rbac().roles().inNamespace("shop-restored").withName("pod-cleaner").get().getRules().get(0).getVerbs())
                .contains("delete");
        assertThat(admin.rbac().roleBindings().inNamespace("shop-restored").withName("pod-cleaner").get().getSubjects().get(0)
                .getNamespace()).isEqualTo("shop-restored");
    }

    @Test
    void aRestoreWithOnlyTheBackupRoleNamesTheDeniedVerbAndResource() {
        try (KubernetesClient admin2 = cluster.client(); BackupClient adminKbackup = KBackup.direct(admin2)) {
            adminKbackup.backup(BackupPlan.builder().name("shop-admin").location(location).includedNamespaces("shop").build())
                    .await(WAIT);
        }
        try (KubernetesClient backupSa = as("backup"); BackupClient kbackup = KBackup.direct(backupSa)) {
            RestoreInfo info = kbackup.restore(RestorePlan.builder().location(location).backupName("shop-admin")
                    .namespaceMapping(Map.of("shop", "shop-denied")).build()).await(WAIT);
            assertThat(info.phase()).isNotEqualTo(RestorePhase.COMPLETED);
            assertThat(info.failed()).isPositive();
            assertThat(String.join("\n", info.errors()))
                    .contains("forbidden to create namespaces")
                    .contains("forbidden to create configmaps in namespace shop-denied")
                    .contains("forbidden to create deployments.apps in namespace shop-denied");
        }
        assertThat(admin.namespaces().withName("shop-denied").get()).isNull();
    }

    @Test
    void aBackupWithoutTheRoleNamesTheDeniedVerbAndResource() throws IOException {
        try (KubernetesClient nobody = as("nobody"); BackupClient kbackup = KBackup.direct(nobody)) {
            BackupInfo info = kbackup.backup(BackupPlan.builder().name("shop-nobody").location(location)
                    .includedNamespaces("shop").build()).await(WAIT);
            assertThat(info.phase()).isNotEqualTo(BackupPhase.COMPLETED);
            String results = info.phase() == BackupPhase.FAILED ? info.failureReason()
                    : resultsOf("backups/shop-nobody/shop-nobody-results.gz");
            assertThat(results).contains("forbidden to list configmaps in namespace shop")
                    .contains("forbidden to list deployments.apps in namespace shop");
        }
    }

    /**
     * Include all disks: with only the backup role the VolumeSnapshot is refused (the error names the
     * verb and resource); with the CSI role next to it the snapshot is cut, the restore role
     * restores the claim from it, and deleting the backup (CSI role) removes the snapshot and its
     * content.
     */
    @Test
    void aBackupWithAllDisksNeedsTheCsiRoleAndItsDeletionRemovesTheSnapshots() throws Exception {
        driver = CsiHostPathDriver.start();
        csi = CsiServers.start(cluster, driver);
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("disks").endMetadata().build()).create();
        csi.createClaim("disks", "data", "1Gi", Map.of(), Map.of());
        Map<String, String> written = CsiHostPathDriver.writeSample(csi.volumeFolder("disks", "data"), 7);
        DirectOptions options = DirectOptions.builder().snapshotReadyTimeout(WAIT).build();

        try (KubernetesClient backupSa = as("backup"); BackupClient kbackup = KBackup.direct(backupSa, options)) {
            BackupInfo info = kbackup.backup(BackupPlan.builder().name("disks-denied").location(location)
                    .includedNamespaces("disks").includeAllDisks(true).build()).await(WAIT);
            assertThat(info.phase()).isEqualTo(BackupPhase.PARTIALLY_FAILED);
            assertThat(info.volumeSnapshotsCompleted()).isZero();
            assertThat(resultsOf("backups/disks-denied/disks-denied-results.gz"))
                    .contains("forbidden to create volumesnapshots.snapshot.storage.k8s.io in namespace disks");
        }
        String content;
        try (KubernetesClient disksSa = as("disks"); BackupClient kbackup = KBackup.direct(disksSa, options)) {
            BackupInfo info = kbackup.backup(BackupPlan.builder().name("disks-rbac").location(location)
                    .includedNamespaces("disks").includeAllDisks(true).build()).await(WAIT);
            assertThat(info.phase()).as("errors: " + resultsOf("backups/disks-rbac/disks-rbac-results.gz"))
                    .isEqualTo(BackupPhase.COMPLETED);
            assertThat(info.volumeSnapshotsCompleted()).isEqualTo(1);
            List<GenericKubernetesResource> snapshots = snapshotsOf("disks-rbac");
            assertThat(snapshots).hasSize(1);
            content = (String) snapshots.get(0).get("status", "boundVolumeSnapshotContentName");
            assertThat(admin.genericKubernetesResources(CsiServers.VOLUME_SNAPSHOT_CONTENTS).withName(content).get()).isNotNull();
        }

        admin.persistentVolumeClaims().inNamespace("disks").withName("data").delete();
        awaitTrue("claim disks/data gone", () -> admin.persistentVolumeClaims().inNamespace("disks").withName("data").get() == null);
        try (KubernetesClient restoreSa = as("restore"); BackupClient kbackup = KBackup.direct(restoreSa, options)) {
            RestoreInfo info = kbackup.restore(RestorePlan.builder().location(location).backupName("disks-rbac").build())
                    .await(WAIT);
            assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        }
        csi.awaitBound("disks", "data", WAIT);
        assertThat(CsiHostPathDriver.digests(csi.volumeFolder("disks", "data"))).isEqualTo(written);

        try (KubernetesClient disksSa = as("disks"); BackupClient kbackup = KBackup.direct(disksSa, options)) {
            kbackup.deleteBackup(location, "disks-rbac");
        }
        awaitTrue("VolumeSnapshot and content " + content + " of disks-rbac deleted", () -> snapshotsOf("disks-rbac").isEmpty()
                && admin.genericKubernetesResources(CsiServers.VOLUME_SNAPSHOT_CONTENTS).withName(content).get() == null);
    }

    private static List<GenericKubernetesResource> snapshotsOf(String backup) {
        return admin.genericKubernetesResources(CsiServers.VOLUME_SNAPSHOTS).inAnyNamespace()
                .withLabel(VeleroKeys.BACKUP_NAME, backup).list().getItems();
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what + (csi != null ? "\n" + csi.tails(30) : ""));
            }
            Thread.sleep(200);
        }
    }

    /** The typed error, from the real API server's 403 answers: namespaced, cluster-wide, core and named groups. */
    @Test
    void aDeniedRequestMapsToTheTypedError() {
        try (KubernetesClient backupSa = as("backup"); KubernetesClient nobody = as("nobody")) {
            KubernetesClientException create = catchThrowableOfType(KubernetesClientException.class, () -> backupSa.configMaps()
                    .inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("x").endMetadata().build()).create());
            ClusterRefusedException typed = KubeRetry.refused("Could not restore configmap shop/x", create);
            assertThat(typed).isInstanceOf(ClusterForbiddenException.class);
            ClusterForbiddenException forbidden = (ClusterForbiddenException) typed;
            assertThat(forbidden.statusCode()).isEqualTo(403);
            assertThat(forbidden.retryable()).isFalse();
            assertThat(List.of(forbidden.verb(), forbidden.resource(), forbidden.namespace()))
                    .containsExactly("create", "configmaps", "shop");
            assertThat(forbidden).hasMessageStartingWith("Could not restore configmap shop/x: HTTP 403: forbidden to create configmaps in namespace shop.");

            KubernetesClientException list = catchThrowableOfType(KubernetesClientException.class,
                    () -> nobody.apps().deployments().inAnyNamespace().list());
            ClusterForbiddenException clusterWide = (ClusterForbiddenException) KubeRetry.refused("Could not list", list);
            assertThat(List.of(clusterWide.verb(), clusterWide.resource())).containsExactly("list", "deployments.apps");
            assertThat(clusterWide.namespace()).isNull();
            assertThat(KubeRetry.describe(list)).startsWith("HTTP 403: forbidden to list deployments.apps.");
        }
    }

    private static String resultsOf(String key) {
        Path file = folder.resolve(key);
        if (!Files.exists(file)) {
            return "(no " + key + ")";
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
