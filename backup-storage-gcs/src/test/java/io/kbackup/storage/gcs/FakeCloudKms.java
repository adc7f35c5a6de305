package io.kbackup.storage.gcs;

import com.google.api.client.json.GenericJson;
import com.google.api.client.json.JsonFactory;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.cloudkms.v1.model.DecryptRequest;
import com.google.api.services.cloudkms.v1.model.DecryptResponse;
import com.google.api.services.cloudkms.v1.model.EncryptRequest;
import com.google.api.services.cloudkms.v1.model.EncryptResponse;
import com.sun.net.httpserver.HttpExchange;
import io.kbackup.testkit.servers.FakeKeyService;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32C;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A small fake of Cloud KMS's REST API on 127.0.0.1, for tests: no emulator of Cloud KMS exists.
 * It serves {@code POST /v1/{cryptoKey}:encrypt} and {@code :decrypt} for
 * {@code projects/*}{@code /locations/*}{@code /keyRings/*}{@code /cryptoKeys/*} names as Cloud KMS
 * documents them: encrypt uses the key's primary version and answers its version name; the
 * ciphertext carries the version, so decrypt finds it after a rotation; additional authenticated
 * data is bound (AES-256-GCM per version); CRC32C checksums are verified both ways; unknown keys
 * answer 404 {@code NOT_FOUND}, denied ones 403 {@code PERMISSION_DENIED}, a disabled version 400
 * {@code FAILED_PRECONDITION} and a ciphertext that does not decrypt 400 {@code INVALID_ARGUMENT},
 * in Google's error shape. No authentication. Not Cloud KMS: its ciphertext format is its own.
 */
final class FakeCloudKms extends FakeKeyService {
    private static final JsonFactory JSON = GsonFactory.getDefaultInstance();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The versions of one CryptoKey, 1-based as Cloud KMS numbers them. */
    private static final class Key {
        final List<SecretKey> versions = new CopyOnWriteArrayList<>();
        final Set<Integer> disabled = ConcurrentHashMap.newKeySet();
        volatile int primary;
    }

    private final Map<String, Key> keys = new ConcurrentHashMap<>();

    FakeCloudKms() throws IOException {
        super("/v1/");
    }

    /** Creates a CryptoKey with one enabled primary version; returns its resource name. */
    String createKey(String ring, String name) {
        String full = "projects/kbackup-test/locations/global/keyRings/" + ring + "/cryptoKeys/" + name;
        Key key = new Key();
        keys.put(full, key);
        rotate(full);
        return full;
    }

    /** Adds a new version and makes it the primary (what Cloud KMS's rotation does); returns its number. */
    int rotate(String key) {
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES");
            g.init(256);
            Key k = keys.get(key);
            k.versions.add(g.generateKey());
            k.primary = k.versions.size();
            return k.primary;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes the key: from now on it answers 404 (what a project without it answers). */
    void delete(String key) {
        keys.remove(key);
    }

    int primary(String key) {
        return keys.get(key).primary;
    }

    void disable(String key, int version) {
        keys.get(key).disabled.add(version);
    }

    @Override
    protected void handle(HttpExchange exchange, String fullPath, byte[] body) throws IOException {
        try {
            String path = fullPath.substring("/v1/".length());
            int colon = path.lastIndexOf(':');
            if (!"POST".equals(exchange.getRequestMethod()) || colon < 0) {
                error(exchange, 404, "NOT_FOUND", "Method not found.");
                return;
            }
            String name = path.substring(0, colon);
            String method = path.substring(colon + 1);
            Key key = keys.get(name);
            if (isDenied(name)) {
                error(exchange, 403, "PERMISSION_DENIED", "Permission 'cloudkms.cryptoKeyVersions.useTo" + (method.equals("encrypt") ? "Encrypt"
                        : "Decrypt") + "' denied on resource '" + name + "' (or it may not exist).");
            } else if (key == null) {
                error(exchange, 404, "NOT_FOUND", name + " not found.");
            } else if (method.equals("encrypt")) {
                encrypt(exchange, name, key, JSON.fromString(new String(body, StandardCharsets.UTF_8), EncryptRequest.class));
            } else if (method.equals("decrypt")) {
                decrypt(exchange, name, key, JSON.fromString(new String(body, StandardCharsets.UTF_8), DecryptRequest.class));
            } else {
                error(exchange, 404, "NOT_FOUND", "Method " + method + " not found.");
            }
        } catch (GeneralSecurityException e) {
            error(exchange, 500, "INTERNAL", e.toString());
        }
    }

    private void encrypt(HttpExchange exchange, String name, Key key, EncryptRequest r) throws IOException, GeneralSecurityException {
        byte[] plain = r.decodePlaintext();
        byte[] aad = orEmpty(r.decodeAdditionalAuthenticatedData());
        if (checksumRefused(exchange, "plaintext", plain, r.getPlaintextCrc32c(), aad, r.getAdditionalAuthenticatedDataCrc32c())) {
            return;
        }
        int version = key.primary;
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, key.versions.get(version - 1), new GCMParameterSpec(128, iv));
        gcm.updateAAD(aad);
        byte[] sealed = gcm.doFinal(plain);
        byte[] ciphertext = ByteBuffer.allocate(4 + iv.length + sealed.length).putInt(version).put(iv).put(sealed).array();
        served("encrypt " + name + " -> " + version);
        respond(exchange, new EncryptResponse().setName(name + "/cryptoKeyVersions/" + version).encodeCiphertext(ciphertext)
                .setCiphertextCrc32c(crc(ciphertext)).setVerifiedPlaintextCrc32c(r.getPlaintextCrc32c() != null)
                .setVerifiedAdditionalAuthenticatedDataCrc32c(r.getAdditionalAuthenticatedDataCrc32c() != null)
                .setProtectionLevel("SOFTWARE"));
    }

    private void decrypt(HttpExchange exchange, String name, Key key, DecryptRequest r) throws IOException, GeneralSecurityException {
        byte[] ciphertext = r.decodeCiphertext();
        byte[] aad = orEmpty(r.decodeAdditionalAuthenticatedData());
        if (checksumRefused(exchange, "ciphertext", ciphertext, r.getCiphertextCrc32c(), aad, r.getAdditionalAuthenticatedDataCrc32c())) {
            return;
        }
        ByteBuffer in = ByteBuffer.wrap(ciphertext);
        int version = ciphertext.length > 16 ? in.getInt() : 0;
        if (version < 1 || version > key.versions.size()) {
            error(exchange, 400, "INVALID_ARGUMENT", "Decryption failed: the ciphertext is invalid.");
            return;
        }
        if (key.disabled.contains(version)) {
            error(exchange, 400, "FAILED_PRECONDITION", name + "/cryptoKeyVersions/" + version + " is not enabled, current state is: DISABLED.");
            return;
        }
        byte[] iv = new byte[12];
        in.get(iv);
        byte[] sealed = new byte[in.remaining()];
        in.get(sealed);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, key.versions.get(version - 1), new GCMParameterSpec(128, iv));
        gcm.updateAAD(aad);
        byte[] plain;
        try {
            plain = gcm.doFinal(sealed);
        } catch (javax.crypto.AEADBadTagException e) {
            error(exchange, 400, "INVALID_ARGUMENT", "Decryption failed: the ciphertext is invalid.");
            return;
        }
        served("decrypt " + name + " -> " + version);
        respond(exchange, new DecryptResponse().encodePlaintext(plain).setPlaintextCrc32c(crc(plain)).setUsedPrimary(version == key.primary)
                .setProtectionLevel("SOFTWARE"));
    }

    private static byte[] orEmpty(byte[] data) {
        return data == null ? new byte[0] : data;
    }

    /**
     * Answers 400 {@code INVALID_ARGUMENT} naming {@code field}, as Cloud KMS does, when {@code data} or the additional
     * authenticated data does not match its checksum; whether it did.
     */
    private static boolean checksumRefused(HttpExchange exchange, String field, byte[] data, Long crc, byte[] aad, Long aadCrc)
            throws IOException {
        if (checksumOk(data, crc) && checksumOk(aad, aadCrc)) {
            return false;
        }
        error(exchange, 400, "INVALID_ARGUMENT", "The checksum in field " + field + "_crc32c did not match the data.");
        return true;
    }

    private static boolean checksumOk(byte[] data, Long expected) {
        return expected == null || expected.equals(crc(data));
    }

    private static Long crc(byte[] data) {
        CRC32C c = new CRC32C();
        c.update(data);
        return c.getValue();
    }

    private static void respond(HttpExchange exchange, GenericJson body) throws IOException {
        send(exchange, 200, JSON.toString(body));
    }

    private static void error(HttpExchange exchange, int code, String status, String message) throws IOException {
        GenericJson error = new GenericJson();
        error.set("code", code);
        error.set("message", message);
        error.set("status", status);
        GenericJson body = new GenericJson();
        body.set("error", error);
        send(exchange, code, JSON.toString(body));
    }
}
