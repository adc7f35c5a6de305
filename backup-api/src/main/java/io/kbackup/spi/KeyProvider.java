package io.kbackup.spi;

/**
 * Wraps and unwraps the data keys of encrypted backups (see {@link io.kbackup.Encryption}) with a
 * key it holds or reaches: a static key the host holds ({@code static}, in backup-core), AWS KMS
 * ({@code aws-kms}, in backup-storage-s3), Google Cloud KMS ({@code gcp-kms}, in backup-storage-gcs),
 * Azure Key Vault ({@code azure-key-vault}, in backup-storage-azure), ... Providers are found by id through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.kbackup.spi.KeyProvider}, public
 * no-argument constructor, configured from the environment), or passed explicitly with
 * {@link KeyProviders#with(KeyProvider)}, which always wins.
 *
 * <p>Implementations never put key material in exceptions, logs or {@code toString()}; they throw
 * {@link io.kbackup.KeyUnavailableException} when a key id is unknown or the key service refuses,
 * with {@code retryable} true only when the service was unreachable. Thread-safe.
 */
public interface KeyProvider {

    /** The id locations name this provider by in {@link io.kbackup.Encryption#keyProvider()}. */
    String id();

    /**
     * Wraps (encrypts and authenticates) a backup's data key with the key {@code keyId}.
     *
     * @param dataKey the data key (32 random bytes); not kept
     * @param context bound to the wrapped key (the backup's name): unwrapping needs the same bytes
     * @return the wrapped key, stored in the backup's manifest
     */
    byte[] wrap(String keyId, byte[] dataKey, byte[] context);

    /**
     * Unwraps a data key that {@link #wrap} returned for {@code keyId} and {@code context}.
     *
     * @throws io.kbackup.KeyUnavailableException when the key is unknown, or the wrapped key or
     *                                            context do not match
     */
    byte[] unwrap(String keyId, byte[] wrappedKey, byte[] context);
}
