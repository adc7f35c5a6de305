package io.kbackup.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.Encryption;
import io.kbackup.KeyUnavailableException;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.VerifyReport;
import io.kbackup.spi.KeyProvider;
import io.kbackup.spi.KeyProviders;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link KeyProvider} backed by a key service must do, against that service (real,
 * emulated or faked: the subclass says which): wrap and unwrap bound to the backup and the key,
 * refuse a missing key with a typed error; encrypted backups (local folder, two embedded clusters)
 * that still restore after the key is rotated; a restore whose key version is disabled (where the
 * service can disable one version, see {@link #disablesSingleVersions()}), or whose key is gone,
 * refused before anything is applied. Subclass it in a few lines:
 *
 * <pre>{@code
 * class GcpKmsKeyProviderIT extends KeyProviderContract {
 *     protected KeyProvider provider() { return GcpKmsKeyProvider.builder().endpoint(fake.endpoint())...build(); }
 *     ...
 * }
 * }</pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class KeyProviderContract {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private EmbeddedCluster source;
    private EmbeddedCluster target;
    private Path folder;

    /** The provider under test, configured for the service. */
    protected abstract KeyProvider provider();

    /** Removes the key from the service (as if the backup were restored where it does not exist). */
    protected abstract void deleteKey(String keyId) throws Exception;

    /** Creates a key in the service; returns the key id a location names it by. */
    protected abstract String createKey(String name) throws Exception;

    /** The id of a key that does not exist in the service. */
    protected abstract String missingKeyId();

    /** Rotates the key: a new version wraps from now on, the old ones still unwrap. */
    protected abstract void rotate(String keyId) throws Exception;

    /**
     * Whether the service can disable one version of a key while the others stay usable (Cloud KMS
     * and Key Vault can; AWS KMS cannot: a rotated key keeps all its backing keys under one key id,
     * enabled or disabled together). Where it cannot, the test of a restore whose old key version is
     * disabled is skipped, reported as skipped with this reason, and {@link #disableOldVersions} is
     * never called. Default {@code true}.
     */
    protected boolean disablesSingleVersions() {
        return true;
    }

    /**
     * Disables every version of the key but the current one. Called only where
     * {@link #disablesSingleVersions()}; the default refuses.
     */
    protected void disableOldVersions(String keyId) throws Exception {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " says its key service cannot disable one key version");
    }

    /** The engine to back up and restore with, using {@code keys}. Closed by the test. */
    protected abstract BackupClient engine(KubernetesClient cluster, KeyProviders keys);

    @BeforeAll
    void startClusters() throws IOException {
        folder = Files.createTempDirectory("kbackup-keys");
        source = EmbeddedCluster.start();
        source.seed(Stream.of(new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("shop").endMetadata()
                .addToData("color", "green").build()));
        target = EmbeddedCluster.start();
    }

    @AfterAll
    void stopClusters() throws IOException {
        for (EmbeddedCluster c : new EmbeddedCluster[] {source, target}) {
            if (c != null) {
                c.close();
            }
        }
        if (folder != null) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private BackupLocation location(String keyId) {
        return BackupLocation.localFolder(folder).encryption(Encryption.with(provider().id(), keyId)).build();
    }

    private BackupClient engine(KubernetesClient cluster) {
        return engine(cluster, KeyProviders.discover().with(provider()));
    }

    private void backUp(String keyId, String name) {
        try (BackupClient engine = engine(source.client())) {
            BackupInfo info = engine.backup(BackupPlan.builder().name(name).location(location(keyId)).includedNamespaces("shop").build())
                    .await(WAIT);
            assertThat(info.phase()).as(info.toString()).isEqualTo(BackupPhase.COMPLETED);
        }
    }

    private static RestorePlan restorePlan(BackupLocation location, String backup, String namespace) {
        return RestorePlan.builder().location(location).backupName(backup).namespaceMapping(Map.of("shop", namespace)).build();
    }

    private void assertRefusedWithNothingApplied(BackupClient restorer, String keyId, String backup, String namespace) {
        assertThatThrownBy(() -> restorer.restore(restorePlan(location(keyId), backup, namespace)).await(WAIT))
                .isInstanceOf(KeyUnavailableException.class).satisfies(e -> assertThat(((KeyUnavailableException) e).keyProvider())
                        .isEqualTo(provider().id()));
        assertThat(target.client().namespaces().withName(namespace).get()).isNull();
        assertThat(target.client().configMaps().inNamespace(namespace).list().getItems()).isEmpty();
    }

    @Test
    void wrapsAndUnwrapsBoundToTheBackupAndTheKey() throws Exception {
        String k1 = createKey("bound-1");
        String k2 = createKey("bound-2");
        byte[] dataKey = new byte[32];
        new SecureRandom().nextBytes(dataKey);
        byte[] context = "kbackup/1/b1".getBytes(StandardCharsets.UTF_8);
        KeyProvider p = provider();
        byte[] wrapped = p.wrap(k1, dataKey, context);
        assertThat(wrapped).isNotEqualTo(dataKey);
        assertThat(p.unwrap(k1, wrapped, context)).isEqualTo(dataKey);
        assertThatThrownBy(() -> p.unwrap(k1, wrapped, "kbackup/1/b2".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(KeyUnavailableException.class).satisfies(e -> assertThat(((KeyUnavailableException) e).retryable()).isFalse());
        assertThatThrownBy(() -> p.unwrap(k2, wrapped, context)).isInstanceOf(KeyUnavailableException.class)
                .satisfies(e -> assertThat(((KeyUnavailableException) e).retryable()).isFalse());
        assertThatThrownBy(() -> p.wrap(missingKeyId(), dataKey, context)).isInstanceOf(KeyUnavailableException.class)
                .hasMessageContaining(missingKeyId()).satisfies(e -> assertThat(((KeyUnavailableException) e).retryable()).isFalse());
    }

    @Test
    void backupsMadeBeforeARotationStillRestore() throws Exception {
        String key = createKey("rotating-" + UUID.randomUUID().toString().substring(0, 8));
        backUp(key, "before-rotation");
        rotate(key);
        backUp(key, "after-rotation");
        try (BackupClient restorer = engine(target.client())) {
            VerifyReport report = restorer.verify(location(key), "before-rotation");
            assertThat(report.ok()).as(report.toString()).isTrue();
            assertThat(report.encryption()).contains(provider().id()).contains(key);
            for (String backup : new String[] {"before-rotation", "after-rotation"}) {
                assertThat(restorer.restore(restorePlan(location(key), backup, backup)).await(WAIT).phase())
                        .isEqualTo(RestorePhase.COMPLETED);
                assertThat(target.client().configMaps().inNamespace(backup).withName("settings").get().getData())
                        .containsEntry("color", "green");
            }
        }
    }

    @Test
    void aRestoreWhoseOldKeyVersionIsDisabledIsRefusedBeforeAnythingIsApplied() throws Exception {
        assumeTrue(disablesSingleVersions(),
                getClass().getSimpleName() + "'s key service cannot disable one key version (see disablesSingleVersions())");
        String key = createKey("disabling-" + UUID.randomUUID().toString().substring(0, 8));
        backUp(key, "old-version");
        rotate(key);
        // the version that wrapped the old backup's data key disabled: refused, nothing applied
        disableOldVersions(key);
        try (BackupClient restorer = engine(target.client())) {
            assertRefusedWithNothingApplied(restorer, key, "old-version", "old-version-disabled");
        }
    }

    @Test
    void aRestoreWhoseKeyIsGoneIsRefusedBeforeAnythingIsApplied() throws Exception {
        String key = createKey("gone-" + UUID.randomUUID().toString().substring(0, 8));
        backUp(key, "key-gone");
        deleteKey(key);
        try (BackupClient restorer = engine(target.client())) {
            assertRefusedWithNothingApplied(restorer, key, "key-gone", "no-key");
        }
    }
}
