package io.kbackup.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.NotFoundException;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.cluster.TestCluster;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * End to end through one storage provider: a cluster backed up by an engine into the provider's
 * location, listed, described, restored into a second cluster (with a namespace mapping); and a
 * backup deleted with all its objects. Subclass it in a few lines per provider, giving the engine and a location on a real (or
 * emulated) service:
 *
 * <pre>{@code
 * class S3RoundTripIT extends EngineRoundTripContract {
 *     protected BackupClient engine(KubernetesClient cluster) { return KBackup.direct(cluster); }
 *     protected BackupLocation location() { return BackupLocation.s3("bucket")...build(); }
 * }
 * }</pre>
 * Each test uses a fresh prefix inside the location, so the bucket may be shared. The two clusters
 * are started once per class (one test instance per class) and shared by its tests, which write
 * into different namespaces and prefixes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EngineRoundTripContract {

    private TestCluster source;
    private TestCluster target;
    private KubernetesClient sourceClient;
    private KubernetesClient targetClient;

    /** The engine to test, on the given cluster. Closed by the test. */
    protected abstract BackupClient engine(KubernetesClient cluster) throws Exception;

    /** A location on the provider under test; a unique prefix is added per test. */
    protected abstract BackupLocation location() throws Exception;

    /**
     * Whether the service can delete many blobs at once, which deleting a backup needs. An emulator
     * without it (e.g. an in-memory fake) returns false: the deletion test is then
     * skipped by name, never weakened.
     */
    protected boolean batchDeleteSupported() {
        return true;
    }

    private BackupLocation freshLocation() throws Exception {
        BackupLocation location = location();
        return location.toBuilder()
                .prefix((location.prefix().isEmpty() ? "" : location.prefix() + "/") + "rt-" + UUID.randomUUID()).build();
    }

    private BackupInfo backUp(BackupClient engine, BackupLocation location) {
        BackupInfo info = engine.backup(BackupPlan.builder().prefix("rt").location(location).includedNamespaces("shop").build())
                .await(Duration.ofSeconds(60));
        assertThat(info.phase()).isEqualTo(BackupPhase.COMPLETED);
        assertThat(info.itemsBackedUp()).isGreaterThanOrEqualTo(22); // 20 config maps, a secret, the namespace
        return info;
    }

    /**
     * Starts one of the two clusters (source and target) the tests of a class share: by default an
     * {@link EmbeddedCluster}; a subclass named {@code ...RealIT} returns a {@link RealCluster}.
     */
    protected TestCluster startCluster() {
        return EmbeddedCluster.start();
    }

    @BeforeAll
    void startClusters() {
        source = startCluster();
        target = startCluster();
        sourceClient = source.client();
        targetClient = target.client();
        sourceClient.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        for (int i = 0; i < 20; i++) {
            sourceClient.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i)
                    .addToLabels("app", "shop").endMetadata().addToData("index", Integer.toString(i))
                    .addToData("payload", "x".repeat(2000 + i)).build()).create();
        }
        sourceClient.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("db").endMetadata()
                .addToStringData("password", "s3cr3t").build()).create();
    }

    @AfterAll
    void stopClusters() {
        sourceClient.close();
        targetClient.close();
        source.close();
        target.close();
    }

    @Test
    void backsUpListsAndRestoresIntoAnotherClusterThroughTheProvider() throws Exception {
        BackupLocation location = freshLocation();
        try (BackupClient backups = engine(sourceClient); BackupClient restores = engine(targetClient)) {
            BackupInfo info = backUp(backups, location);
            assertThat(restores.listBackups(location)).extracting(BackupInfo::name).containsExactly(info.name());
            assertThat(restores.describeBackup(location, info.name()).phase()).isEqualTo(BackupPhase.COMPLETED);

            RestoreInfo restored = restores.restore(RestorePlan.builder().location(location).backupName(info.name())
                    .namespaceMapping(Map.of("shop", "shop-copy")).build()).await(Duration.ofSeconds(60));
            assertThat(restored.phase()).isEqualTo(RestorePhase.COMPLETED);
            for (int i = 0; i < 20; i++) {
                ConfigMap cm = targetClient.configMaps().inNamespace("shop-copy").withName("cm-" + i).get();
                assertThat(cm).as("cm-" + i).isNotNull();
                assertThat(cm.getData()).containsEntry("index", Integer.toString(i)).containsEntry("payload", "x".repeat(2000 + i));
            }
            Secret secret = targetClient.secrets().inNamespace("shop-copy").withName("db").get();
            assertThat(secret).isNotNull();
        }
    }

    /**
     * Client-side encryption through the provider: the location names a {@code static} key that the
     * discovered key provider reads from a key folder ({@code kbackup.staticKeys.dir}); the stored
     * tarball is not gzip (it is ciphertext), the backup is listed as encrypted, verifies, and
     * restores into the other cluster.
     */
    @Test
    void anEncryptedBackupRoundTripsThroughTheProvider() throws Exception {
        java.nio.file.Path keys = java.nio.file.Files.createTempDirectory("kbackup-keys");
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        java.nio.file.Files.writeString(keys.resolve("rt-key.key"), java.util.Base64.getEncoder().encodeToString(key));
        String previous = System.setProperty("kbackup.staticKeys.dir", keys.toString());
        BackupLocation location = freshLocation().toBuilder().encryption(io.kbackup.Encryption.with("static", "rt-key")).build();
        try (BackupClient backups = engine(sourceClient); BackupClient restores = engine(targetClient)) {
            BackupInfo info = backUp(backups, location);
            BackupInfo listed = restores.describeBackup(location, info.name());
            assertThat(listed.encrypted()).isTrue();
            try (io.kbackup.spi.StorageProvider storage = io.kbackup.spi.StorageProviders.discover().open(location)) {
                byte[] head = storage.get(location.keyPrefix() + "backups/" + info.name() + "/" + info.name() + ".tar.gz").readNBytes(2);
                assertThat(head[0] == (byte) 0x1f && head[1] == (byte) 0x8b).as("the stored tarball is ciphertext, not gzip").isFalse();
                assertThat(new String(storage.getBytes(location.keyPrefix() + "backups/" + info.name() + "/velero-backup.json"),
                        java.nio.charset.StandardCharsets.UTF_8)).contains("\"kind\":\"Backup\"", io.kbackup.Encryption.LABEL);
            }
            io.kbackup.VerifyReport report = restores.verify(location, info.name());
            assertThat(report.ok()).as(report.toString()).isTrue();
            assertThat(report.items()).isEqualTo(info.itemsBackedUp());
            RestoreInfo restored = restores.restore(RestorePlan.builder().location(location).backupName(info.name())
                    .namespaceMapping(Map.of("shop", "shop-encrypted")).build()).await(Duration.ofSeconds(60));
            assertThat(restored.phase()).isEqualTo(RestorePhase.COMPLETED);
            ConfigMap cm = targetClient.configMaps().inNamespace("shop-encrypted").withName("cm-7").get();
            assertThat(cm.getData()).containsEntry("payload", "x".repeat(2007));
            assertThat(targetClient.secrets().inNamespace("shop-encrypted").withName("db").get()).isNotNull();
        } finally {
            if (previous == null) {
                System.clearProperty("kbackup.staticKeys.dir");
            } else {
                System.setProperty("kbackup.staticKeys.dir", previous);
            }
        }
    }

    @Test
    void deletesABackupWithAllItsObjects() throws Exception {
        Assumptions.assumeTrue(batchDeleteSupported(), "skipped: the service under test cannot batch-delete (BATCH_DELETE)");
        BackupLocation location = freshLocation();
        try (BackupClient engine = engine(sourceClient)) {
            BackupInfo info = backUp(engine, location);
            engine.deleteBackup(location, info.name());
            assertThat(engine.listBackups(location)).isEmpty();
            assertThatThrownBy(() -> engine.describeBackup(location, info.name())).isInstanceOf(NotFoundException.class);
        }
    }
}
