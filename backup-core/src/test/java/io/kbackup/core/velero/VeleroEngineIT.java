package io.kbackup.core.velero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInProgressException;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.OperationTimeoutException;
import io.kbackup.Schedule;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.internal.layout.BackupClaim;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.velero.VeleroKind;
import io.kbackup.core.internal.velero.VeleroStatus;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.EmbeddedClusterExtension;
import io.kbackup.testkit.velero.CrdSchemaValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VeleroEngine against an embedded API server with Velero's CRDs, and a stand-in playing the
 * Velero server (it carries the work out with the DirectEngine into the same bucket). Each test
 * uses its own Velero namespace and bucket.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class VeleroEngineIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static KubernetesClient client;

    private final StorageProviders providers = SharedBucket.providers();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private String veleroNs;
    private BackupLocation location;

    @BeforeAll
    static void startCluster(KubernetesClient shared) {
        client = shared;
        VeleroStandIn.installCrds(client);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("web-config")
                .addToLabels("app", "web").endMetadata().addToData("color", "blue").build()).create();
    }

    @BeforeEach
    void setUp() {
        int n = SEQ.incrementAndGet();
        veleroNs = "velero-" + n;
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(veleroNs).endMetadata().build()).create();
        location = BackupLocation.s3("bucket-" + n).name("primary").region("eu-west-1").prefix("cluster-a")
                .credentials(Credentials.awsStatic("AKIAEXAMPLE", "s3cr3t-value")).build();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closing.add(0, c);
        return c;
    }

    private VeleroStandIn standIn() {
        return closeLater(new VeleroStandIn(client, veleroNs, providers).start());
    }

    private VeleroEngine engine(VeleroOptions.Builder options) {
        return closeLater(KBackup.velero(client, options.namespace(veleroNs).storageProviders(providers).build()));
    }

    private VeleroEngine engine() {
        return engine(VeleroOptions.builder());
    }

    private DirectEngine direct() {
        return closeLater(KBackup.direct(client, DirectOptions.builder().storageProviders(providers).build()));
    }

    private GenericKubernetesResource get(VeleroKind kind, String name) {
        return client.genericKubernetesResources(kind.context()).inNamespace(veleroNs).withName(name).get();
    }

    @Test
    void backupRunsThroughVeleroAndIsListedByBothEngines() {
        standIn();
        VeleroEngine velero = engine();
        BackupPlan plan = BackupPlan.builder().prefix("nightly").location(location).includedNamespaces("shop")
                .expiry(Duration.ofDays(3)).labels(Map.of("team", "shop")).build();

        BackupHandle handle = velero.backup(plan);
        BackupInfo info = handle.await(WAIT);

        assertThat(info.phase()).isEqualTo(BackupPhase.Completed);
        assertThat(handle.phase()).isEqualTo(BackupPhase.Completed);
        assertThat(info.name()).startsWith("nightly-").hasSize("nightly-".length() + 14);
        assertThat(info.location()).isEqualTo("primary");
        assertThat(info.includedNamespaces()).containsExactly("shop");
        assertThat(info.itemsBackedUp()).isPositive();
        assertThat(handle.progress().itemsDone()).isEqualTo(info.itemsBackedUp());
        assertThat(info.labels()).containsEntry("kbackup.io/plan", "nightly").containsEntry("team", "shop");

        GenericKubernetesResource backup = get(VeleroKind.BACKUP, info.name());
        CrdSchemaValidator.velero("Backup").assertValid(backup);
        GenericKubernetesResource bsl = get(VeleroKind.BACKUP_STORAGE_LOCATION, "primary");
        CrdSchemaValidator.velero("BackupStorageLocation").assertValid(bsl);
        assertThat(VeleroStatus.tree(bsl).path("spec").path("objectStorage").path("bucket").asText()).isEqualTo(location.bucket());

        List<BackupInfo> viaVelero = velero.listBackups(location);
        List<BackupInfo> viaDirect = direct().listBackups(location);
        assertThat(viaVelero).extracting(BackupInfo::name).containsExactly(info.name());
        assertThat(viaDirect).extracting(BackupInfo::name).containsExactly(info.name());
        BackupInfo described = direct().describeBackup(location, info.name());
        assertThat(described.phase()).isEqualTo(BackupPhase.Completed);
        assertThat(described.labels()).containsEntry("kbackup.io/plan", "nightly");
        assertThat(described.expires()).isEqualTo(info.expires());
    }

    @Test
    void locationAndSecretAreCreatedOnceAndUpdatedOnlyWhenTheyChange() {
        standIn();
        VeleroEngine velero = engine();
        BackupPlan plan = BackupPlan.builder().prefix("p").location(location).includedNamespaces("shop").build();

        velero.backup(plan).await(WAIT);
        GenericKubernetesResource first = get(VeleroKind.BACKUP_STORAGE_LOCATION, "primary");
        Secret secret = client.secrets().inNamespace(veleroNs).withName("kbackup-primary-credentials").get();
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("cloud")), StandardCharsets.UTF_8))
                .contains("aws_secret_access_key=s3cr3t-value");

        velero.backup(plan.toBuilder().prefix("q").build()).await(WAIT);
        assertThat(get(VeleroKind.BACKUP_STORAGE_LOCATION, "primary").getMetadata().getResourceVersion())
                .as("an unchanged location is not rewritten")
                .isEqualTo(first.getMetadata().getResourceVersion());
        assertThat(client.secrets().inNamespace(veleroNs).withName("kbackup-primary-credentials").get().getMetadata()
                .getResourceVersion()).isEqualTo(secret.getMetadata().getResourceVersion());

        BackupLocation changed = location.toBuilder().region("us-west-2")
                .credentials(Credentials.awsStatic("AKIAEXAMPLE", "rotated-value")).build();
        velero.backup(plan.toBuilder().prefix("r").location(changed).build()).await(WAIT);
        GenericKubernetesResource updated = get(VeleroKind.BACKUP_STORAGE_LOCATION, "primary");
        assertThat(VeleroStatus.tree(updated).path("spec").path("config").path("region").asText()).isEqualTo("us-west-2");
        Secret rotated = client.secrets().inNamespace(veleroNs).withName("kbackup-primary-credentials").get();
        assertThat(new String(Base64.getDecoder().decode(rotated.getData().get("cloud")), StandardCharsets.UTF_8))
                .contains("aws_secret_access_key=rotated-value");
        assertThat(client.genericKubernetesResources(VeleroKind.BACKUP_STORAGE_LOCATION.context()).inNamespace(veleroNs).list()
                .getItems()).hasSize(1);
        assertThat(client.secrets().inNamespace(veleroNs).list().getItems()).hasSize(1);
    }

    @Test
    void aForeignLocationOfTheSameNameIsUsedOnlyWhenItIsTheSameBucket() {
        client.genericKubernetesResources(VeleroKind.BACKUP_STORAGE_LOCATION.context()).inNamespace(veleroNs)
                .resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder().withApiVersion("velero.io/v1")
                        .withKind("BackupStorageLocation").withNewMetadata().withName("primary").endMetadata()
                        .addToAdditionalProperties("spec", Map.of("provider", "velero.io/aws",
                                "objectStorage", Map.of("bucket", "someone-elses")))
                        .build()).create();
        VeleroEngine velero = engine();
        BackupPlan plan = BackupPlan.builder().prefix("p").location(location).build();

        assertThatThrownBy(() -> velero.backup(plan)).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("'primary'").hasMessageContaining("someone-elses").hasMessageContaining("another name");
        assertThat(client.genericKubernetesResources(VeleroKind.BACKUP.context()).inNamespace(veleroNs).list().getItems()).isEmpty();
        assertThat(client.secrets().inNamespace(veleroNs).list().getItems()).isEmpty();
    }

    @Test
    void deleteGoesThroughADeleteBackupRequest() {
        standIn();
        VeleroEngine velero = engine();
        BackupInfo info = velero.backup(BackupPlan.builder().name("to-delete").location(location).includedNamespaces("shop").build())
                .await(WAIT);
        assertThat(velero.listBackups(location)).extracting(BackupInfo::name).containsExactly("to-delete");

        velero.deleteBackup(location, info.name());

        assertThat(velero.listBackups(location)).isEmpty();
        assertThat(get(VeleroKind.BACKUP, "to-delete")).isNull();
        List<GenericKubernetesResource> requests = client.genericKubernetesResources(VeleroKind.DELETE_BACKUP_REQUEST.context())
                .inNamespace(veleroNs).list().getItems();
        assertThat(requests).singleElement().satisfies(r -> {
            CrdSchemaValidator.velero("DeleteBackupRequest").assertValid(r);
            assertThat(VeleroStatus.tree(r).path("spec").path("backupName").asText()).isEqualTo("to-delete");
            assertThat(VeleroStatus.tree(r).path("status").path("phase").asText()).isEqualTo("Processed");
        });
        assertThatThrownBy(() -> velero.deleteBackup(location, "to-delete")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void scheduleIsCreatedUpdatedAndRemoved() {
        standIn();
        VeleroEngine velero = engine();
        BackupPlan plan = BackupPlan.builder().prefix("nightly").location(location).schedule(Schedule.cron("0 2 * * *"))
                .includedNamespaces("shop").build();

        assertThat(velero.schedule(plan)).isEqualTo("nightly");
        GenericKubernetesResource schedule = get(VeleroKind.SCHEDULE, "nightly");
        CrdSchemaValidator.velero("Schedule").assertValid(schedule);
        assertThat(VeleroStatus.tree(schedule).path("spec").path("schedule").asText()).isEqualTo("0 2 * * *");

        velero.schedule(plan);
        assertThat(get(VeleroKind.SCHEDULE, "nightly").getMetadata().getResourceVersion())
                .isEqualTo(schedule.getMetadata().getResourceVersion());

        velero.schedule(plan.toBuilder().schedule(Schedule.cron("0 3 * * *").inZone("Europe/Berlin")).build());
        assertThat(VeleroStatus.tree(get(VeleroKind.SCHEDULE, "nightly")).path("spec").path("schedule").asText())
                .isEqualTo("CRON_TZ=Europe/Berlin 0 3 * * *");

        assertThat(velero.unschedule("nightly")).isTrue();
        assertThat(get(VeleroKind.SCHEDULE, "nightly")).isNull();
        assertThat(velero.unschedule("nightly")).isFalse();
    }

    @Test
    void secretValuesAppearNeitherInLogsNorInObjectsOtherThanTheSecret() {
        standIn();
        VeleroEngine velero = engine();
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            velero.backup(BackupPlan.builder().prefix("quiet").location(location).includedNamespaces("shop").build()).await(WAIT);
        } finally {
            System.setErr(original);
        }

        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("quiet-").doesNotContain("s3cr3t-value");
        assertThat(get(VeleroKind.BACKUP_STORAGE_LOCATION, "primary").toString()).doesNotContain("s3cr3t-value");
        assertThat(String.valueOf(client.genericKubernetesResources(VeleroKind.BACKUP.context()).inNamespace(veleroNs).list()))
                .doesNotContain("s3cr3t-value");
    }

    // ---- errors

    @Test
    void aBackupVeleroRefusesEndsFailedValidationWithItsErrors() {
        standIn().failValidation("invalid included/excluded namespace lists: excludes list cannot contain an item in the includes list: shop");
        VeleroEngine velero = engine();

        BackupHandle handle = velero.backup(BackupPlan.builder().prefix("bad").location(location).build());
        BackupInfo info = handle.await(WAIT);

        assertThat(info.phase()).isEqualTo(BackupPhase.FailedValidation);
        assertThat(handle.phase()).isEqualTo(BackupPhase.FailedValidation);
        assertThat(info.failureReason()).contains("excludes list cannot contain an item in the includes list: shop");
        CrdSchemaValidator.velero("Backup").assertValid(get(VeleroKind.BACKUP, info.name()));
    }

    @Test
    void anUnavailableLocationFailsWithItsNameAndVelerosMessage() {
        standIn().unavailable("primary", "rpc error: code = Unknown desc = NoSuchBucket: The specified bucket does not exist");
        VeleroEngine velero = engine();

        assertThatThrownBy(() -> velero.backup(BackupPlan.builder().prefix("p").location(location).build()))
                .isInstanceOfSatisfying(VeleroLocationUnavailableException.class, e -> {
                    assertThat(e.locationName()).isEqualTo("primary");
                    assertThat(e.veleroMessage()).contains("NoSuchBucket");
                    assertThat(e.getMessage()).contains("'primary'", "Unavailable", "NoSuchBucket").doesNotContain("s3cr3t-value");
                });
        assertThat(client.genericKubernetesResources(VeleroKind.BACKUP.context()).inNamespace(veleroNs).list().getItems()).isEmpty();
    }

    @Test
    void aLocationFixedAfterBeingUnavailableIsValidatedAgainAndUsed() {
        VeleroStandIn standIn = standIn().unavailable("primary", "AccessDenied: wrong key");
        VeleroEngine velero = engine();
        BackupPlan plan = BackupPlan.builder().prefix("p").location(location).includedNamespaces("shop").build();
        assertThatThrownBy(() -> velero.backup(plan)).isInstanceOf(VeleroLocationUnavailableException.class)
                .hasMessageContaining("AccessDenied");

        standIn.available("primary");
        BackupLocation fixed = location.toBuilder().credentials(Credentials.awsStatic("AKIAEXAMPLE", "right-key")).build();
        BackupInfo info = velero.backup(plan.toBuilder().location(fixed).build()).await(WAIT);

        assertThat(info.phase()).isEqualTo(BackupPhase.Completed);
    }

    @Test
    void noVeleroServerMeansTheHandleTimesOutSayingSo() {
        VeleroEngine velero = engine(VeleroOptions.builder().pickupTimeout(Duration.ofSeconds(1))
                .locationValidationTimeout(Duration.ZERO));

        BackupHandle handle = velero.backup(BackupPlan.builder().prefix("p").location(location).build());

        assertThatThrownBy(() -> handle.await(WAIT)).isInstanceOf(OperationTimeoutException.class)
                .hasMessageContaining("did not pick up").hasMessageContaining(veleroNs);
        assertThat(get(VeleroKind.BACKUP, handle.name())).as("the request stays for Velero").isNotNull();
    }

    @Test
    void cancellingBeforeVeleroStartsDeletesTheBackupObject() {
        VeleroEngine velero = engine(VeleroOptions.builder().locationValidationTimeout(Duration.ZERO));

        BackupHandle handle = velero.backup(BackupPlan.builder().prefix("p").location(location).build());
        handle.cancel();
        BackupInfo info = handle.await(WAIT);

        assertThat(info.phase()).isEqualTo(BackupPhase.Failed);
        assertThat(info.failureReason()).contains("cancelled");
        assertThat(get(VeleroKind.BACKUP, handle.name())).isNull();
    }

    @Test
    void closingTheEngineEndsOpenHandlesSayingTheWorkGoesOn() {
        VeleroEngine velero = engine(VeleroOptions.builder().locationValidationTimeout(Duration.ZERO));
        BackupHandle handle = velero.backup(BackupPlan.builder().prefix("p").location(location).build());

        velero.close();

        assertThatThrownBy(() -> handle.await(WAIT)).isInstanceOf(io.kbackup.KBackupException.class)
                .hasMessageContaining("closed").hasMessageContaining("goes on in Velero");
        assertThat(get(VeleroKind.BACKUP, handle.name())).isNotNull();
    }

    @Test
    void aNameAlreadyTakenInTheBucketIsRefusedBeforeVeleroCouldOverwriteIt() {
        direct().backup(BackupPlan.builder().name("taken").location(location).includedNamespaces("shop").build()).await(WAIT);
        VeleroEngine velero = engine(VeleroOptions.builder().locationValidationTimeout(Duration.ZERO));

        assertThatThrownBy(() -> velero.backup(BackupPlan.builder().name("taken").location(location).build()))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("'taken' already exists");
        assertThat(get(VeleroKind.BACKUP, "taken")).isNull();
    }

    @Test
    void aNameClaimedByABackupBeingWrittenIsRefusedBeforeTheVeleroBackupIsCreated() {
        // a DirectEngine run elsewhere holds the name: its claim is all the bucket has of it yet
        try (StorageProvider storage = providers.open(location)) {
            storage.put(new BucketLayout(location).claim("busy"),
                    new BackupClaim("busy", "claim-1", "engine-1", "host-a", Instant.now()).toBytes());
        }
        VeleroEngine velero = engine(VeleroOptions.builder().locationValidationTimeout(Duration.ZERO));

        assertThatThrownBy(() -> velero.backup(BackupPlan.builder().name("busy").location(location).build()))
                .isInstanceOf(BackupInProgressException.class).hasMessageContaining("'busy'")
                .hasMessageContaining("no Velero Backup was created");
        assertThat(get(VeleroKind.BACKUP, "busy")).isNull();
    }

    @Test
    void localFolderLocationsAreRefusedBeforeAnythingIsCreated(@TempDir Path dir) {
        VeleroEngine velero = engine();
        BackupLocation local = BackupLocation.localFolder(dir).name("disk").build();

        assertThatThrownBy(() -> velero.backup(BackupPlan.builder().prefix("p").location(local).build()))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("local folder");
        assertThat(client.genericKubernetesResources(VeleroKind.BACKUP_STORAGE_LOCATION.context()).inNamespace(veleroNs).list()
                .getItems()).isEmpty();
    }
}
