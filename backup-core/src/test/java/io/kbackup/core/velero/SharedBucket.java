package io.kbackup.core.velero;

import io.kbackup.BackupLocation;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviderFactory;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.storage.InMemoryStorageProvider;
import java.util.Set;

/**
 * The test's object store: S3 locations (what Velero's aws plugin uses) served from the test
 * kit's in-memory buckets, so that the VeleroEngine, the Velero stand-in and the DirectEngine all
 * see one bucket by its name, as they would see one S3 bucket.
 */
final class SharedBucket implements StorageProviderFactory {

    static StorageProviders providers() {
        return StorageProviders.discover().with(new SharedBucket());
    }

    @Override
    public String id() {
        return "s3";
    }

    @Override
    public Set<String> configKeys() {
        return Set.of("region", "s3ForcePathStyle", "s3Url");
    }

    @Override
    public StorageProvider create(BackupLocation location) {
        return InMemoryStorageProvider.create(location.bucket());
    }
}
