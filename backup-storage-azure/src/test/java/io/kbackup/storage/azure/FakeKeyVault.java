package io.kbackup.storage.azure;

import com.sun.net.httpserver.HttpExchange;
import io.kbackup.testkit.servers.FakeKeyService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * A small fake of Azure Key Vault's key operations on 127.0.0.1, for tests: no Key Vault emulator
 * could be run here (Lowkey Vault ships as a Docker image and a GitHub release, not through a
 * package registry this project reaches). It serves {@code POST /keys/{name}[/{version}]/wrapkey}
 * and {@code /unwrapkey} with {@code RSA-OAEP-256} (SHA-256, MGF1-SHA-256) as the REST API documents
 * them: RSA-2048 keys with versions (a versionless call uses the newest), answers naming the
 * version's {@code kid}, base64url values; unknown keys or versions answer 404 {@code KeyNotFound},
 * denied keys and disabled versions 403 {@code Forbidden}, a value that does not unwrap 400
 * {@code BadParameter}, in Key Vault's error shape. No authentication (the provider's
 * {@code Credentials.none()} pipeline sends none).
 */
final class FakeKeyVault extends FakeKeyService {
    private static final OAEPParameterSpec OAEP_256 = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
            PSource.PSpecified.DEFAULT);
    private static final Pattern ALG = Pattern.compile("\"alg\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*\"([A-Za-z0-9_=-]*)\"");
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    /** Key name → version ids, oldest first. */
    private final Map<String, List<String>> keys = new ConcurrentHashMap<>();
    private final Map<String, KeyPair> versions = new ConcurrentHashMap<>();
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();

    FakeKeyVault() throws IOException {
        super("/keys/");
    }

    /** Creates an RSA key with one version; returns its versionless key identifier. */
    String createKey(String name) {
        keys.put(name, new CopyOnWriteArrayList<>());
        rotate(name);
        return baseUrl() + "/keys/" + name;
    }

    /** Adds a new version (Key Vault's rotation); returns its version id. */
    String rotate(String name) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            String version = UUID.randomUUID().toString().replace("-", "");
            versions.put(version, g.generateKeyPair());
            keys.get(name).add(version);
            return version;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes the key (and purges it): from now on it answers 404 {@code KeyNotFound}. */
    void delete(String name) {
        keys.remove(name);
    }

    /** The key's version ids, oldest first. */
    List<String> versions(String name) {
        return new ArrayList<>(keys.get(name));
    }

    void disable(String version) {
        disabled.add(version);
    }

    @Override
    protected void handle(HttpExchange exchange, String path, byte[] body) throws IOException {
        try {
            // /keys/{name}/{version}/{op}, /keys/{name}/{op} or /keys/{name}//{op}
            String[] parts = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toArray(String[]::new);
            if (parts.length < 3 || !"POST".equals(exchange.getRequestMethod())) {
                error(exchange, 404, "NotFound", "Not found: " + exchange.getRequestURI().getPath());
                return;
            }
            String name = parts[1];
            String op = parts[parts.length - 1];
            List<String> ids = keys.get(name);
            String version = parts.length == 4 ? parts[2] : ids == null ? null : ids.get(ids.size() - 1);
            if (ids == null || !ids.contains(version)) {
                error(exchange, 404, "KeyNotFound", "A key with (name/id) " + name + (parts.length == 4 ? "/" + version : "")
                        + " was not found in this key vault.");
            } else if (isDenied(name)) {
                error(exchange, 403, "Forbidden", "The user, group or application does not have keys " + op + " permission on key vault.");
            } else if (disabled.contains(version)) {
                error(exchange, 403, "Forbidden", "Operation " + op + " is not allowed on a disabled key.");
            } else {
                operate(exchange, name, version, op, body);
            }
        } catch (GeneralSecurityException e) {
            error(exchange, 500, "InternalServerError", e.toString());
        }
    }

    private void operate(HttpExchange exchange, String name, String version, String op, byte[] body)
            throws IOException, GeneralSecurityException {
        // the SDK sends {"alg":"...","value":"<base64url>"}
        String json = new String(body, StandardCharsets.UTF_8);
        Matcher alg = ALG.matcher(json);
        Matcher valueField = VALUE.matcher(json);
        if (!alg.find() || !alg.group(1).equals("RSA-OAEP-256") || !valueField.find()) {
            error(exchange, 400, "BadParameter", "This fake serves alg RSA-OAEP-256 with a value only: " + json);
            return;
        }
        byte[] value = Base64.getUrlDecoder().decode(valueField.group(1));
        KeyPair pair = versions.get(version);
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        byte[] out;
        if (op.equals("wrapkey")) {
            rsa.init(Cipher.ENCRYPT_MODE, pair.getPublic(), OAEP_256);
            out = rsa.doFinal(value);
        } else if (op.equals("unwrapkey")) {
            rsa.init(Cipher.DECRYPT_MODE, pair.getPrivate(), OAEP_256);
            try {
                out = rsa.doFinal(value);
            } catch (BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
                error(exchange, 400, "BadParameter", "Unwrap failed: the value is not valid for this key.");
                return;
            }
        } else {
            error(exchange, 404, "NotFound", "Operation " + op + " is not served by this fake.");
            return;
        }
        served(op + " " + name + "/" + version);
        send(exchange, 200, "{\"kid\":\"" + baseUrl() + "/keys/" + name + "/" + version + "\",\"value\":\"" + B64URL.encodeToString(out) + "\"}");
    }

    private static void error(HttpExchange exchange, int code, String errorCode, String message) throws IOException {
        send(exchange, code, "{\"error\":{\"code\":\"" + errorCode + "\",\"message\":\"" + message.replace("\"", "'") + "\"}}");
    }
}
