package io.kbackup.testkit.storage;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.engine.EngineRoundTripContract;
import io.kbackup.testkit.engine.ObjectLockContract;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.servers.ServerExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The test kit's suites for an S3-compatible provider on a real MinIO server, which checks every
 * signature, as nested classes of one test class: the {@link StorageProviderContract} on a plain
 * bucket ({@link PlainBucket}) and on a bucket made with object lock, and so versioning
 * ({@link LockedBucket}: uploads must carry a checksum, deletions leave delete markers, listings
 * show only current objects), nothing skipped; the {@link S3CompatibleMultipartContract}, the
 * {@link S3CompatibleValidateContract}, the {@link EngineRoundTripContract} and the
 * {@link ObjectLockContract}. A provider's test class says how to reach the server and how to make
 * the provider and the engine:
 *
 * <pre>{@code
 * class MinioProviderContractRealIT extends MinioServerSuites {
 *     protected BackupLocation.Builder location(MinioServer server, String bucket) { ... }
 *     protected BackupLocation.Builder locationWithNothingListening(String endpoint, String region, String bucket) { ... }
 *     protected StorageProvider createProvider(BackupLocation location) { ... }
 *     protected BackupClient engine(KubernetesClient cluster) { return KBackup.direct(cluster); }
 * }
 * }</pre>
 *
 * <p>The class starts one MinIO server ({@link MinioServer#start()}) for the storage contracts, the
 * round trip and the object-lock suite (the multipart and validate suites start their own); a
 * missing MinIO binary skips the class (fails it under {@code CI=true}).
 */
public abstract class MinioServerSuites {

    @RegisterExtension
    static final ServerExtension<MinioServer> MINIO = ServerExtension.of(MinioServer::start,
            minio -> minio.createBucket("kbackup-contract").createBucketWithObjectLock("kbackup-locked")
                    .createBucket("kbackup-e2e").createBucketWithObjectLock("kbackup-worm").createBucket("kbackup-plain"));

    /**
     * The provider's location of {@code bucket} on {@code server}, with the root user's keys and
     * parts of 5 MiB, so that large blobs are multipart uploads of many parts.
     */
    protected abstract BackupLocation.Builder location(MinioServer server, String bucket);

    /** As {@link S3CompatibleValidateContract#locationWithNothingListening}. */
    protected abstract BackupLocation.Builder locationWithNothingListening(String endpoint, String region, String bucket);

    /** Makes the provider under test for this location, e.g. through its factory. */
    protected abstract StorageProvider createProvider(BackupLocation location);

    /** The engine on {@code cluster}, e.g. {@code KBackup.direct(cluster)}. */
    protected abstract BackupClient engine(KubernetesClient cluster);

    /** The storage contract on one bucket of the server, the provider found by discovery. */
    abstract class OnBucket extends StorageProviderContract {
        private final String bucket;

        OnBucket(String bucket) {
            this.bucket = bucket;
        }

        @Override
        protected StorageProvider createProvider() {
            return StorageProviders.discover().open(location(MINIO.get(), bucket).build());
        }

        @Override
        protected StorageProvider createProviderForMissingBucket() {
            return StorageProviders.discover().open(location(MINIO.get(), bucket + "-missing").build());
        }
    }

    /** The storage contract on a plain bucket. */
    @Nested
    class PlainBucket extends OnBucket {
        PlainBucket() {
            super("kbackup-contract");
        }
    }

    /** The storage contract on a bucket made with object lock. */
    @Nested
    class LockedBucket extends OnBucket {
        LockedBucket() {
            super("kbackup-locked");
        }
    }

    /** The {@link S3CompatibleMultipartContract}. */
    @Nested
    class Multipart extends S3CompatibleMultipartContract {

        @Override
        protected BackupLocation.Builder location(MinioServer server, String bucket) {
            return MinioServerSuites.this.location(server, bucket);
        }

        @Override
        protected StorageProvider createProvider(BackupLocation location) {
            return MinioServerSuites.this.createProvider(location);
        }
    }

    /** The {@link S3CompatibleValidateContract}. */
    @Nested
    class Validate extends S3CompatibleValidateContract {

        @Override
        protected BackupLocation.Builder location(MinioServer server, String bucket) {
            return MinioServerSuites.this.location(server, bucket);
        }

        @Override
        protected BackupLocation.Builder locationWithNothingListening(String endpoint, String region, String bucket) {
            return MinioServerSuites.this.locationWithNothingListening(endpoint, region, bucket);
        }

        @Override
        protected StorageProvider createProvider(BackupLocation location) {
            return MinioServerSuites.this.createProvider(location);
        }
    }

    /** The {@link EngineRoundTripContract}. */
    @Nested
    class EngineRoundTrip extends EngineRoundTripContract {

        @Override
        protected BackupClient engine(KubernetesClient cluster) {
            return MinioServerSuites.this.engine(cluster);
        }

        @Override
        protected BackupLocation location() {
            return MinioServerSuites.this.location(MINIO.get(), "kbackup-e2e").build();
        }
    }

    /** The {@link ObjectLockContract}. */
    @Nested
    class ObjectLock extends ObjectLockContract {

        @Override
        protected BackupClient engine(KubernetesClient cluster) {
            return MinioServerSuites.this.engine(cluster);
        }

        @Override
        protected BackupLocation lockBucketLocation() {
            return MinioServerSuites.this.location(MINIO.get(), "kbackup-worm").build();
        }

        @Override
        protected BackupLocation plainBucketLocation() {
            return MinioServerSuites.this.location(MINIO.get(), "kbackup-plain").build();
        }
    }
}
