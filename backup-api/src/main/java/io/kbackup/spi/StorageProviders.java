package io.kbackup.spi;

import io.kbackup.BackupLocation;
import io.kbackup.InvalidPlanException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
public final class StorageProviders {

    /** Which artifact brings which provider id, for the "add this dependency" message. */
    private static final Map<String, String> ARTIFACTS = Map.of(
            "s3", "io.kbackup:backup-storage-s3",
            "minio", "io.kbackup:backup-storage-minio",
            "azure", "io.kbackup:backup-storage-azure",
            "gcs", "io.kbackup:backup-storage-gcs",
            "local", "io.kbackup:backup-core",
            "memory", "io.kbackup:backup-testkit");

    private final Map<String, StorageProviderFactory> explicit;
    private final ClassLoader classLoader;

    private StorageProviders(Map<String, StorageProviderFactory> explicit, ClassLoader classLoader) {
        this.explicit = explicit;
        this.classLoader = classLoader;
    }

    /** Discovery through the thread context class loader (or this class's loader when unset). */
    public static StorageProviders discover() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return new StorageProviders(Map.of(), cl != null ? cl : StorageProviders.class.getClassLoader());
    }

    /** Discovery through the given class loader. */
    public static StorageProviders discover(ClassLoader classLoader) {
        return new StorageProviders(Map.of(), Objects.requireNonNull(classLoader, "classLoader"));
    }

    /**
     * A copy that uses {@code factory} for its id, ahead of anything discovered: an instance passed
     * explicitly always wins.
     */
    public StorageProviders with(StorageProviderFactory factory) {
        Objects.requireNonNull(factory, "factory");
        Map<String, StorageProviderFactory> copy = new LinkedHashMap<>(explicit);
        copy.put(factory.id(), factory);
        return new StorageProviders(Collections.unmodifiableMap(copy), classLoader);
    }

    /**
     * The factory for {@code id}.
     *
     * @throws InvalidPlanException when none is installed (the message lists the installed ids and
     *                              the artifact to add) or when two discovered factories share the id
     */
    public StorageProviderFactory factory(String id) {
        Objects.requireNonNull(id, "id");
        StorageProviderFactory f = explicit.get(id);
        if (f != null) {
            return f;
        }
        List<StorageProviderFactory> found = new ArrayList<>();
        for (StorageProviderFactory candidate : load()) {
            if (candidate.id().equals(id)) {
                found.add(candidate);
            }
        }
        if (found.size() > 1) {
            List<String> classes = new ArrayList<>();
            found.forEach(c -> classes.add(c.getClass().getName()));
            throw new InvalidPlanException("Two storage providers claim the id '" + id + "': " + classes
                    + ". Remove one of them from the class path, or pass the one to use explicitly"
                    + " with StorageProviders.with(factory).");
        }
        if (found.isEmpty()) {
            String artifact = ARTIFACTS.get(id);
            throw new InvalidPlanException("No storage provider with id '" + id + "' is installed. Installed: "
                    + installedIds() + ". "
                    + (artifact != null
                            ? "Add the dependency " + artifact + " to use it."
                            : "Known ids are " + new TreeSet<>(ARTIFACTS.keySet()) + "."));
        }
        return found.get(0);
    }

    /** Every id available: explicit and discovered, sorted. */
    public Set<String> installedIds() {
        Set<String> ids = new TreeSet<>(explicit.keySet());
        for (StorageProviderFactory f : load()) {
            ids.add(f.id());
        }
        return ids;
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

    /** Equal when both discover through the same class loader and hold the same explicit factories. */
    @Override
    public boolean equals(Object o) {
        return o instanceof StorageProviders other && classLoader.equals(other.classLoader) && explicit.equals(other.explicit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classLoader, explicit);
    }

    @Override
    public String toString() {
        return "StorageProviders[explicit=" + explicit.keySet() + ", classLoader=" + classLoader + "]";
    }

    private Iterable<StorageProviderFactory> load() {
        List<StorageProviderFactory> out = new ArrayList<>();
        var it = ServiceLoader.load(StorageProviderFactory.class, classLoader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return out;
                }
                out.add(it.next());
            } catch (java.util.ServiceConfigurationError e) {
                throw new InvalidPlanException("A storage provider on the class path is broken: " + e.getMessage()
                        + ". Check the META-INF/services/io.kbackup.spi.StorageProviderFactory entries of the"
                        + " kbackup storage artifacts and that their versions match.", e);
            }
        }
    }
}
