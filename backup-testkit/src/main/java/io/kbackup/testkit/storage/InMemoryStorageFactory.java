package io.kbackup.testkit.storage;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviderFactory;
import java.util.Set;

/**
 * Makes {@link InMemoryStorageProvider}s for locations with provider id {@code memory}; registered
 * for {@link java.util.ServiceLoader}. The location's bucket names the in-memory store.
 *
 * <p>Configuration: {@code createBucket} ({@code true} by default): whether a bucket that does not
 * exist yet is created; with {@code false} it must have been created before (for tests of a
 * missing bucket). Credentials must be {@link Credentials#none()}.
 */
public final class InMemoryStorageFactory implements StorageProviderFactory {

    /** Config key: create the bucket when missing ({@code true}, the default) or not ({@code false}). */
    public static final String CREATE_BUCKET = "createBucket";

    /** For {@link java.util.ServiceLoader}. */
    public InMemoryStorageFactory() {}

    @Override
    public String id() {
        return InMemoryStorageProvider.ID;
    }

    @Override
    public Set<String> configKeys() {
        return Set.of(CREATE_BUCKET);
    }

    @Override
    public StorageProvider create(BackupLocation location) {
        if (!(location.credentials() instanceof Credentials.None)) {
            throw new InvalidPlanException("Backup location '" + location.name() + "': the in-memory provider takes no"
                    + " credentials, got " + location.credentials().kind() + ". Use Credentials.none().");
        }
        String create = location.config().getOrDefault(CREATE_BUCKET, "true");
        if (!create.equals("true") && !create.equals("false")) {
            throw new InvalidPlanException("Backup location '" + location.name() + "': config " + CREATE_BUCKET
                    + " must be 'true' or 'false', was '" + create + "'.");
        }
        return create.equals("true")
                ? InMemoryStorageProvider.create(location.bucket())
                : InMemoryStorageProvider.attach(location.bucket());
    }
}
