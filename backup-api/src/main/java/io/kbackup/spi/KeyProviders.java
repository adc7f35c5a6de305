package io.kbackup.spi;

import io.kbackup.InvalidPlanException;
import io.kbackup.KeyUnavailableException;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Finds {@link KeyProvider}s by id: the ones passed to {@link #with(KeyProvider)} first, then those
 * on the class path through {@link ServiceLoader}. Immutable and thread-safe.
 *
 * <pre>{@code
 * KeyProviders keys = KeyProviders.discover().with(StaticKeyProvider.builder().key("k1", secret32Bytes).build());
 * }</pre>
 */
public final class KeyProviders extends ProviderRegistry<KeyProvider> {

    /** Which artifact brings which provider id, for the "add this dependency" message. */
    private static final Map<String, String> ARTIFACTS = Map.of(
            "static", "io.kbackup:backup-core",
            "aws-kms", "io.kbackup:backup-storage-s3",
            "gcp-kms", "io.kbackup:backup-storage-gcs",
            "azure-key-vault", "io.kbackup:backup-storage-azure");

    private KeyProviders(Discovery<KeyProvider> discovery) {
        super(discovery, ARTIFACTS);
    }

    /** Discovery through the thread context class loader (or this class's loader when unset). */
    public static KeyProviders discover() {
        return new KeyProviders(Discovery.of(KeyProvider.class, KeyProvider::id, "key provider", null));
    }

    /** A copy that uses {@code provider} for its id, ahead of anything discovered. */
    public KeyProviders with(KeyProvider provider) {
        return new KeyProviders(discovery.with(Objects.requireNonNull(provider, "provider")));
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
        KeyProvider p = discovery.find(id, "KeyProviders.with(provider)");
        if (p == null) {
            String artifact = artifact(id);
            throw new KeyUnavailableException(id, keyId, "No key provider with id '" + id + "' is available (key id '" + keyId
                    + "'). Installed: " + installedIds() + ". " + (artifact != null ? "Add the dependency " + artifact
                            + " or pass a configured provider with KeyProviders.with(provider)."
                            : "Pass a provider with that id with KeyProviders.with(provider)."), null, false);
        }
        return p;
    }

    @Override
    public String toString() {
        return "KeyProviders[explicit=" + discovery.explicitIds() + "]";
    }
}
