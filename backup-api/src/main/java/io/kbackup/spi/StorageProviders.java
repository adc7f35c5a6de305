package io.kbackup.spi;

import io.kbackup.BackupLocation;
import io.kbackup.InvalidPlanException;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds {@link StorageProviderFactory factories} by id: the ones passed explicitly to
 * {@link #with(StorageProviderFactory)} first, then those on the class path through
 * {@link ServiceLoader}. Immutable and thread-safe.
 *
 * <pre>{@code
 * StorageProvider storage = StorageProviders.discover().open(location);
 * }</pre>
 */
public final class StorageProviders extends ProviderRegistry<StorageProviderFactory> {

    /** Which artifact brings which provider id, for the "add this dependency" message. */
    private static final Map<String, String> ARTIFACTS = Map.of(
            "s3", "io.kbackup:backup-storage-s3",
            "minio", "io.kbackup:backup-storage-minio",
            "azure", "io.kbackup:backup-storage-azure",
            "gcs", "io.kbackup:backup-storage-gcs",
            "local", "io.kbackup:backup-core",
            "memory", "io.kbackup:backup-testkit");

    private StorageProviders(Discovery<StorageProviderFactory> discovery) {
        super(discovery, ARTIFACTS);
    }

    /** Discovery through the thread context class loader (or this class's loader when unset). */
    public static StorageProviders discover() {
        return new StorageProviders(Discovery.of(StorageProviderFactory.class, StorageProviderFactory::id, "storage provider", null));
    }

    /** Discovery through the given class loader. */
    public static StorageProviders discover(ClassLoader classLoader) {
        Objects.requireNonNull(classLoader, "classLoader");
        return new StorageProviders(Discovery.of(StorageProviderFactory.class, StorageProviderFactory::id, "storage provider",
                classLoader));
    }

    /**
     * A copy that uses {@code factory} for its id, ahead of anything discovered: an instance passed
     * explicitly always wins.
     */
    public StorageProviders with(StorageProviderFactory factory) {
        return new StorageProviders(discovery.with(Objects.requireNonNull(factory, "factory")));
    }

    /**
     * The factory for {@code id}.
     *
     * @throws InvalidPlanException when none is installed (the message lists the installed ids and
     *                              the artifact to add) or when two discovered factories share the id
     */
    public StorageProviderFactory factory(String id) {
        StorageProviderFactory f = discovery.find(id, "StorageProviders.with(factory)");
        if (f == null) {
            String artifact = artifact(id);
            throw new InvalidPlanException("No storage provider with id '" + id + "' is installed. Installed: "
                    + installedIds() + ". "
                    + (artifact != null
                            ? "Add the dependency " + artifact + " to use it."
                            : "Known ids are " + new TreeSet<>(knownIds()) + "."));
        }
        return f;
    }

    /**
     * Makes the provider for a location, after checking its configuration keys.
     *
     * @throws InvalidPlanException for an unknown provider id or an unknown configuration key
     */
    public StorageProvider open(BackupLocation location) {
        Objects.requireNonNull(location, "location");
        StorageProviderFactory f = factory(location.provider());
        Set<String> unknown = new TreeSet<>(location.config().keySet());
        unknown.removeAll(f.configKeys());
        if (!unknown.isEmpty()) {
            throw new InvalidPlanException("Backup location '" + location.name() + "': unknown configuration key(s) "
                    + unknown + " for provider '" + f.id() + "'. Valid keys: " + new TreeSet<>(f.configKeys()) + ".");
        }
        return f.create(location);
    }

    @Override
    public String toString() {
        return "StorageProviders[" + discovery + "]";
    }
}
