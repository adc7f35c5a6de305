package io.kbackup.spi;

import java.util.Map;
import java.util.Set;

/**
 * What {@link StorageProviders} and {@link KeyProviders} share: the {@link Discovery} of their
 * providers, the ids installed, which artifact brings which id (for the "add this dependency"
 * message), and equality. Immutable and thread-safe.
 *
 * @param <T> the service type
 */
abstract class ProviderRegistry<T> {
    final Discovery<T> discovery;
    private final Map<String, String> artifacts;

    ProviderRegistry(Discovery<T> discovery, Map<String, String> artifacts) {
        this.discovery = discovery;
        this.artifacts = artifacts;
    }

    /** Every id available: explicit and discovered, sorted. */
    public Set<String> installedIds() {
        return discovery.installedIds();
    }

    /** The artifact ({@code group:artifact}) that brings the provider {@code id}, or null for an id kbackup does not ship. */
    final String artifact(String id) {
        return artifacts.get(id);
    }

    /** The ids of the providers kbackup ships. */
    final Set<String> knownIds() {
        return artifacts.keySet();
    }

    /** Equal when of the same class, discovering through the same class loader and holding the same explicit providers. */
    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && discovery.equals(((ProviderRegistry<?>) o).discovery);
    }

    @Override
    public final int hashCode() {
        return discovery.hashCode();
    }
}
