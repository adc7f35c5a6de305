package io.kbackup.spi;

import io.kbackup.InvalidPlanException;
import io.kbackup.KeyUnavailableException;
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
 * Finds {@link KeyProvider}s by id: the ones passed to {@link #with(KeyProvider)} first, then those
 * on the class path through {@link ServiceLoader}. Immutable and thread-safe.
 *
 * <pre>{@code
 * KeyProviders keys = KeyProviders.discover().with(StaticKeyProvider.builder().key("k1", secret32Bytes).build());
 * }</pre>
 */
public final class KeyProviders {

    /** Which artifact brings which provider id, for the "add this dependency" message. */
    private static final Map<String, String> ARTIFACTS = Map.of(
            "static", "io.kbackup:backup-core",
            "aws-kms", "io.kbackup:backup-storage-s3",
            "gcp-kms", "io.kbackup:backup-storage-gcs",
            "azure-key-vault", "io.kbackup:backup-storage-azure");

    private final Map<String, KeyProvider> explicit;
    private final ClassLoader classLoader;

    private KeyProviders(Map<String, KeyProvider> explicit, ClassLoader classLoader) {
        this.explicit = explicit;
        this.classLoader = classLoader;
    }

    /** Discovery through the thread context class loader (or this class's loader when unset). */
    public static KeyProviders discover() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return new KeyProviders(Map.of(), cl != null ? cl : KeyProviders.class.getClassLoader());
    }

    /** A copy that uses {@code provider} for its id, ahead of anything discovered. */
    public KeyProviders with(KeyProvider provider) {
        Objects.requireNonNull(provider, "provider");
        Map<String, KeyProvider> copy = new LinkedHashMap<>(explicit);
        copy.put(provider.id(), provider);
        return new KeyProviders(Collections.unmodifiableMap(copy), classLoader);
    }

    /**
     * The provider for {@code id}.
     *
     * @param keyId for the exception only
     * @throws KeyUnavailableException when none is installed (the message lists the installed ids and
     *                                 the artifact to add)
     * @throws InvalidPlanException    when two discovered providers share the id
     */
    public KeyProvider provider(String id, String keyId) {
        Objects.requireNonNull(id, "id");
        KeyProvider p = explicit.get(id);
        if (p != null) {
            return p;
        }
        List<KeyProvider> found = new ArrayList<>();
        for (KeyProvider candidate : load()) {
            if (candidate.id().equals(id)) {
                found.add(candidate);
            }
        }
        if (found.size() > 1) {
            List<String> classes = new ArrayList<>();
            found.forEach(c -> classes.add(c.getClass().getName()));
            throw new InvalidPlanException("Two key providers claim the id '" + id + "': " + classes
                    + ". Remove one from the class path, or pass the one to use with KeyProviders.with(provider).");
        }
        if (found.isEmpty()) {
            String artifact = ARTIFACTS.get(id);
            throw new KeyUnavailableException(id, keyId, "No key provider with id '" + id + "' is available (key id '" + keyId
                    + "'). Installed: " + installedIds() + ". " + (artifact != null ? "Add the dependency " + artifact
                            + " or pass a configured provider with KeyProviders.with(provider)."
                            : "Pass a provider with that id with KeyProviders.with(provider)."), null, false);
        }
        return found.get(0);
    }

    /** Every id available: explicit and discovered, sorted. */
    public Set<String> installedIds() {
        Set<String> ids = new TreeSet<>(explicit.keySet());
        for (KeyProvider p : load()) {
            ids.add(p.id());
        }
        return ids;
    }

    /** Equal when both discover through the same class loader and hold the same explicit providers. */
    @Override
    public boolean equals(Object o) {
        return o instanceof KeyProviders other && classLoader.equals(other.classLoader) && explicit.equals(other.explicit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classLoader, explicit);
    }

    @Override
    public String toString() {
        return "KeyProviders[explicit=" + explicit.keySet() + "]";
    }

    private List<KeyProvider> load() {
        List<KeyProvider> out = new ArrayList<>();
        try {
            ServiceLoader.load(KeyProvider.class, classLoader).forEach(out::add);
        } catch (java.util.ServiceConfigurationError e) {
            throw new InvalidPlanException("A key provider on the class path is broken: " + e.getMessage()
                    + ". Check the META-INF/services/io.kbackup.spi.KeyProvider entries and that the kbackup versions match.", e);
        }
        return out;
    }
}
