package io.kbackup.core.velero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.Credentials;
import io.kbackup.NotFoundException;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.internal.velero.VeleroKind;
import io.kbackup.core.internal.velero.VeleroStatus;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.EmbeddedClusterExtension;
import io.kbackup.testkit.velero.CrdSchemaValidator;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The two engines interoperate through the bucket: a backup the VeleroEngine had Velero take is
 * restored by the DirectEngine, and a DirectEngine backup is restored through a Velero Restore
 * (after Velero's backup sync brings it in). Velero is played by {@link VeleroStandIn}.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class VeleroInteropIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static KubernetesClient client;

    private final StorageProviders providers = SharedBucket.providers();
    private String veleroNs;
    private String appNs;
    private BackupLocation location;
    private VeleroStandIn standIn;
    private VeleroEngine velero;
    private DirectEngine direct;

    @BeforeAll
    static void startCluster(KubernetesClient shared) {
        client = shared;
        VeleroStandIn.installCrds(client);
    }

    @BeforeEach
    void setUp() {
        int n = SEQ.incrementAndGet();
        veleroNs = "velero-" + n;
        appNs = "shop-" + n;
        for (String ns : new String[] {veleroNs, appNs}) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        client.configMaps().inNamespace(appNs).resource(new ConfigMapBuilder().withNewMetadata().withName("web-config")
                .addToLabels("app", "web").endMetadata().addToData("color", "blue").build()).create();
        location = BackupLocation.s3("interop-" + n).name("shared").region("eu-west-1")
                .credentials(Credentials.awsStatic("AKIAEXAMPLE", "s3cr3t-value")).build();
        standIn = new VeleroStandIn(client, veleroNs, providers).start();
        velero = KBackup.velero(client, VeleroOptions.builder().namespace(veleroNs).storageProviders(providers).build());
        direct = KBackup.direct(client, DirectOptions.builder().storageProviders(providers).build());
    }

    @AfterEach
    void tearDown() {
        velero.close();
        direct.close();
        standIn.close();
    }

    private ConfigMap configMap(String namespace) {
        return client.configMaps().inNamespace(namespace).withName("web-config").get();
    }

    @Test
    void aBackupTakenThroughVeleroIsRestoredByTheDirectEngine() {
        BackupInfo backup = velero.backup(BackupPlan.builder().prefix("vel").location(location).includedNamespaces(appNs).build())
                .await(WAIT);
        assertThat(backup.phase()).isEqualTo(BackupPhase.Completed);

        String target = appNs + "-direct";
        RestoreInfo restored = direct.restore(RestorePlan.builder().location(location).backupName(backup.name())
                .namespaceMapping(Map.of(appNs, target)).build()).await(WAIT);

        assertThat(restored.phase()).isEqualTo(RestorePhase.Completed);
        assertThat(configMap(target)).isNotNull();
        assertThat(configMap(target).getData()).containsEntry("color", "blue");
        assertThat(configMap(target).getMetadata().getLabels()).containsEntry("velero.io/backup-name", backup.name());
    }

    @Test
    void aDirectEngineBackupIsRestoredThroughAVeleroRestore() {
        BackupInfo backup = direct.backup(BackupPlan.builder().name("direct-" + appNs).location(location)
                .includedNamespaces(appNs).build()).await(WAIT);
        assertThat(backup.phase()).isEqualTo(BackupPhase.Completed);
        assertThat(client.genericKubernetesResources(VeleroKind.BACKUP.context()).inNamespace(veleroNs).withName(backup.name()).get())
                .as("Velero does not know it yet").isNull();

        String target = appNs + "-velero";
        RestoreHandle handle = velero.restore(RestorePlan.builder().location(location).backupName(backup.name())
                .restoreName("r-" + appNs).namespaceMapping(Map.of(appNs, target)).build());
        RestoreInfo restored = handle.await(WAIT);

        assertThat(restored.phase()).isEqualTo(RestorePhase.Completed);
        assertThat(restored.name()).isEqualTo("r-" + appNs);
        assertThat(restored.backupName()).isEqualTo(backup.name());
        assertThat(restored.namespaceMapping()).containsEntry(appNs, target);
        assertThat(restored.itemsRestored()).isPositive();
        assertThat(restored.created()).as("counted from the restore's results in the bucket").isPositive();
        assertThat(configMap(target).getData()).containsEntry("color", "blue");
        GenericKubernetesResource restore = client.genericKubernetesResources(VeleroKind.RESTORE.context()).inNamespace(veleroNs)
                .withName("r-" + appNs).get();
        CrdSchemaValidator.velero("Restore").assertValid(restore);
        assertThat(VeleroStatus.tree(restore).path("spec").path("namespaceMapping").path(appNs).asText()).isEqualTo(target);
        CrdSchemaValidator.velero("Backup").assertValid(client.genericKubernetesResources(VeleroKind.BACKUP.context())
                .inNamespace(veleroNs).withName(backup.name()).get());
    }

    @Test
    void aBackupVeleroTookIsDeletedThroughVeleroAndGoneForBothEngines() {
        BackupInfo backup = velero.backup(BackupPlan.builder().prefix("del").location(location).includedNamespaces(appNs).build())
                .await(WAIT);

        velero.deleteBackup(location, backup.name());

        assertThat(direct.listBackups(location)).isEmpty();
        assertThatThrownBy(() -> direct.describeBackup(location, backup.name())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void restoringABackupNobodyHasIsNotFound() {
        assertThatThrownBy(() -> velero.restore(RestorePlan.builder().location(location).backupName("never-taken").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.name()).isEqualTo("never-taken"));
        assertThat(client.genericKubernetesResources(VeleroKind.RESTORE.context()).inNamespace(veleroNs).list().getItems()).isEmpty();
    }

    @Test
    void aRestoreVeleroRefusesEndsFailedValidationWithItsErrors() {
        BackupInfo backup = velero.backup(BackupPlan.builder().prefix("fv").location(location).includedNamespaces(appNs).build())
                .await(WAIT);
        standIn.failRestoreValidation("Invalid included/excluded namespace lists: excludes list cannot contain an item in the"
                + " includes list: " + appNs);

        RestoreHandle handle = velero.restore(RestorePlan.builder().location(location).backupName(backup.name()).build());
        RestoreInfo info = handle.await(WAIT);

        assertThat(info.phase()).isEqualTo(RestorePhase.FailedValidation);
        assertThat(handle.phase()).isEqualTo(RestorePhase.FailedValidation);
        assertThat(info.failureReason()).contains("excludes list cannot contain an item in the includes list");
        assertThat(info.errors()).anySatisfy(e -> assertThat(e).contains("excludes list cannot contain"));
    }
}
