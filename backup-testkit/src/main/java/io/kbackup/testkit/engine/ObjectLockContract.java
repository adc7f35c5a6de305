package io.kbackup.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupLockedException;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.ObjectLock;
import io.kbackup.StorageException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.Retention;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.TestCluster;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Immutable backups through one storage provider on a real server: a location with
 * {@link ObjectLock} writes every object of a backup under a retention until the backup's expiry;
 * {@code validate()} tells a bucket without object lock; a delete of a locked backup is refused
 * with the time the lock ends and deletes nothing; once the lock has ended the backup is deleted
 * with every version of its objects; a plain (Velero-style) delete of a locked object only hides it.
 * Locks are a few seconds long (the tests wait them out). Subclass it in a few lines per provider:
 *
 * <pre>{@code
 * class MyProviderObjectLockRealIT extends ObjectLockContract {
 *     protected BackupClient engine(KubernetesClient cluster) { return KBackup.direct(cluster); }
 *     protected BackupLocation lockBucketLocation() { ... a bucket made with object lock ... }
 *     protected BackupLocation plainBucketLocation() { ... a bucket made without ... }
 * }
 * }</pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ObjectLockContract {

    /**
     * How long the backups of these tests are kept, and so locked: long enough for the backup to
     * write its last object before then (a blob written after its backup's expiry is not locked),
     * on a slow emulator too.
     */
    protected static final Duration EXPIRY = Duration.ofSeconds(20);

    private TestCluster cluster;
    private KubernetesClient client;

    /** The engine to test, on the given cluster. Closed by the test. */
    protected abstract BackupClient engine(KubernetesClient cluster) throws Exception;

    /** A location on a bucket made with object lock; the tests set the lock mode and a fresh prefix. */
    protected abstract BackupLocation lockBucketLocation() throws Exception;

    /** A location on a bucket made without object lock. */
    protected abstract BackupLocation plainBucketLocation() throws Exception;

    /** A blob large enough for the provider to write it as a multipart upload (or blocks). */
    protected int largeBlobBytes() {
        return 6 * 1024 * 1024;
    }

    /**
     * Whether the server keeps the lock asked for when a multipart upload starts. An emulator that
     * drops it (moto 5.2.5 ignores the lock headers of CreateMultipartUpload) returns false: the
     * large-blob checks are then left out, and the servers that have it (MinIO) cover them.
     */
    protected boolean locksMultipartUploads() {
        return true;
    }

    @BeforeAll
    void startCluster() {
        cluster = EmbeddedCluster.start();
        client = cluster.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("vault").endMetadata().build()).create();
        for (int i = 0; i < 5; i++) {
            client.configMaps().inNamespace("vault").resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i)
                    .endMetadata().addToData("index", Integer.toString(i)).build()).create();
        }
    }

    @AfterAll
    void stopCluster() {
        client.close();
        cluster.close();
    }

    private BackupLocation locked(ObjectLock mode) throws Exception {
        BackupLocation l = lockBucketLocation();
        return l.toBuilder().objectLock(mode)
                .prefix((l.prefix().isEmpty() ? "" : l.prefix() + "/") + "lock-" + UUID.randomUUID()).build();
    }

    @Test
    void validateTellsWhetherTheBucketHasObjectLock() throws Exception {
        assertThat(locked(ObjectLock.GOVERNANCE).validate().isOk()).isTrue();
        assertThat(plainBucketLocation().validate().isOk()).isTrue();

        BackupLocation wrong = plainBucketLocation().toBuilder().objectLock(ObjectLock.COMPLIANCE).build();
        ValidationResult result = wrong.validate();
        assertThat(result.isOk()).isFalse();
        assertThat(result.has(ValidationResult.Kind.OBJECT_LOCK_UNAVAILABLE)).isTrue();
        assertThat(result.problems().get(0).message()).contains("object lock COMPLIANCE", wrong.bucket());
        try (StorageProvider storage = StorageProviders.discover().open(wrong)) {
            assertThat(storage.objectLockEnabled()).isFalse();
        }
    }

    @Test
    void everyObjectOfABackupIsLockedUntilItsExpiryAndADeleteBeforeThenIsRefused() throws Exception {
        BackupLocation location = locked(ObjectLock.GOVERNANCE);
        try (BackupClient engine = engine(client); StorageProvider storage = StorageProviders.discover().open(location)) {
            BackupInfo info = engine.backup(BackupPlan.builder().prefix("lk").location(location).includedNamespaces("vault")
                    .expiry(EXPIRY).build()).await(Duration.ofSeconds(60));
            assertThat(info.phase()).isEqualTo(BackupPhase.COMPLETED);
            String dir = location.keyPrefix() + "backups/" + info.name() + "/";
            List<String> keys = keys(storage, dir);
            assertThat(keys).contains(dir + "velero-backup.json", dir + info.name() + ".tar.gz")
                    .noneMatch(k -> k.endsWith("kbackup-progress.json"));
            for (String key : keys) {
                if (key.endsWith("kbackup-claim.json")) {
                    // the name claim: bookkeeping written before the backup, as the progress record, not locked
                    assertThat(storage.retention(key)).as(key).isEmpty();
                    continue;
                }
                Retention r = storage.retention(key).orElseThrow(() -> new AssertionError(key + " is not locked"));
                assertThat(r.mode()).as(key).isEqualTo(ObjectLock.GOVERNANCE);
                assertThat(r.retainUntil()).as(key).isCloseTo(info.expires(), within(1, ChronoUnit.SECONDS));
            }

            assertThatThrownBy(() -> engine.deleteBackup(location, info.name()))
                    .isInstanceOfSatisfying(BackupLockedException.class, e -> {
                        assertThat(e.backupName()).isEqualTo(info.name());
                        assertThat(e.lockedUntil()).isCloseTo(info.expires(), within(1, ChronoUnit.SECONDS));
                        assertThat(e.getMessage()).contains(info.name(), e.lockedUntil().toString(), "nothing of it was deleted");
                    });
            assertThat(keys(storage, dir)).containsExactlyInAnyOrderElementsOf(keys);
            assertThat(engine.listBackups(location)).extracting(BackupInfo::name).containsExactly(info.name());

            waitUntilPast(storage.retention(dir + "velero-backup.json").orElseThrow().retainUntil());
            engine.deleteBackup(location, info.name());
            assertThat(keys(storage, dir)).isEmpty();
            assertThat(engine.listBackups(location)).isEmpty();
            for (String key : keys) {
                // purged with its versions: a plain delete would have left the locked version behind a delete marker
                assertThat(storage.retention(key)).as(key).isEmpty();
            }
        }
    }

    @Test
    void aPlainDeleteOfALockedBlobOnlyHidesItAndItsVersionsGoOnceTheLockEnds() throws Exception {
        BackupLocation location = locked(ObjectLock.COMPLIANCE);
        try (StorageProvider storage = StorageProviders.discover().open(location)) {
            Instant until = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
            Retention retention = new Retention(ObjectLock.COMPLIANCE, until);
            String small = location.keyPrefix() + "small.json";
            String large = location.keyPrefix() + "large.bin";
            storage.put(small, "{}".getBytes(), retention);
            byte[] big = new byte[largeBlobBytes()];
            Arrays.fill(big, (byte) 7);
            try (BlobWriter w = storage.openWriter(large, retention)) {
                w.write(big);
                BlobInfo stored = w.commit();
                assertThat(stored.size()).isEqualTo(big.length);
            }
            List<String> lockedKeys = locksMultipartUploads() ? List.of(small, large) : List.of(small);
            for (String key : lockedKeys) {
                assertThat(storage.retention(key)).as(key).contains(retention);
            }

            // what Velero's own delete does: a delete marker hides the blob, its locked data stays
            storage.delete(small);
            assertThat(storage.head(small)).isEmpty();
            assertThatThrownBy(() -> storage.purge(small)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("object lock");
            if (locksMultipartUploads()) {
                assertThatThrownBy(() -> storage.purge(large)).isInstanceOf(StorageException.class);
                assertThat(storage.head(large)).isPresent();
            }

            waitUntilPast(until);
            storage.purge(small);
            storage.purge(large);
            assertThat(keys(storage, location.keyPrefix())).isEmpty();
            storage.purge(small); // nothing left: a no-op
        }
    }

    private static List<String> keys(StorageProvider storage, String prefix) {
        try (Stream<BlobInfo> blobs = storage.listAll(prefix)) {
            return blobs.map(BlobInfo::key).toList();
        }
    }

    /** Sleeps until a moment after {@code until}, so that a lock ending then has ended on the server too. */
    protected static void waitUntilPast(Instant until) throws InterruptedException {
        long ms = Duration.between(Instant.now(), until).toMillis() + 1500;
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
