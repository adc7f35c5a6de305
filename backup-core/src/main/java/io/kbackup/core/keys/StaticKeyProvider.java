package io.kbackup.core.keys;

import com.google.crypto.tink.subtle.AesGcmJce;
import io.kbackup.InvalidPlanException;
import io.kbackup.KeyUnavailableException;
import io.kbackup.spi.KeyProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Key provider {@value #ID}: 256-bit keys the host holds, by key id, that wrap each encrypted
 * backup's data key with AES-256-GCM (Tink's {@code AesGcmJce}), bound to the backup's name. Keep
 * every key id that wrapped a backup you may restore: rotating means adding a new key id and
 * pointing the location's {@link io.kbackup.Encryption} at it; old backups name their own.
 *
 * <p>Two ways to give the keys: explicitly, {@code StaticKeyProvider.builder().key("k1", bytes).build()}
 * passed with {@code KeyProviders.discover().with(provider)} (wins over discovery); or, for the
 * instance {@link java.util.ServiceLoader} finds, files {@code <keyId>.key} holding the key in
 * base64 in the folder named by the system property {@value #DIR_PROPERTY} or the environment
 * variable {@value #DIR_ENV}. Keys never appear in {@code toString()}, logs or exceptions.
 * Thread-safe.
 */
public final class StaticKeyProvider implements KeyProvider {
    /** The provider id. */
    public static final String ID = "static";
    /** System property naming the key folder of the discovered instance. */
    public static final String DIR_PROPERTY = "kbackup.staticKeys.dir";
    /** Environment variable naming the key folder of the discovered instance. */
    public static final String DIR_ENV = "KBACKUP_STATIC_KEYS_DIR";
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Map<String, byte[]> keys;

    /** The instance ServiceLoader makes: keys from the folder {@value #DIR_PROPERTY} / {@value #DIR_ENV}, read when needed. */
    public StaticKeyProvider() {
        this.keys = null;
    }

    private StaticKeyProvider(Map<String, byte[]> keys) {
        this.keys = keys;
    }

    /** A builder for an explicit instance. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public byte[] wrap(String keyId, byte[] dataKey, byte[] context) {
        try {
            return new AesGcmJce(key(keyId)).encrypt(dataKey, context);
        } catch (GeneralSecurityException e) {
            throw new KeyUnavailableException(ID, keyId, "Static key '" + keyId + "' could not wrap a data key ("
                    + e.getClass().getSimpleName() + ").", null, false);
        }
    }

    @Override
    public byte[] unwrap(String keyId, byte[] wrappedKey, byte[] context) {
        try {
            return new AesGcmJce(key(keyId)).decrypt(wrappedKey, context);
        } catch (GeneralSecurityException e) {
            throw new KeyUnavailableException(ID, keyId, "The data key does not unwrap with static key '" + keyId
                    + "': the key with that id is not the one that wrapped it, or the wrapped key was changed.", null, false);
        }
    }

    private byte[] key(String keyId) {
        if (keys != null) {
            byte[] k = keys.get(keyId);
            if (k == null) {
                throw new KeyUnavailableException(ID, keyId, "Static key '" + keyId + "' is not configured; the provider holds "
                        + keys.keySet() + ". Add it with StaticKeyProvider.builder().key(\"" + keyId + "\", ...).", null, false);
            }
            return k;
        }
        String dir = System.getProperty(DIR_PROPERTY, System.getenv(DIR_ENV));
        if (dir == null || dir.isBlank()) {
            throw new KeyUnavailableException(ID, keyId, "Static key '" + keyId + "' is needed but no key folder is set: set "
                    + DIR_PROPERTY + " or " + DIR_ENV + " to a folder holding " + keyId + ".key, or pass a configured"
                    + " StaticKeyProvider with KeyProviders.with(provider).", null, false);
        }
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new KeyUnavailableException(ID, keyId, "Static key id '" + keyId + "' is not a file name (letters, digits, '.', '_', '-').",
                    null, false);
        }
        Path file = Path.of(dir).resolve(keyId + ".key");
        try {
            return decode(keyId, Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new KeyUnavailableException(ID, keyId, "Static key '" + keyId + "' cannot be read from " + file + " ("
                    + e.getClass().getSimpleName() + ").", null, false);
        }
    }

    private static byte[] decode(String keyId, String base64) {
        byte[] k;
        try {
            k = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new KeyUnavailableException(ID, keyId, "Static key '" + keyId + "' is not base64.", null, false);
        }
        if (k.length != 32) {
            throw new KeyUnavailableException(ID, keyId, "Static key '" + keyId + "' is " + k.length + " bytes; it must be 32 (AES-256).",
                    null, false);
        }
        return k;
    }

    /** Shows the key ids only. */
    @Override
    public String toString() {
        return "StaticKeyProvider[" + (keys != null ? "keyIds=" + keys.keySet() : "folder from " + DIR_PROPERTY + "/" + DIR_ENV) + "]";
    }

    /** Builds a {@link StaticKeyProvider}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, byte[]> keys = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Adds a 32-byte key under {@code keyId} (copied).
         *
         * @throws InvalidPlanException when the key is not 32 bytes or the id is blank
         */
        public Builder key(String keyId, byte[] key) {
            Objects.requireNonNull(key, "key");
            if (keyId == null || keyId.isBlank()) {
                throw new InvalidPlanException("StaticKeyProvider: a key id is required.");
            }
            if (key.length != 32) {
                throw new InvalidPlanException("StaticKeyProvider: key '" + keyId + "' is " + key.length + " bytes; it must be 32 (AES-256).");
            }
            keys.put(keyId, key.clone());
            return this;
        }

        /** Adds a key given in base64. */
        public Builder keyBase64(String keyId, String base64) {
            return key(keyId, Base64.getDecoder().decode(Objects.requireNonNull(base64, "base64").strip()));
        }

        public StaticKeyProvider build() {
            return new StaticKeyProvider(java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(keys)));
        }
    }
}
