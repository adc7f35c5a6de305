package io.kbackup.core.internal.trust;

import io.kbackup.CorruptBackupException;
import io.kbackup.ManifestKey;
import io.kbackup.VerifyReport.SignatureStatus;
import io.kbackup.core.internal.layout.ArchiveReader;
import io.kbackup.core.internal.layout.BackupManifest;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.ManifestSignature;
import io.kbackup.spi.StorageProvider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a backup's manifest vouches for, read and checked before anything else of the backup is
 * read: the manifest (or none: Velero wrote the backup), its signature against the engine's
 * verification keys, and for an encrypted backup the cipher of its data key. Refuses (with
 * {@link CorruptBackupException}) a manifest of another backup, a bad or unknown signature, an
 * unsigned manifest when signatures are required, and a backup whose {@code velero-backup.json}
 * says encrypted but whose manifest does not (a downgrade); throws
 * {@link io.kbackup.KeyUnavailableException} when the data key cannot be unwrapped.
 *
 * @param manifest  the manifest, or null when the backup has none
 * @param cipher    the data key's cipher of an encrypted backup, or null
 * @param signature what the signature showed
 * @param signedBy  the signing key's id, or null
 * @param warnings  what cannot be proven, for the restore's warnings
 */
public record SealedBackup(BackupManifest manifest, DataCipher cipher, SignatureStatus signature, String signedBy,
        List<String> warnings) {

    /**
     * Reads and checks the manifest of {@code backup}.
     *
     * @param labelledEncrypted whether its {@code velero-backup.json} carries the encryption label
     */
    public static SealedBackup read(StorageProvider storage, BucketLayout layout, String backup, boolean labelledEncrypted, Trust trust) {
        String key = layout.manifest(backup);
        List<String> warnings = new ArrayList<>();
        if (!storage.exists(key)) {
            if (labelledEncrypted) {
                throw refuse(backup, "its velero-backup.json says it is encrypted, but its manifest " + key
                        + " (which holds the wrapped data key) is missing");
            }
            if (trust.requireSignature()) {
                throw refuse(backup, "it has no manifest to verify (Velero wrote it, or the manifest was deleted), and this engine"
                        + " requires signed manifests (DirectOptions.requireSignature)");
            }
            return new SealedBackup(null, null, SignatureStatus.NO_MANIFEST, null, List.of());
        }
        byte[] bytes = storage.getBytes(key);
        BackupManifest manifest;
        try {
            manifest = BackupManifest.parse(backup, bytes);
        } catch (CorruptBackupException e) {
            throw new CorruptBackupException(backup, "Backup '" + backup + "': its integrity manifest " + key + " is unusable: "
                    + e.getMessage() + " Nothing was restored.", e);
        }
        if (!manifest.backupName().equals(backup) || !manifest.tarballKey().equals(backup + ".tar.gz")) {
            throw new CorruptBackupException(backup, "Backup '" + backup + "': its integrity manifest " + key
                    + " describes backup '" + manifest.backupName() + "' (" + manifest.tarballKey() + "), not this one. Nothing was restored.");
        }
        SignatureStatus status;
        String signedBy = null;
        String sigKey = layout.manifestSignature(backup);
        if (storage.exists(sigKey)) {
            ManifestSignature sig = ManifestSignature.parse(backup, storage.getBytes(sigKey));
            signedBy = sig.keyId();
            if (trust.verificationKeys().isEmpty()) {
                status = SignatureStatus.UNVERIFIED;
                warnings.add("backup " + backup + " is signed with key '" + sig.keyId() + "', but no verification key is configured"
                        + " (DirectOptions.verificationKeys): its signature was not checked");
            } else {
                ManifestKey k = trust.verificationKey(sig.keyId());
                if (k == null) {
                    throw refuse(backup, "its manifest is signed with key '" + sig.keyId() + "', which is not among the verification keys "
                            + ids(trust) + " (a manifest signed by an unknown key proves nothing); add that key to"
                            + " DirectOptions.verificationKeys if it is yours");
                }
                if (!k.algorithm().jdkName().equals(sig.algorithm()) || !k.verify(bytes, sig.signature())) {
                    throw refuse(backup, "its manifest's signature (key '" + sig.keyId() + "', " + sig.algorithm()
                            + ") does not verify: the manifest or its signature was changed after the backup");
                }
                status = SignatureStatus.VALID;
            }
        } else {
            status = SignatureStatus.UNSIGNED;
            if (trust.requireSignature()) {
                throw refuse(backup, "its manifest is not signed, and this engine requires signed manifests"
                        + " (DirectOptions.requireSignature)");
            }
            if (!trust.verificationKeys().isEmpty()) {
                warnings.add("backup " + backup + " has an unsigned manifest although verification keys are configured: its"
                        + " integrity rests on an unsigned checksum (set DirectOptions.requireSignature to refuse such backups)");
            }
        }
        if (labelledEncrypted && manifest.encryption() == null) {
            throw refuse(backup, "its velero-backup.json says it is encrypted, but its manifest records no encryption (the"
                    + " manifest was replaced)");
        }
        DataCipher cipher = manifest.encryption() == null ? null : trust.open(backup, manifest.encryption());
        return new SealedBackup(manifest, cipher, status, signedBy, List.copyOf(warnings));
    }

    /** The tarball's expected checksum and size, or null without a manifest. */
    public ArchiveReader.Expected expected() {
        return manifest == null ? null : new ArchiveReader.Expected(manifest.tarballSha256(), manifest.tarballSize());
    }

    /** Whether the backup is encrypted. */
    public boolean encrypted() {
        return cipher != null;
    }

    /**
     * The decrypting view of a stored file's stream ({@code in} itself for a plain backup): a read
     * fails with {@link DecryptFailedException} when the file does not authenticate, and with
     * {@code in}'s own exception when the storage fails.
     */
    public InputStream plain(InputStream in, String key) {
        if (cipher == null) {
            return in;
        }
        boolean[] sourceFailed = {false};
        InputStream source = new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                try {
                    return in.read();
                } catch (IOException e) {
                    sourceFailed[0] = true;
                    throw e;
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return in.read(b, off, len);
                } catch (IOException e) {
                    sourceFailed[0] = true;
                    throw e;
                }
            }
        };
        InputStream decrypting;
        try {
            decrypting = cipher.decrypting(source, fileName(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FilterInputStream(decrypting) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n <= 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return in.read(b, off, len);
                } catch (IOException e) {
                    if (sourceFailed[0]) {
                        throw e;
                    }
                    throw new DecryptFailedException(key, e);
                }
            }

            @Override
            public long skip(long n) throws IOException {
                byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
                int r = read(buf, 0, (int) Math.min(buf.length, n));
                return Math.max(r, 0);
            }
        };
    }

    /** A stored file of an encrypted backup does not authenticate: changed, reordered, truncated, or another key. */
    public static final class DecryptFailedException extends IOException {
        private static final long serialVersionUID = 1L;

        DecryptFailedException(String key, IOException cause) {
            super(key + " does not decrypt (" + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName())
                    + "): it was changed, truncated or reordered, or encrypted with another key", cause);
        }
    }

    /** The part of a key after the last {@code /}: the file's name within its backup folder. */
    public static String fileName(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    private static String ids(Trust trust) {
        List<String> ids = new ArrayList<>();
        trust.verificationKeys().forEach(k -> ids.add(k.keyId()));
        return ids.toString();
    }

    private static CorruptBackupException refuse(String backup, String why) {
        return new CorruptBackupException(backup, "Backup '" + backup + "' cannot be trusted: " + why + ". Nothing was restored.");
    }
}
