package io.kbackup.storage.gcs.internal;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.BlobWriteSessionConfigs;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.StorageDeniedException;
import io.kbackup.spi.support.CauseChain;
import io.kbackup.spi.support.LocationConfig;
import io.kbackup.storage.gcs.GcsConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A {@code gcs} location's settings, checked, and how to build its clients.
 *
 * @param bucket          the bucket
 * @param project         the project, or {@code null}
 * @param endpoint        the JSON API host override (e.g. a fake-gcs-server), or {@code null}
 * @param kmsKeyName      the KMS key for uploads, or {@code null}
 * @param credentialsFile a service-account key file for application default credentials, or {@code null}
 * @param chunkSize       bytes per resumable-upload request
 * @param credentials     the credentials
 */
public record GcsSettings(String bucket, String project, String endpoint, String kmsKeyName, Path credentialsFile,
        int chunkSize, Credentials credentials) {

    // https://cloud.google.com/storage/docs/buckets#naming
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]");

    /** Total time a validation may take, and each of its requests. */
    public static final Duration VALIDATE_TIMEOUT = Duration.ofSeconds(10);

    /** Checks and reads a {@code gcs} location. Reads a service-account key, contacts nothing. */
    public static GcsSettings from(BackupLocation location) {
        String where = "Backup location '" + location.name() + "' (gcs)";
        if (!"gcs".equals(location.provider())) {
            throw new InvalidPlanException(where + ": provider is '" + location.provider() + "', expected 'gcs'.");
        }
        Map<String, String> config = location.config();
        String bucket = location.bucket();
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..") || bucket.startsWith("goog")) {
            throw new InvalidPlanException(where + ": bucket '" + bucket + "' is not a valid bucket name: use 3-63"
                    + " lower-case letters, digits, '-', '_' and '.', starting and ending with a letter or digit.");
        }
        Credentials credentials = location.credentials();
        if (!(credentials instanceof Credentials.GcsServiceAccountJson
                || credentials instanceof Credentials.GcsApplicationDefault
                || credentials instanceof Credentials.None)) {
            throw new InvalidPlanException(where + ": credentials of kind '" + credentials.kind()
                    + "' cannot be used with Google Cloud Storage; use Credentials.gcsServiceAccountJson or"
                    + " gcsApplicationDefault (or none for an emulator).");
        }
        String endpoint = location.endpoint().orElse(null);
        if (endpoint != null) {
            URI uri = URI.create(endpoint);
            if (uri.getRawQuery() != null) {
                throw new InvalidPlanException(where + ": the endpoint must not carry a query string.");
            }
            while (endpoint.endsWith("/")) {
                endpoint = endpoint.substring(0, endpoint.length() - 1);
            }
        }
        Path file = null;
        String cf = LocationConfig.text(config, GcsConfig.CREDENTIALS_FILE);
        if (cf != null) {
            if (!(credentials instanceof Credentials.GcsApplicationDefault)) {
                throw new InvalidPlanException(where + ": config " + GcsConfig.CREDENTIALS_FILE + " only applies to"
                        + " application default credentials, but the location's credentials are " + credentials.kind()
                        + "; remove one of the two.");
            }
            file = Path.of(cf);
            if (!Files.isReadable(file)) {
                throw new InvalidPlanException(where + ": config " + GcsConfig.CREDENTIALS_FILE + " '" + cf
                        + "' is not a readable file; point it at a service-account key file.");
            }
        }
        int chunk = LocationConfig.wholeNumber(config, GcsConfig.CHUNK_SIZE_BYTES, GcsConfig.DEFAULT_CHUNK_SIZE,
                n -> n >= GcsConfig.CHUNK_GRANULARITY && n <= GcsConfig.MAX_CHUNK_SIZE && n % GcsConfig.CHUNK_GRANULARITY == 0, where,
                "a multiple of 262144 (256 KiB) between 262144 and " + GcsConfig.MAX_CHUNK_SIZE);
        GcsSettings s = new GcsSettings(bucket, LocationConfig.text(config, GcsConfig.PROJECT), endpoint,
                LocationConfig.text(config, GcsConfig.KMS_KEY_NAME), file, chunk, credentials);
        if (credentials instanceof Credentials.GcsServiceAccountJson) {
            s.googleCredentials();   // a malformed key fails here, before anything runs
        }
        return s;
    }

    /** How the message of missing application default credentials starts. */
    static final String NO_CREDENTIALS = "No usable Google credentials: application default credentials were asked for, but ";

    /**
     * The Google credentials. Application default credentials are looked up here, not earlier.
     *
     * @throws InvalidPlanException   for a malformed service-account key
     * @throws StorageDeniedException when application default credentials cannot be found
     */
    public com.google.auth.Credentials googleCredentials() {
        if (credentials instanceof Credentials.GcsServiceAccountJson json) {
            try (InputStream in = new ByteArrayInputStream(json.json().getBytes(StandardCharsets.UTF_8))) {
                return ServiceAccountCredentials.fromStream(in);
            } catch (IOException | RuntimeException e) {
                throw new InvalidPlanException("Google Cloud Storage bucket '" + bucket + "': the service-account key"
                        + " JSON could not be read (" + e.getClass().getSimpleName() + "); pass the content of a key"
                        + " file created with 'gcloud iam service-accounts keys create'.");
            }
        }
        if (credentials instanceof Credentials.None) {
            return NoCredentials.getInstance();
        }
        try {
            if (credentialsFile != null) {
                try (InputStream in = Files.newInputStream(credentialsFile)) {
                    return GoogleCredentials.fromStream(in);
                }
            }
            return GoogleCredentials.getApplicationDefault();
        } catch (IOException | RuntimeException e) {
            String why = credentialsFile == null && e.getMessage() != null && e.getMessage().contains("credentials were not found")
                    ? "none of their sources had any (GOOGLE_APPLICATION_CREDENTIALS, gcloud auth application-default login,"
                            + " the GCE/GKE metadata server)"
                    : "they could not be loaded: " + CauseChain.firstLine(new GcsErrors(secrets(), "").scrub(e.getMessage()));
            throw new StorageDeniedException(NO_CREDENTIALS + why + ". Set GOOGLE_APPLICATION_CREDENTIALS or config "
                    + GcsConfig.CREDENTIALS_FILE + ", use GKE workload identity, or pass Credentials.gcsServiceAccountJson.", null);
        }
    }

    /** A client for data: the library's retries (6 attempts), 20 s connect, 60 s read timeouts. */
    public Storage buildStorage() {
        return options(StorageOptions.getDefaultRetrySettings(), 20_000, 60_000).build().getService();
    }

    /** A client for validation: one attempt, short timeouts. */
    public Storage buildValidationStorage() {
        RetrySettings once = StorageOptions.getDefaultRetrySettings().toBuilder().setMaxAttempts(1)
                .setTotalTimeoutDuration(VALIDATE_TIMEOUT).setInitialRpcTimeoutDuration(VALIDATE_TIMEOUT)
                .setMaxRpcTimeoutDuration(VALIDATE_TIMEOUT).build();
        int ms = (int) VALIDATE_TIMEOUT.toMillis();
        return options(once, 5_000, ms).build().getService();
    }

    private HttpStorageOptions.Builder options(RetrySettings retry, int connectMs, int readMs) {
        HttpStorageOptions.Builder b = StorageOptions.http()
                .setCredentials(googleCredentials())
                .setRetrySettings(retry)
                .setTransportOptions(HttpTransportOptions.newBuilder().setConnectTimeout(connectMs)
                        .setReadTimeout(readMs).build());
        b.setBlobWriteSessionConfig(BlobWriteSessionConfigs.getDefault().withChunkSize(chunkSize));
        if (project != null) {
            b.setProjectId(project);
        }
        if (endpoint != null) {
            b.setHost(endpoint);
        }
        return b;
    }

    /** The secrets in the credentials, to scrub from any message. */
    public List<String> secrets() {
        return credentials instanceof Credentials.GcsServiceAccountJson j ? List.of(j.json()) : List.of();
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "GcsSettings[bucket=" + bucket + (project != null ? ", project=" + project : "")
                + (endpoint != null ? ", endpoint=" + endpoint : "") + (kmsKeyName != null ? ", kmsKeyName=" + kmsKeyName : "")
                + (credentialsFile != null ? ", credentialsFile=" + credentialsFile : "")
                + ", chunkSize=" + chunkSize + ", credentials=" + credentials.kind() + "]";
    }
}
