package io.kbackup;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key that signs or verifies a backup's {@code kbackup-manifest.json} (written as
 * {@code kbackup-manifest.sig} beside it): Ed25519 (the JDK's {@code Ed25519} signature; a host
 * that only verifies needs just the public key) or HMAC-SHA256 (one shared secret signs and
 * verifies). The manifest holds the SHA-256 of the tarball and of every side file, so a signature
 * over it catches an attacker who rewrites both the archive and the manifest. Velero ignores both
 * files. Immutable and thread-safe; {@code toString()} shows the id and algorithm only.
 *
 * <pre>{@code
 * KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
 * DirectOptions options = DirectOptions.builder()
 *         .signingKey(ManifestKey.ed25519("ops-2026", pair.getPrivate(), pair.getPublic()))
 *         .build();
 * }</pre>
 */
public final class ManifestKey {

    /** The signature algorithms. */
    public enum Algorithm {
        /** Ed25519 public-key signatures (RFC 8032). */
        ED25519("Ed25519"),
        /** HMAC with SHA-256 and a shared secret. */
        HMAC_SHA256("HmacSHA256");

        private final String jdkName;

        Algorithm(String jdkName) {
            this.jdkName = jdkName;
        }

        /** The name written in the signature file. */
        public String jdkName() {
            return jdkName;
        }
    }

    private final String keyId;
    private final Algorithm algorithm;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final byte[] secret;

    private ManifestKey(String keyId, Algorithm algorithm, PrivateKey privateKey, PublicKey publicKey, byte[] secret) {
        if (keyId == null || keyId.isBlank()) {
            throw new InvalidPlanException("ManifestKey: keyId is required (it is written beside the signature).");
        }
        this.keyId = keyId;
        this.algorithm = algorithm;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.secret = secret;
    }

    /** An Ed25519 key pair: signs, and verifies. */
    public static ManifestKey ed25519(String keyId, PrivateKey privateKey, PublicKey publicKey) {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        return new ManifestKey(keyId, Algorithm.ED25519, privateKey, publicKey, null);
    }

    /** An Ed25519 public key: verifies only. */
    public static ManifestKey ed25519Public(String keyId, PublicKey publicKey) {
        Objects.requireNonNull(publicKey, "publicKey");
        return new ManifestKey(keyId, Algorithm.ED25519, null, publicKey, null);
    }

    /**
     * An HMAC-SHA256 secret (at least 32 bytes): signs and verifies. The array is copied.
     *
     * @throws InvalidPlanException when the secret is shorter than 32 bytes
     */
    public static ManifestKey hmacSha256(String keyId, byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 32) {
            throw new InvalidPlanException("ManifestKey '" + keyId + "': an HMAC-SHA256 secret needs at least 32 bytes, got "
                    + secret.length + ".");
        }
        return new ManifestKey(keyId, Algorithm.HMAC_SHA256, null, null, secret.clone());
    }

    /** The key's id, written beside each signature so that verification picks the right key. */
    public String keyId() {
        return keyId;
    }

    /** The algorithm. */
    public Algorithm algorithm() {
        return algorithm;
    }

    /** Whether this key can sign (an Ed25519 public key cannot). */
    public boolean canSign() {
        return algorithm == Algorithm.HMAC_SHA256 || privateKey != null;
    }

    /**
     * Signs {@code data}.
     *
     * @throws InvalidPlanException when this key cannot sign, or the JDK refuses the key
     */
    public byte[] sign(byte[] data) {
        if (!canSign()) {
            throw new InvalidPlanException("ManifestKey '" + keyId + "' is an Ed25519 public key: it verifies but cannot sign."
                    + " Give the key pair to sign.");
        }
        try {
            if (algorithm == Algorithm.HMAC_SHA256) {
                return mac().doFinal(data);
            }
            Signature s = Signature.getInstance(algorithm.jdkName());
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new InvalidPlanException("ManifestKey '" + keyId + "' cannot sign: " + e.getClass().getSimpleName()
                    + ". Check that it is an " + algorithm + " key.");
        }
    }

    /** Whether {@code signature} is this key's signature of {@code data}; false for any malformed input. */
    public boolean verify(byte[] data, byte[] signature) {
        try {
            if (algorithm == Algorithm.HMAC_SHA256) {
                return MessageDigest.isEqual(mac().doFinal(data), signature);
            }
            Signature s = Signature.getInstance(algorithm.jdkName());
            s.initVerify(publicKey);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private Mac mac() throws GeneralSecurityException {
        Mac mac = Mac.getInstance(algorithm.jdkName());
        mac.init(new SecretKeySpec(secret, algorithm.jdkName()));
        return mac;
    }

    /** Never shows key material. */
    @Override
    public String toString() {
        return "ManifestKey[keyId=" + keyId + ", algorithm=" + algorithm + (canSign() ? "" : ", verify-only") + "]";
    }
}
