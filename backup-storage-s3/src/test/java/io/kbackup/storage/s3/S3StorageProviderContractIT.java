package io.kbackup.storage.s3;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import io.kbackup.BackupLocation;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.storage.StorageProviderContract;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The storage contract for the s3 provider against Adobe S3Mock in this JVM (path style, static
 * keys; S3Mock accepts any). Parts of 5 MiB so that the large-blob test is a multipart upload of
 * many parts. Skipped: {@link Feature#ATOMIC_EXCLUSIVE_CREATE}, as S3Mock (4.x) checks
 * {@code If-None-Match: *} and stores in two steps, so racing creates can several succeed (seen:
 * three of eight); a single create on an existing key is refused. The race holds on MinIO and moto.
 */
class S3StorageProviderContractIT extends StorageProviderContract {

    static final String BUCKET = "kbackup-contract";

    @RegisterExtension
    static final S3MockExtension S3_MOCK = S3MockExtension.builder().withInitialBuckets(BUCKET)
            .withProperty("server.address", "127.0.0.1").silent().build();

    private static BackupLocation location(String bucket) {
        return S3StorageProviderIT.mockLocation("http://127.0.0.1:" + S3_MOCK.getHttpPort(), bucket).build();
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
