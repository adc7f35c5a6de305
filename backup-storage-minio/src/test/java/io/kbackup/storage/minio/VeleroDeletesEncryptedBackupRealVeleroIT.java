package io.kbackup.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.Credentials;
import io.kbackup.Encryption;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.keys.StaticKeyProvider;
import io.kbackup.core.velero.VeleroEngine;
import io.kbackup.core.velero.VeleroOptions;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.KeyProviders;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.servers.TestServers;
import io.kbackup.testkit.servers.VeleroServer;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the real Velero (v1.18, AWS plugin) does with a backup kbackup's DirectEngine encrypted, in the
 * bucket and prefix of Velero's own location: its sync lists it Completed ({@code velero-backup.json}
 * stays plain), but {@code velero backup delete} fails (its delete item actions unpack the tarball
 * first: "gzip: invalid header"), leaving every object of the folder in place and its Backup
 * {@code Deleting}; the VeleroEngine's delete then removes the folder and that Backup itself, and
 * Velero's sync does not bring it back. Velero's garbage collection, which expires a plain kbackup
 * backup as its own, leaves an expired encrypted one alone (kbackup keeps its expiry out of
 * {@code status.expiration}), so it never reaches that failing delete.
 */
class VeleroDeletesEncryptedBackupRealVeleroIT {
    private static final String BUCKET = "velero";
    private static final String PREFIX = "sealed";
    private static final String NAME = "sealed-1";
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final ResourceDefinitionContext DELETE_REQUEST = VeleroServer.kind("DeleteBackupRequest",
            "deletebackuprequests");

    private static MinioServer minio;
    private static RealCluster cluster;
    private static KubernetesClient client;
    private static DirectOptions keys;

    /** One MinIO bucket (Velero's location) and one real cluster for both tests: their backups have other names. */
    @BeforeAll
    static void start() {
        minio = MinioServer.start().createBucket(BUCKET);
        cluster = RealCluster.start();
        client = cluster.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata()
                .addToData("k", "v").build()).create();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        keys = DirectOptions.builder().keyProviders(KeyProviders.discover().with(StaticKeyProvider.builder().key("k1", key).build()))
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        TestServers.closeAll(client, cluster, minio);
    }

    @Test
    void veleroCannotDeleteAnEncryptedBackupAndTheVeleroEngineDeletesItWithoutVelero() throws Exception {
        BackupLocation sealed = veleroLocation(Encryption.with("static", "k1"));
        try (DirectEngine kbackup = KBackup.direct(client, keys);
                StorageProvider bucket = StorageProviders.discover().open(sealed)) {
            assertThat(kbackup.backup(BackupPlan.builder().name(NAME).location(sealed).includedNamespaces("shop").build())
                    .await(WAIT).phase()).isEqualTo(BackupPhase.COMPLETED);
            String folder = PREFIX + "/backups/" + NAME + "/";
            List<String> written = bucket.listAll(folder).map(BlobInfo::key).sorted().toList();
            assertThat(written).contains(folder + "velero-backup.json", folder + NAME + ".tar.gz",
                    folder + "kbackup-manifest.json", folder + "kbackup-claim.json", folder + NAME + "-volumesnapshots.json.gz");

            // started after the backup: its first sync pass brings it in (the next would come a minute later)
            try (VeleroServer velero = VeleroServer.start(cluster, minio, BUCKET, PREFIX);
                    VeleroEngine engine = KBackup.velero(client, VeleroOptions.builder().namespace(VeleroServer.NAMESPACE)
                            .build())) {
                assertThat(VeleroServer.phase(velero.awaitBackup(NAME, WAIT))).as("Velero's sync").isEqualTo("Completed");
                assertThat(velero.cli("backup", "get")).contains(NAME, "Completed");

                velero.cli("backup", "delete", NAME, "--confirm");
                GenericKubernetesResource request = awaitProcessed(client);
                assertThat(request.getAdditionalProperties().get("status")).as("Velero's DeleteBackupRequest").asString()
                        .contains("error invoking delete item actions");
                assertThat(Files.readString(velero.log())).contains("error extracting backup: gzip: invalid header");
                assertThat(bucket.listAll(folder).map(BlobInfo::key).sorted().toList()).as("objects after Velero's delete")
                        .isEqualTo(written);
                assertThat(VeleroServer.phase(velero(client))).as("Velero's Backup after its delete").isEqualTo("Deleting");

                engine.deleteBackup(sealed, NAME);

                assertThat(bucket.listAll(folder).map(BlobInfo::key).toList()).as("objects after the VeleroEngine's delete")
                        .isEmpty();
                assertThat(velero(client)).as("Velero's Backup").isNull();
            }
            // Velero syncs the bucket once a minute, and at its start: a Velero server started now
            // syncs at once (start() waits for that pass) and finds nothing to bring back
            try (VeleroServer again = VeleroServer.start(cluster, minio, BUCKET, PREFIX)) {
                assertThat(velero(client)).as("Velero's Backup, after a backup sync pass").isNull();
            }
            assertThat(kbackup.listBackups(sealed)).extracting(BackupInfo::name).doesNotContain(NAME);
        }
    }

    @Test
    void veleroExpiresAnExpiredPlainBackupAndLeavesAnExpiredEncryptedOneToKbackup() throws Exception {
        BackupLocation plain = veleroLocation(null);
        BackupLocation sealed = veleroLocation(Encryption.with("static", "k1"));
        try (DirectEngine kbackup = KBackup.direct(client, keys);
                StorageProvider bucket = StorageProviders.discover().open(plain)) {
            for (BackupLocation location : List.of(plain, sealed)) {
                String name = location == plain ? "expired-plain" : "expired-sealed";
                assertThat(kbackup.backup(BackupPlan.builder().name(name).location(location).includedNamespaces("shop")
                        .expiry(Duration.ofSeconds(1)).build()).await(WAIT).phase()).isEqualTo(BackupPhase.COMPLETED);
            }
            String sealedFolder = PREFIX + "/backups/expired-sealed/";
            List<String> sealedObjects = bucket.listAll(sealedFolder).map(BlobInfo::key).sorted().toList();
            BackupInfo described = kbackup.describeBackup(sealed, "expired-sealed");
            assertThat(described.expires()).as("kbackup's expiry of the encrypted backup").isNotNull();
            while (!described.expires().isBefore(Instant.now())) {
                Thread.sleep(200);
            }

            // Velero's sync brings both in; its GC reconciles every Backup the sync creates
            try (VeleroServer velero = VeleroServer.start(cluster, minio, BUCKET, PREFIX)) {
                awaitEmpty(bucket, PREFIX + "/backups/expired-plain/");
                assertThat(VeleroServer.phase(velero.awaitBackup("expired-sealed", WAIT))).isEqualTo("Completed");
                Thread.sleep(3000);
                assertThat(Files.readString(velero.log())).contains("Backup:expired-plain has expired")
                        .doesNotContain("Backup:expired-sealed has expired");
                assertThat(client.genericKubernetesResources(DELETE_REQUEST).inNamespace(VeleroServer.NAMESPACE)
                        .withLabel("velero.io/backup-name", "expired-sealed").list().getItems()).as("DeleteBackupRequests").isEmpty();
                assertThat(VeleroServer.phase(client.genericKubernetesResources(VeleroServer.BACKUP)
                        .inNamespace(VeleroServer.NAMESPACE).withName("expired-sealed").get())).isEqualTo("Completed");
                assertThat(bucket.listAll(sealedFolder).map(BlobInfo::key).sorted().toList()).isEqualTo(sealedObjects);
            }
            // kbackup still knows it expired (its retention sweeps delete it)
            assertThat(kbackup.describeBackup(sealed, "expired-sealed").expires()).isEqualTo(described.expires());
        }
    }

    private static BackupLocation veleroLocation(Encryption encryption) {
        // Velero's own location "default": the same bucket and prefix
        BackupLocation.Builder b = BackupLocation.minio(minio.endpoint(), BUCKET).name(VeleroServer.LOCATION).prefix(PREFIX)
                .credentials(Credentials.awsStatic(minio.rootUser(), minio.rootPassword()));
        return (encryption == null ? b : b.encryption(encryption)).build();
    }

    private static void awaitEmpty(StorageProvider bucket, String folder) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (bucket.listAll(folder).findAny().isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Velero's garbage collection did not delete " + folder + " in " + WAIT);
            }
            Thread.sleep(200);
        }
    }

    private static GenericKubernetesResource velero(KubernetesClient client) {
        return client.genericKubernetesResources(VeleroServer.BACKUP).inNamespace(VeleroServer.NAMESPACE).withName(NAME).get();
    }

    private static GenericKubernetesResource awaitProcessed(KubernetesClient client) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        GenericKubernetesResource request = null;
        while (System.nanoTime() < deadline) {
            List<GenericKubernetesResource> requests = client.genericKubernetesResources(DELETE_REQUEST)
                    .inNamespace(VeleroServer.NAMESPACE).withLabel("velero.io/backup-name", NAME).list().getItems();
            request = requests.isEmpty() ? null : requests.get(0);
            if ("Processed".equals(VeleroServer.phase(request))) {
                return request;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Velero did not process the DeleteBackupRequest of " + NAME + " in " + WAIT + ": " + request);
    }
}
