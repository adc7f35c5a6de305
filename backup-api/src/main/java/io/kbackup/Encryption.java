package io.kbackup;

import java.util.List;

/**
 * Client-side encryption of the backups written to a location (opt-in, see
 * {@link BackupLocation.Builder#encryption(Encryption)}): each backup gets a fresh random data key;
 * its tarball and every file beside it except {@code velero-backup.json} (and kbackup's own
 * {@code kbackup-manifest.json}, which says how to decrypt) are encrypted with Tink's streaming AEAD
 * {@value #ALGORITHM} (1 MiB authenticated segments: a changed, removed, reordered or truncated
 * segment is detected). The data key is stored only wrapped by the key {@link #keyId()} of the
 * {@link io.kbackup.spi.KeyProvider} {@link #keyProvider()} ({@code static}: a key the host holds;
 * {@code aws-kms}: an AWS KMS key; {@code gcp-kms}: a Google Cloud KMS key; {@code azure-key-vault}: an
 * Azure Key Vault key). The manifest records the provider, the key id and the algorithm,
 * never a key, so rotating to a new key id leaves old backups restorable with theirs.
 *
 * <p>Velero compatibility: an encrypted backup is listed by Velero (its {@code velero-backup.json}
 * stays plain, labelled {@value #LABEL}) but only kbackup restores it. Immutable; holds no secret.
 *
 * <pre>{@code
 * BackupLocation location = BackupLocation.s3("team-backups")
 *         .encryption(Encryption.with("aws-kms", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-..."))
 *         .build();
 * }</pre>
 */
public final class Encryption extends ValueObject {

    /** The one algorithm written: Tink's {@code AES256_GCM_HKDF_1MB} streaming AEAD. */
    public static final String ALGORITHM = "AES256_GCM_HKDF_1MB";

    /**
     * The label on an encrypted backup's {@code velero-backup.json} (and so on the Backup resource a
     * Velero server syncs from it), value {@value #ALGORITHM}.
     */
    public static final String LABEL = "kbackup.io/encryption";

    private final String keyProvider;
    private final String keyId;

    private Encryption(String keyProvider, String keyId) {
        this.keyProvider = keyProvider;
        this.keyId = keyId;
    }

    /**
     * Encryption with the key {@code keyId} of the key provider {@code keyProvider}.
     *
     * @throws InvalidPlanException when either is blank
     */
    public static Encryption with(String keyProvider, String keyId) {
        if (keyProvider == null || keyProvider.isBlank()) {
            throw new InvalidPlanException("Encryption: keyProvider is required (static, aws-kms, gcp-kms, azure-key-vault, ...).");
        }
        if (keyId == null || keyId.isBlank()) {
            throw new InvalidPlanException("Encryption: keyId is required (the id of the key that wraps each backup's data key).");
        }
        return new Encryption(keyProvider, keyId);
    }

    /** The id of the {@link io.kbackup.spi.KeyProvider} that wraps data keys. */
    public String keyProvider() {
        return keyProvider;
    }

    /** The id of the key (within the provider) that wraps new backups' data keys. Not a secret. */
    public String keyId() {
        return keyId;
    }

    /** {@value #ALGORITHM}. */
    public String algorithm() {
        return ALGORITHM;
    }

    @Override
    List<Object> values() {
        return List.of(keyProvider, keyId);
    }

    @Override
    public String toString() {
        return "Encryption[" + ALGORITHM + ", keyProvider=" + keyProvider + ", keyId=" + keyId + "]";
    }
}
