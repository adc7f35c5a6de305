package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.CorruptBackupException;
import java.io.IOException;
import java.util.Base64;

/**
 * The signature of a backup's {@code kbackup-manifest.json}, stored beside it as
 * {@code kbackup-manifest.sig} ({@link BucketLayout#manifestSignature(String)}); Velero ignores it.
 * It signs the manifest's exact stored bytes. Shape (compact JSON and {@code \n}):
 * {@code {"algorithm":"Ed25519","keyId":"ops-2026","signature":"(base64)"}}; {@code algorithm} is
 * {@code Ed25519} or {@code HmacSHA256}.
 *
 * @param algorithm the JDK name of the algorithm
 * @param keyId     the signing key's id
 * @param signature the signature bytes
 */
public record ManifestSignature(String algorithm, String keyId, byte[] signature) {

    /** The bytes stored. */
    public byte[] toBytes() {
        ObjectNode n = GzipJson.MAPPER.createObjectNode();
        n.put("algorithm", algorithm);
        n.put("keyId", keyId);
        n.put("signature", Base64.getEncoder().encodeToString(signature));
        return GzipJson.json(n);
    }

    /**
     * Parses a stored signature.
     *
     * @throws CorruptBackupException when it is not one
     */
    public static ManifestSignature parse(String backup, byte[] bytes) {
        try {
            JsonNode n = GzipJson.MAPPER.readTree(bytes);
            if (n != null && n.path("algorithm").isTextual() && n.path("keyId").isTextual() && n.path("signature").isTextual()) {
                return new ManifestSignature(n.get("algorithm").asText(), n.get("keyId").asText(),
                        Base64.getDecoder().decode(n.get("signature").asText()));
            }
        } catch (IOException | IllegalArgumentException e) {
            // refused below
        }
        throw new CorruptBackupException(backup, "Backup '" + backup + "': its " + BucketLayout.MANIFEST_SIGNATURE_FILE
                + " is not a signature (JSON with algorithm, keyId and a base64 signature). Nothing was restored.");
    }
}
