package io.kbackup.core.internal.trust;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.util.SecretBytes;
import io.kbackup.Encryption;
import io.kbackup.core.internal.NonClosingOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * One backup's data key as Tink's {@code AES256_GCM_HKDF_1MB} streaming AEAD: each file of the
 * backup is encrypted with associated data {@code kbackup/1/<backup>/<file>}, so a file moved to
 * another name or backup fails to decrypt, as does a changed, reordered or truncated segment.
 * Memory: one 1 MiB segment per open stream. The key never leaves this object except once, to be
 * wrapped ({@link #generate}). Thread-safe.
 */
public final class DataCipher {
    /** Bytes of a data key. */
    static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StreamingAead aead;
    private final String backup;

    private DataCipher(byte[] key, String backup) {
        try {
            AesGcmHkdfStreamingKey k = AesGcmHkdfStreamingKey.create(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB,
                    SecretBytes.copyFrom(key, InsecureSecretKeyAccess.get()));
            this.aead = AesGcmHkdfStreaming.create(k);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink refused a " + key.length + "-byte " + Encryption.ALGORITHM + " key: "
                    + e.getClass().getSimpleName(), e);
        }
        this.backup = backup;
    }

    /** A fresh random data key for {@code backup}; {@code wrap} receives its bytes once (then they are cleared). */
    static DataCipher generate(String backup, java.util.function.Consumer<byte[]> wrap) {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        try {
            wrap.accept(key);
            return new DataCipher(key, backup);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The cipher of an unwrapped data key (cleared afterwards). */
    static DataCipher of(byte[] key, String backup) {
        try {
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("a data key is " + KEY_BYTES + " bytes, this one " + key.length);
            }
            return new DataCipher(key, backup);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** What each file's ciphertext is bound to. */
    private byte[] associatedData(String file) {
        return ("kbackup/1/" + backup + "/" + file).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * An encrypting stream into {@code sink}; its {@code close()} writes the last segment and does
     * not close {@code sink}.
     *
     * @param file the file's name within the backup's folder
     */
    public OutputStream encrypting(OutputStream sink, String file) throws IOException {
        try {
            return aead.newEncryptingStream(new NonClosingOutputStream(sink), associatedData(file));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot start encrypting " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * A decrypting stream over {@code ciphertext}: a read fails with an {@link IOException} when a
     * segment does not authenticate (changed, reordered, truncated, another key or file).
     */
    public InputStream decrypting(InputStream ciphertext, String file) throws IOException {
        try {
            return aead.newDecryptingStream(ciphertext, associatedData(file));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot start decrypting " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** {@code plain} encrypted as the file {@code file}. */
    public byte[] encrypt(byte[] plain, String file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length + 64);
        try (OutputStream enc = encrypting(out, file)) {
            enc.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The file {@code file} decrypted.
     *
     * @throws IOException when it does not authenticate
     */
    public byte[] decrypt(byte[] stored, String file) throws IOException {
        try (InputStream in = decrypting(new ByteArrayInputStream(stored), file)) {
            return in.readAllBytes();
        }
    }

    @Override
    public String toString() {
        return "DataCipher[" + Encryption.ALGORITHM + ", backup=" + backup + "]";
    }
}
