package io.kbackup.storage.gcs;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.storage.StorageProviderContract;
import java.util.Set;

/**
 * The storage contract against google-cloud-nio's {@code LocalStorageHelper}, Google's in-memory
 * fake of {@link Storage}. Its gaps are skipped by name (the same suite runs in full against
 * a real fake-gcs-server in {@link GcsFakeServerContractRealIT}):
 * <ul>
 *   <li>{@link Feature#PAGING}: {@code pageSize} truncates the listing and never returns a page token;</li>
 *   <li>{@link Feature#BATCH_DELETE}: batches throw {@code UnsupportedOperationException("Not implemented yet")};</li>
 *   <li>{@link Feature#VALIDATE_MISSING_BUCKET}: it has no buckets; every bucket name lists as empty;</li>
 *   <li>{@link Feature#ABORT} is kept: writers up to 1 MiB (all the suite's aborts) upload nothing before
 *       commit; the fake would show a resumable session's object at once, unlike GCS.</li>
 * </ul>
 */
class LocalStorageHelperContractTest extends StorageProviderContract {

    private static final Storage FAKE = LocalStorageHelper.getOptions().getService();

    @Override
    protected StorageProvider createProvider() {
        return GcsStorageProvider.of(FAKE, "contract-bucket");
    }

    @Override
    protected Set<Feature> unsupported() {
        return Set.of(Feature.PAGING, Feature.BATCH_DELETE, Feature.VALIDATE_MISSING_BUCKET);
    }
}
