package io.kbackup.spi.support;

import io.kbackup.BackupLocation;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviderFactory;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@link StorageProviderFactory} made of its id, its configuration keys and the provider's
 * constructor, which is what a provider's factory usually is. A subclass has the public no-argument
 * constructor {@link java.util.ServiceLoader} needs:
 *
 * <pre>{@code
 * public final class AcmeStorageProviderFactory extends SimpleStorageProviderFactory {
 *     public AcmeStorageProviderFactory() {
 *         super("acme", AcmeConfig.KEYS, location -> new AcmeStorageProvider(AcmeSettings.of(location)));
 *     }
 * }
 * }</pre>
 *
 * Thread-safe when the constructor function is.
 */
public abstract class SimpleStorageProviderFactory implements StorageProviderFactory {
    private final String id;
    private final Set<String> configKeys;
    private final Function<BackupLocation, StorageProvider> create;

    /**
     * @param id         the provider id
     * @param configKeys the configuration keys the provider accepts
     * @param create     makes a provider for a location, without contacting the service
     */
    protected SimpleStorageProviderFactory(String id, Set<String> configKeys, Function<BackupLocation, StorageProvider> create) {
        this.id = Objects.requireNonNull(id, "id");
        this.configKeys = Set.copyOf(configKeys);
        this.create = Objects.requireNonNull(create, "create");
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Set<String> configKeys() {
        return configKeys;
    }

    @Override
    public final StorageProvider create(BackupLocation location) {
        return create.apply(location);
    }
}
