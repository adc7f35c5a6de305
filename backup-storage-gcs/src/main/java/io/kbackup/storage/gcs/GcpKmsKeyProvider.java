package io.kbackup.storage.gcs;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpBackOffIOExceptionHandler;
import com.google.api.client.http.HttpBackOffUnsuccessfulResponseHandler;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.ExponentialBackOff;
import com.google.api.services.cloudkms.v1.CloudKMS;
import com.google.api.services.cloudkms.v1.CloudKMSRequest;
import com.google.api.services.cloudkms.v1.CloudKMSScopes;
import com.google.api.services.cloudkms.v1.model.DecryptRequest;
import com.google.api.services.cloudkms.v1.model.DecryptResponse;
import com.google.api.services.cloudkms.v1.model.EncryptRequest;
import com.google.api.services.cloudkms.v1.model.EncryptResponse;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.kbackup.Credentials;
import io.kbackup.KeyUnavailableException;
import io.kbackup.spi.KeyProvider;
import io.kbackup.spi.support.KeyServiceBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Key provider {@value #ID}: each encrypted backup's data key is wrapped by the Google Cloud KMS
 * symmetric key named in the location's {@link io.kbackup.Encryption#keyId()}, a CryptoKey resource
 * name ({@code projects/P/locations/L/keyRings/R/cryptoKeys/K}), with Cloud KMS {@code encrypt}
 * (its primary version), and unwrapped with {@code decrypt} naming the same CryptoKey: Cloud KMS
 * finds the version that wrapped it from the ciphertext, so rotating the key (a new primary
 * version) leaves old backups restorable as long as their version is enabled. The backup's context
 * is the additional authenticated data: a wrapped key moved to another backup does not unwrap.
 * Every request and answer is checked with CRC32C, as Google advises.
 *
 * <p>Talks to Cloud KMS's REST API through Google's generated client
 * {@code google-api-services-cloudkms} (the gRPC client {@code google-cloud-kms} splits one package over
 * two jars, which the module system refuses). The instance {@link java.util.ServiceLoader} finds uses application default
 * credentials; pass a configured one with {@code KeyProviders.discover().with(provider)} for a
 * service-account key, another endpoint (a regional or private endpoint, or a test fake) or no
 * authentication ({@link Credentials#none()}, for a fake only). Credentials never appear in
 * {@code toString()}, logs or exceptions. Thread-safe; the client is built on first use.
 *
 * <pre>{@code
 * KeyProvider kms = GcpKmsKeyProvider.builder().credentials(Credentials.gcsServiceAccountJson(json)).build();
 * DirectOptions options = DirectOptions.builder().keyProviders(KeyProviders.discover().with(kms)).build();
 * BackupLocation location = BackupLocation.gcs("team-backups")
 *         .encryption(Encryption.with(GcpKmsKeyProvider.ID, "projects/p/locations/europe-west1/keyRings/backups/cryptoKeys/kbackup"))
 *         .build();
 * }</pre>
 */
public final class GcpKmsKeyProvider implements KeyProvider, AutoCloseable {
    /** The provider id. */
    public static final String ID = "gcp-kms";

    private static final Pattern CRYPTO_KEY = Pattern.compile("projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+");
    private static final String DEFAULT_ROOT = "https://cloudkms.googleapis.com/";

    private final String endpoint;
    private final Credentials credentials;
    private volatile CloudKMS.Projects.Locations.KeyRings.CryptoKeys client;

    /** The instance ServiceLoader makes: application default credentials, Google's endpoint. */
    public GcpKmsKeyProvider() {
        this(null, Credentials.gcsApplicationDefault());
    }

    private GcpKmsKeyProvider(String endpoint, Credentials credentials) {
        this.endpoint = endpoint;
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
        EncryptResponse r = call("wrap a data key with", keyId, kms -> kms.encrypt(keyId, new EncryptRequest()
                .encodePlaintext(dataKey).setPlaintextCrc32c(crc(dataKey))
                .encodeAdditionalAuthenticatedData(context).setAdditionalAuthenticatedDataCrc32c(crc(context))));
        byte[] wrapped = r.decodeCiphertext();
        if (wrapped == null || !Boolean.TRUE.equals(r.getVerifiedPlaintextCrc32c())
                || !Boolean.TRUE.equals(r.getVerifiedAdditionalAuthenticatedDataCrc32c()) || !crc(wrapped).equals(r.getCiphertextCrc32c())) {
            throw corrupted(keyId, "encrypt");
        }
        return wrapped;
    }

    @Override
    public byte[] unwrap(String keyId, byte[] wrappedKey, byte[] context) {
        DecryptResponse r = call("unwrap the data key with", keyId, kms -> kms.decrypt(keyId, new DecryptRequest()
                .encodeCiphertext(wrappedKey).setCiphertextCrc32c(crc(wrappedKey))
                .encodeAdditionalAuthenticatedData(context).setAdditionalAuthenticatedDataCrc32c(crc(context))));
        byte[] plain = r.decodePlaintext();
        if (plain == null || !crc(plain).equals(r.getPlaintextCrc32c())) {
            throw corrupted(keyId, "decrypt");
        }
        return plain;
    }

    /** One Cloud KMS request, made from the client. */
    private interface Request<T> {
        CloudKMSRequest<T> on(CloudKMS.Projects.Locations.KeyRings.CryptoKeys kms) throws IOException;
    }

    /**
     * Checks {@code keyId} and runs one request, its failure turned into a
     * {@link KeyUnavailableException} naming {@code what} it was to do.
     */
    private <T> T call(String what, String keyId, Request<T> request) {
        requireCryptoKey(keyId);
        try {
            return request.on(kms()).execute();
        } catch (IOException e) {
            throw failure(what, keyId, e);
        }
    }

    private static void requireCryptoKey(String keyId) {
        if (keyId == null || !CRYPTO_KEY.matcher(keyId).matches()) {
            throw new KeyUnavailableException(ID, keyId, "Key id '" + keyId + "' is not a Cloud KMS CryptoKey resource name: use"
                    + " projects/PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/KEY (no /cryptoKeyVersions/: Cloud KMS"
                    + " encrypts with the key's primary version and finds the version to decrypt with by itself).", null, false);
        }
    }

    private static Long crc(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return c.getValue();
    }

    private static KeyUnavailableException corrupted(String keyId, String call) {
        return new KeyUnavailableException(ID, keyId, "Cloud KMS " + call + " with key '" + keyId + "': the CRC32C checksums of"
                + " the request or answer do not match (corrupted in transit); try again.", null, true);
    }

    /**
     * Never quotes key material: Cloud KMS's messages name the key, the permission and the error.
     * Retryable only when the service was unreachable or overloaded.
     */
    private static KeyUnavailableException failure(String what, String keyId, IOException e) {
        int status = e instanceof HttpResponseException h ? h.getStatusCode() : -1;
        boolean unreachable = status < 0 || status == 429 || status >= 500;
        String detail = e instanceof GoogleJsonResponseException g && g.getDetails() != null && g.getDetails().getMessage() != null
                ? "HTTP " + status + ": " + g.getDetails().getMessage().lines().findFirst().orElse("")
                : status > 0 ? "HTTP " + status : e.getClass().getSimpleName();
        String hint = switch (status) {
            case 404 -> "the key (or its key ring) does not exist: check the resource name and the project.";
            case 401, 403 -> "these credentials may not use the key: grant them roles/cloudkms.cryptoKeyEncrypterDecrypter on it.";
            case 400 -> "the key version is not enabled (old backups need the version that wrapped their data key), the"
                    + " wrapped key does not decrypt under this key and this backup (another key, or a wrapped key moved"
                    + " from another backup), or the key is not a symmetric ENCRYPT_DECRYPT key.";
            default -> unreachable ? "Cloud KMS was not reachable or overloaded; try again." : "see the cause.";
        };
        return new KeyUnavailableException(ID, keyId, "Cloud KMS could not " + what + " key '" + keyId + "' (" + detail + "): "
                + hint, e, unreachable);
    }

    private CloudKMS.Projects.Locations.KeyRings.CryptoKeys kms() {
        CloudKMS.Projects.Locations.KeyRings.CryptoKeys c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    HttpRequestInitializer auth = authentication();
                    HttpRequestInitializer init = request -> {
                        auth.initialize(request);
                        configure(request);
                    };
                    client = new CloudKMS.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(), init)
                            .setRootUrl(endpoint == null ? DEFAULT_ROOT : endpoint.endsWith("/") ? endpoint : endpoint + "/")
                            .setApplicationName("kbackup").build().projects().locations().keyRings().cryptoKeys();
                }
                c = client;
            }
        }
        return c;
    }

    /** Timeouts, and retries with backoff on 429, 5xx and I/O errors (encrypt and decrypt are idempotent). */
    private static void configure(HttpRequest request) {
        request.setConnectTimeout(20_000).setReadTimeout(60_000);
        ExponentialBackOff backOff = new ExponentialBackOff.Builder().setInitialIntervalMillis(500).setMaxElapsedTimeMillis(30_000).build();
        request.setUnsuccessfulResponseHandler(new HttpBackOffUnsuccessfulResponseHandler(backOff)
                .setBackOffRequired(r -> r.getStatusCode() == 429 || r.getStatusCode() >= 500));
        request.setIOExceptionHandler(new HttpBackOffIOExceptionHandler(backOff));
    }

    private HttpRequestInitializer authentication() {
        if (credentials instanceof Credentials.None) {
            return request -> { };
        }
        try {
            GoogleCredentials google;
            if (credentials instanceof Credentials.GcsServiceAccountJson json) {
                google = ServiceAccountCredentials.fromStream(new ByteArrayInputStream(json.json().getBytes(StandardCharsets.UTF_8)));
            } else {
                google = GoogleCredentials.getApplicationDefault();
            }
            HttpCredentialsAdapter adapter = new HttpCredentialsAdapter(google.createScoped(CloudKMSScopes.CLOUDKMS));
            return adapter;
        } catch (IOException | RuntimeException e) {
            // the cause may quote the key file: only its type is told
            throw new KeyUnavailableException(ID, null, "No usable Google credentials for Cloud KMS (" + credentials.kind() + ", "
                    + e.getClass().getSimpleName() + "): set GOOGLE_APPLICATION_CREDENTIALS, use GKE workload identity, or pass"
                    + " the content of a service-account key file with Credentials.gcsServiceAccountJson.", null, false);
        }
    }

    /** Nothing to release: the HTTP transport holds no open connection between calls. */
    @Override
    public void close() {
        client = null;
    }

    /** Shows the endpoint and the credential kind only. */
    @Override
    public String toString() {
        return "GcpKmsKeyProvider[" + (endpoint != null ? "endpoint=" + endpoint + ", " : "") + "credentials=" + credentials.kind() + "]";
    }

    /**
     * Builds a {@link GcpKmsKeyProvider}. Credentials: {@link Credentials.GcsApplicationDefault} (the
     * default), {@link Credentials.GcsServiceAccountJson}, or {@link Credentials.None} (no
     * authentication: a fake or an emulator only); another kind is refused with an
     * {@link io.kbackup.InvalidPlanException}. Not thread-safe.
     */
    public static final class Builder extends KeyServiceBuilder<GcpKmsKeyProvider, Builder> {
        private String endpoint;

        private Builder() {
            super("GcpKmsKeyProvider", Credentials.gcsApplicationDefault(), "Google application default credentials, a service-account"
                    + " key or none", Credentials.GcsApplicationDefault.class, Credentials.GcsServiceAccountJson.class, Credentials.None.class);
        }

        /**
         * An endpoint override, a URL: a regional endpoint ({@code https://cloudkms.europe-west1.rep.googleapis.com}),
         * a Private Service Connect endpoint, or {@code http://127.0.0.1:PORT} for a test fake. Default
         * {@code https://cloudkms.googleapis.com}.
         */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        @Override
        public GcpKmsKeyProvider build() {
            return new GcpKmsKeyProvider(endpoint, credentials());
        }
    }
}
