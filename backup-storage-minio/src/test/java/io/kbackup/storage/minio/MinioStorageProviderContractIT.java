package io.kbackup.storage.minio;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import io.kbackup.BackupLocation;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.storage.StorageProviderContract;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The storage contract for the minio provider (MinIO Java client) against Adobe S3Mock in this JVM.
 * Parts of 5 MiB so that the large-blob test is a multipart upload of many parts. Skipped:
 * {@link Feature#ATOMIC_EXCLUSIVE_CREATE}, as S3Mock checks {@code If-None-Match: *} and stores in
 * two steps, so several racing creates can succeed; the race holds on the real MinIO server.
 */
class MinioStorageProviderContractIT extends StorageProviderContract {

    static final String BUCKET = "kbackup-contract";

    @RegisterExtension
    static final S3MockExtension S3_MOCK = S3MockExtension.builder().withInitialBuckets(BUCKET)
            .withProperty("server.address", "127.0.0.1").silent().build();

    private static BackupLocation location(String bucket) {
        return MinioStorageProviderIT.mockLocation("http://127.0.0.1:" + S3_MOCK.getHttpPort(), bucket).build();
    }

    @Override
    protected StorageProvider createProvider() {
        return StorageProviders.discover().open(location(BUCKET));
    }

    @Override
    protected StorageProvider createProviderForMissingBucket() {
        return StorageProviders.discover().open(location("kbackup-contract-missing"));
    }

    /** S3Mock does not make {@code If-None-Match: *} atomic; see the class comment. */
    @Override
    protected Set<Feature> unsupported() {
        return Set.of(Feature.ATOMIC_EXCLUSIVE_CREATE);
    }
}
