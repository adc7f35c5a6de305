package io.kbackup.storage.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.cryptography.models.WrapResult;
import io.kbackup.Credentials;
import io.kbackup.KeyUnavailableException;
import io.kbackup.spi.KeyProvider;
import io.kbackup.spi.support.KeyServiceBuilder;
import io.kbackup.storage.azure.internal.AzureTokenCredentials;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Key provider {@value #ID}: each encrypted backup's data key is wrapped with Azure Key Vault's
 * {@code wrapKey} ({@value #ALGORITHM}) by the RSA key named in the location's
 * {@link io.kbackup.Encryption#keyId()}, a key identifier URL
 * ({@code https://VAULT.vault.azure.net/keys/NAME}, or {@code .../keys/NAME/VERSION} to pin a
 * version; Managed HSM URLs too), and unwrapped with {@code unwrapKey} by the exact key version that
 * wrapped it. The wrapped key stored in the backup's manifest names that version (Key Vault's
 * {@code kid}), so rotating the key (a new version) leaves old backups restorable as long as their
 * version is enabled; new backups use the key's current version. RSA-OAEP has no associated data:
 * the backup's context is bound by wrapping its SHA-256 with the data key, and checked on unwrap.
 *
 * <p>Talks to Key Vault through the Azure SDK ({@code azure-security-keyvault-keys}, JDK HTTP
 * client, key caching off so every operation runs in the vault). The instance
 * {@link java.util.ServiceLoader} finds authenticates with {@code DefaultAzureCredential}
 * (environment, workload identity, managed identity, Azure CLI); pass a configured one with
 * {@code KeyProviders.discover().with(provider)} for a service principal, a managed or workload
 * identity, or no authentication ({@link Credentials#none()}: a test fake or emulator only).
 * Credentials never appear in {@code toString()}, logs or exceptions. Thread-safe.
 *
 * <pre>{@code
 * KeyProvider vault = AzureKeyVaultKeyProvider.builder().credentials(Credentials.azureWorkloadIdentity()).build();
 * DirectOptions options = DirectOptions.builder().keyProviders(KeyProviders.discover().with(vault)).build();
 * BackupLocation location = BackupLocation.azure("account", "backups")
 *         .encryption(Encryption.with(AzureKeyVaultKeyProvider.ID, "https://team-vault.vault.azure.net/keys/kbackup"))
 *         .build();
 * }</pre>
 */
public final class AzureKeyVaultKeyProvider implements KeyProvider {
    /** The provider id. */
    public static final String ID = "azure-key-vault";
    /** The key wrap algorithm: RSA-OAEP with SHA-256 (RSA keys of 2048 bits or more, or RSA-HSM). */
    public static final String ALGORITHM = "RSA-OAEP-256";

    /** The first byte of a wrapped key: this layout (kid length, kid, Key Vault's wrapped bytes). */
    private static final byte FORMAT = 1;
    private static final Pattern KEY_ID = Pattern.compile("(https?://[^/]+)/keys/([^/]+)(?:/([^/]*))?/?");

    private final Credentials credentials;
    private volatile HttpClient http;
    /** Unwrapping clients by versioned key id (a key version never changes). */
    private final Map<String, CryptographyClient> unwrappers = new ConcurrentHashMap<>();
    private volatile TokenCredential token;

    /** The instance ServiceLoader makes: {@code DefaultAzureCredential}. */
    public AzureKeyVaultKeyProvider() {
        this(null);
    }

    private AzureKeyVaultKeyProvider(Credentials credentials) {
        this.credentials = credentials;
    }

    /** A builder for a configured instance. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public byte[] wrap(String keyId, byte[] dataKey, byte[] context) {
        parse(keyId);
        WrapResult r;
        try {
            // a new client each time: an unversioned key id always wraps with the key's current version
            r = client(keyId).wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, concat(dataKey, sha256(context)));
        } catch (RuntimeException e) {
            throw failure("wrap a data key with", keyId, e);
        }
        if (!versioned(r.getKeyId())) {
            throw new KeyUnavailableException(ID, keyId, "Azure Key Vault wrapped the data key with '" + keyId + "' but did not say"
                    + " which key version it used, so the backup could not be restored after a rotation: refused.", null, false);
        }
        byte[] kid = r.getKeyId().getBytes(StandardCharsets.UTF_8);
        byte[] encrypted = r.getEncryptedKey();
        return ByteBuffer.allocate(3 + kid.length + encrypted.length).put(FORMAT).putShort((short) kid.length).put(kid).put(encrypted).array();
    }

    @Override
    public byte[] unwrap(String keyId, byte[] wrappedKey, byte[] context) {
        Matcher expected = parse(keyId);
        ByteBuffer in = ByteBuffer.wrap(wrappedKey);
        int kidLength = wrappedKey.length > 3 && in.get() == FORMAT ? in.getShort() : -1;
        if (kidLength <= 0 || kidLength > in.remaining()) {
            throw new KeyUnavailableException(ID, keyId, "The wrapped data key is not one Azure Key Vault wrapped for kbackup"
                    + " (unknown layout): the backup names key provider " + ID + " but its manifest was not written by it.", null, false);
        }
        byte[] kidBytes = new byte[kidLength];
        in.get(kidBytes);
        String kid = new String(kidBytes, StandardCharsets.UTF_8);
        Matcher actual = KEY_ID.matcher(kid);
        if (!versioned(kid) || !actual.matches() || !sameKey(expected, actual)) {
            throw new KeyUnavailableException(ID, keyId, "The data key of this backup was wrapped by Key Vault key '" + kid
                    + "', not by '" + keyId + "': restore it with the key id its manifest names.", null, false);
        }
        byte[] encrypted = new byte[in.remaining()];
        in.get(encrypted);
        byte[] plain;
        try {
            CryptographyClient c = unwrappers.computeIfAbsent(kid, this::client);
            plain = c.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, encrypted).getKey();
        } catch (RuntimeException e) {
            throw failure("unwrap the data key with", kid, e);
        }
        if (plain.length <= 32 || !MessageDigest.isEqual(Arrays.copyOfRange(plain, plain.length - 32, plain.length), sha256(context))) {
            throw new KeyUnavailableException(ID, keyId, "Key Vault key '" + kid + "' unwrapped a data key that does not belong to"
                    + " this backup (a wrapped key moved from another backup): refused.", null, false);
        }
        return Arrays.copyOf(plain, plain.length - 32);
    }

    /** Whether {@code kid} is a key identifier that names a version. */
    private static boolean versioned(String kid) {
        Matcher m = kid == null ? null : KEY_ID.matcher(kid);
        return m != null && m.matches() && m.group(3) != null && !m.group(3).isEmpty();
    }

    private static boolean sameKey(Matcher expected, Matcher actual) {
        return expected.group(1).equalsIgnoreCase(actual.group(1)) && expected.group(2).equals(actual.group(2))
                && (expected.group(3) == null || expected.group(3).isEmpty() || expected.group(3).equals(actual.group(3)));
    }

    private static Matcher parse(String keyId) {
        Matcher m = keyId == null ? null : KEY_ID.matcher(keyId);
        if (m == null || !m.matches()) {
            throw new KeyUnavailableException(ID, keyId, "Key id '" + keyId + "' is not an Azure Key Vault key identifier: use"
                    + " https://VAULT.vault.azure.net/keys/NAME (the current version wraps new backups) or .../keys/NAME/VERSION.",
                    null, false);
        }
        return m;
    }

    private CryptographyClient client(String keyId) {
        CryptographyClientBuilder b = new CryptographyClientBuilder().keyIdentifier(keyId).disableKeyCaching();
        if (credentials instanceof Credentials.None) {
            // no authentication policy at all (a fake or emulator); the SDK's retry policy still applies
            b.pipeline(new HttpPipelineBuilder().httpClient(http()).policies(new RetryPolicy()).build());
        } else {
            b.httpClient(http()).credential(credential());
        }
        return b.buildClient();
    }

    /** Built on first use: ServiceLoader makes an instance every time providers are listed. */
    private HttpClient http() {
        HttpClient h = http;
        if (h == null) {
            synchronized (this) {
                if (http == null) {
                    http = new JdkHttpClientBuilder().connectionTimeout(Duration.ofSeconds(10)).responseTimeout(Duration.ofSeconds(30))
                            .readTimeout(Duration.ofSeconds(30)).build();
                }
                h = http;
            }
        }
        return h;
    }

    private TokenCredential credential() {
        TokenCredential t = token;
        if (t == null) {
            synchronized (this) {
                if (token == null) {
                    token = buildCredential();
                }
                t = token;
            }
        }
        return t;
    }

    private TokenCredential buildCredential() {
        try {
            return AzureTokenCredentials.of(credentials);
        } catch (RuntimeException e) {
            // the cause may quote configuration: only its type is told
            throw new KeyUnavailableException(ID, null, "Azure credentials for Key Vault could not be set up (" + kind() + ", "
                    + e.getClass().getSimpleName() + "); workload identity reads AZURE_CLIENT_ID, AZURE_TENANT_ID and"
                    + " AZURE_FEDERATED_TOKEN_FILE.", null, false);
        }
    }

    /**
     * Never quotes key material or credentials: Key Vault's error names the key and the refusal.
     * Retryable only when the vault was unreachable or overloaded.
     */
    private static KeyUnavailableException failure(String what, String keyId, RuntimeException e) {
        int status = e instanceof HttpResponseException h && h.getResponse() != null ? h.getResponse().getStatusCode() : -1;
        boolean auth = e instanceof ClientAuthenticationException && status < 0;
        boolean unreachable = !auth && (status < 0 || status == 429 || status >= 500);
        String hint = auth ? "no token could be obtained for Key Vault: check the credentials."
                : switch (status) {
                    case 404 -> "the key (or the version that wrapped this backup's data key) does not exist in the vault.";
                    case 401, 403 -> "these credentials may not use the key (they need the wrapKey and unwrapKey permissions, or"
                            + " the role Key Vault Crypto User), or the key version is disabled.";
                    case 400 -> "the wrapped key does not unwrap with this key, or the key is not an RSA key.";
                    default -> unreachable ? "Key Vault was not reachable or overloaded; try again." : "see the cause.";
                };
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        if (message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        return new KeyUnavailableException(ID, keyId, "Azure Key Vault could not " + what + " key '" + keyId + "' ("
                + (status > 0 ? "HTTP " + status : e.getClass().getSimpleName()) + ": " + message + "): " + hint, auth ? null : e, unreachable);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private String kind() {
        return credentials == null ? "default Azure credential chain" : credentials.kind();
    }

    /** Shows the credential kind only. */
    @Override
    public String toString() {
        return "AzureKeyVaultKeyProvider[credentials=" + kind() + "]";
    }

    /**
     * Builds an {@link AzureKeyVaultKeyProvider}. Credentials: {@link Credentials.AzureServicePrincipal},
     * {@link Credentials.AzureManagedIdentity}, {@link Credentials.AzureWorkloadIdentity}, or
     * {@link Credentials.None} (no authentication: a test fake or emulator only); default
     * {@code DefaultAzureCredential}. Another kind (account keys and SAS tokens are Blob storage's
     * only) is refused with an {@link io.kbackup.InvalidPlanException}. Not thread-safe.
     */
    public static final class Builder extends KeyServiceBuilder<AzureKeyVaultKeyProvider, Builder> {
        private Builder() {
            super("AzureKeyVaultKeyProvider", null, "a service principal, a managed or workload identity, or none (Key Vault takes"
                    + " no account key or SAS)", Credentials.AzureServicePrincipal.class, Credentials.AzureManagedIdentity.class,
                    Credentials.AzureWorkloadIdentity.class, Credentials.None.class);
        }

        @Override
        public AzureKeyVaultKeyProvider build() {
            return new AzureKeyVaultKeyProvider(credentials());
        }
    }
}
