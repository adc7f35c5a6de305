package io.kbackup.spi;

import io.kbackup.BackupLocation;
import java.util.Set;

/**
 * Makes {@link StorageProvider}s for one provider id. Implementations are registered for
 * {@link java.util.ServiceLoader} in {@code META-INF/services/io.kbackup.spi.StorageProviderFactory}
 * and must have a public no-argument constructor.
 */
public interface StorageProviderFactory {

    /** The id locations name this provider by: {@code s3}, {@code minio}, {@code azure}, {@code gcs}, {@code local}. */
    String id();

    /**
     * The keys this provider accepts in {@link BackupLocation#config()}. A location carrying any
     * other key is refused before {@link #create} is called, with this list in the message.
     */
    Set<String> configKeys();

    /**
     * Makes a provider for the location. Cheap: does not contact the service (use
     * {@link StorageProvider#validate()} for that), but does check that the location's fields and
     * credentials are of a kind this provider supports.
     *
     * @throws io.kbackup.InvalidPlanException when the location cannot work with this provider
     */
    StorageProvider create(BackupLocation location);
}
