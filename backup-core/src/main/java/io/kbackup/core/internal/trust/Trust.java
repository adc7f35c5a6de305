package io.kbackup.core.internal.trust;

import io.kbackup.BackupLocation;
import io.kbackup.Encryption;
import io.kbackup.KBackupException;
import io.kbackup.KeyUnavailableException;
import io.kbackup.ManifestKey;
import io.kbackup.core.internal.layout.BackupManifest;
import io.kbackup.core.internal.layout.ManifestSignature;
import io.kbackup.spi.KeyProvider;
import io.kbackup.spi.KeyProviders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The engine's trust settings: where data keys are wrapped and unwrapped, the key that signs new
 * manifests, the keys that verify them, and whether an unsigned manifest is refused. Immutable.
 *
 * @param keys             the key providers
 * @param signingKey       signs new backups' manifests, or null
 * @param verificationKeys verify manifests' signatures (the signing key among them)
 * @param requireSignature whether a backup whose manifest is unsigned (or missing) is refused
 */
public record Trust(KeyProviders keys, ManifestKey signingKey, List<ManifestKey> verificationKeys, boolean requireSignature) {

    public Trust {
        Objects.requireNonNull(keys, "keys");
        List<ManifestKey> all = new ArrayList<>();
        if (signingKey != null) {
            all.add(signingKey);
        }
        for (ManifestKey k : verificationKeys) {
            if (signingKey == null || k != signingKey) {
                all.add(k);
            }
        }
        verificationKeys = List.copyOf(all);
    }

    /** Discovered key providers, no signing, no verification. */
    public static Trust defaults() {
        return new Trust(KeyProviders.discover(), null, List.of(), false);
    }

    /**
     * A new backup's encryption: a fresh data key wrapped by the location's key, or null when the
     * location does not encrypt.
     *
     * @throws KeyUnavailableException when the key provider is missing or refuses
     */
    public Sealing seal(BackupLocation location, String backup) {
        Encryption e = location.encryption().orElse(null);
        if (e == null) {
            return null;
        }
        KeyProvider provider = keys.provider(e.keyProvider(), e.keyId());
        byte[][] wrapped = new byte[1][];
        DataCipher cipher = DataCipher.generate(backup, key -> wrapped[0] = wrap(provider, e, key, backup));
        return new Sealing(cipher, new BackupManifest.Encrypted(Encryption.ALGORITHM, e.keyProvider(), e.keyId(), wrapped[0]));
    }

    private static byte[] wrap(KeyProvider provider, Encryption e, byte[] key, String backup) {
        try {
            return provider.wrap(e.keyId(), key, context(backup));
        } catch (KeyUnavailableException x) {
            throw x;
        } catch (RuntimeException x) {
            throw new KeyUnavailableException(e.keyProvider(), e.keyId(), "Key provider '" + e.keyProvider() + "' could not wrap the"
                    + " data key of backup '" + backup + "' with key '" + e.keyId() + "': " + describe(x)
                    + ". Nothing was written; check the key and the provider's access.", x,
                    x instanceof KBackupException k && k.retryable());
        }
    }

    /**
     * The cipher of an encrypted backup, its data key unwrapped by the provider and key its manifest names.
     *
     * @throws KeyUnavailableException when that provider or key is not available, or refuses
     */
    public DataCipher open(String backup, BackupManifest.Encrypted e) {
        if (!Encryption.ALGORITHM.equals(e.algorithm())) {
            throw new KeyUnavailableException(e.keyProvider(), e.keyId(), "Backup '" + backup + "' is encrypted with '" + e.algorithm()
                    + "', which this version of kbackup does not know (it knows " + Encryption.ALGORITHM + "). Upgrade kbackup.",
                    null, false);
        }
        byte[] key;
        try {
            key = keys.provider(e.keyProvider(), e.keyId()).unwrap(e.keyId(), e.wrappedKey(), context(backup));
        } catch (KeyUnavailableException x) {
            throw new KeyUnavailableException(e.keyProvider(), e.keyId(), "Backup '" + backup + "' is encrypted and its data key cannot"
                    + " be unwrapped with key '" + e.keyId() + "' of key provider '" + e.keyProvider() + "': " + x.getMessage()
                    + " Nothing was restored. Configure that provider and key (DirectOptions.keyProviders) to read it.", x, x.retryable());
        } catch (RuntimeException x) {
            throw new KeyUnavailableException(e.keyProvider(), e.keyId(), "Backup '" + backup + "' is encrypted and key provider '"
                    + e.keyProvider() + "' failed to unwrap its data key with key '" + e.keyId() + "': " + describe(x)
                    + ". Nothing was restored.", x, x instanceof KBackupException k && k.retryable());
        }
        try {
            return DataCipher.of(key, backup);
        } catch (IllegalArgumentException x) {
            throw new KeyUnavailableException(e.keyProvider(), e.keyId(), "Backup '" + backup + "': key provider '" + e.keyProvider()
                    + "' unwrapped a data key of the wrong size with key '" + e.keyId() + "'. Nothing was restored.", null, false);
        }
    }

    /** The signature of a manifest's bytes, or null when no signing key is set. */
    public ManifestSignature sign(byte[] manifest) {
        return signingKey == null ? null
                : new ManifestSignature(signingKey.algorithm().jdkName(), signingKey.keyId(), signingKey.sign(manifest));
    }

    /** The verification key of that id, or null. */
    public ManifestKey verificationKey(String keyId) {
        for (ManifestKey k : verificationKeys) {
            if (k.keyId().equals(keyId)) {
                return k;
            }
        }
        return null;
    }

    /** Bound to each wrapped data key: the backup's name (a key moved to another backup does not unwrap). */
    static byte[] context(String backup) {
        return ("kbackup/1/" + backup).getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * A new backup's cipher and what its manifest records of it.
     *
     * @param cipher    encrypts the backup's files
     * @param encrypted the manifest's encryption block
     */
    public record Sealing(DataCipher cipher, BackupManifest.Encrypted encrypted) {}
}
