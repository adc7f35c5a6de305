package io.kbackup.core.storage;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviderFactory;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Makes {@link LocalFolderStorageProvider}s for locations with provider id
 * {@value BackupLocation#LOCAL} (see {@link BackupLocation#localFolder(Path)}); registered for
 * {@link java.util.ServiceLoader}. The location's bucket is the absolute folder path. No
 * configuration keys, no credentials ({@link Credentials#none()}), no endpoint.
 */
public final class LocalFolderStorageFactory implements StorageProviderFactory {

    /** For {@link java.util.ServiceLoader}. */
    public LocalFolderStorageFactory() {}

    @Override
    public String id() {
        return BackupLocation.LOCAL;
    }

    @Override
    public Set<String> configKeys() {
        return Set.of();
    }

    /**
     * A provider on the location's folder. Does not touch the disk: the folder is created on the
     * first write or by {@link StorageProvider#validate()}.
     *
     * @throws InvalidPlanException when the bucket is not an absolute path, or credentials or an
     *                              endpoint are set
     */
    @Override
    public StorageProvider create(BackupLocation location) {
        String where = "Backup location '" + location.name() + "'";
        if (!(location.credentials() instanceof Credentials.None)) {
            throw new InvalidPlanException(where + ": a local folder takes no credentials, got "
                    + location.credentials().kind() + ". Use Credentials.none() or BackupLocation.localFolder(path).");
        }
        if (location.endpoint().isPresent()) {
            throw new InvalidPlanException(where + ": a local folder has no endpoint; remove the endpoint setting.");
        }
        Path folder;
        try {
            folder = Path.of(location.bucket());
        } catch (InvalidPathException e) {
            throw new InvalidPlanException(where + ": '" + location.bucket() + "' is not a valid folder path ("
                    + e.getReason() + ").", e);
        }
        if (!folder.isAbsolute()) {
            throw new InvalidPlanException(where + ": folder '" + location.bucket() + "' is not an absolute path;"
                    + " give the full path, e.g. /var/backups/k8s, or use BackupLocation.localFolder(path).");
        }
        return new LocalFolderStorageProvider(folder);
    }
}
