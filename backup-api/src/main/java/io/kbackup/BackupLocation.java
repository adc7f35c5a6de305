package io.kbackup;

import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where backups are kept: a bucket (or container, or local folder) of one storage provider, an
 * optional prefix inside it, and the credentials to reach it. Immutable and thread-safe.
 *
 * <p>The layout under the prefix is Velero's ({@code backups/<name>/...}), so a location shared
 * with a Velero server sees the same backups.
 *
 * <pre>{@code
 * BackupLocation s3 = BackupLocation.s3("team-backups")
 *         .region("eu-west-1")
 *         .prefix("prod/cluster-1")
 *         .credentials(Credentials.awsStatic(accessKey, secretKey))
 *         .build();
 * ValidationResult check = s3.validate();   // bucket there? credentials accepted?
 *
 * BackupLocation local = BackupLocation.localFolder(Path.of("/var/backups/k8s")).build();
 * }</pre>
 */
public final class BackupLocation extends ValueObject {

    /** Provider id of the local-folder provider in {@code backup-core}. */
    public static final String LOCAL = "local";

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private final String name;
    private final String provider;
    private final String bucket;
    private final String prefix;
    private final String region;
    private final String endpoint;
    private final Map<String, String> config;
    private final Credentials credentials;
    private final ObjectLock objectLock;
    private final Encryption encryption;

    private BackupLocation(Builder b) {
        this.name = b.name;
        this.provider = b.provider;
        this.bucket = b.bucket;
        this.prefix = b.prefix;
        this.region = b.region;
        this.endpoint = b.endpoint;
        this.config = Collections.unmodifiableMap(new LinkedHashMap<>(b.config));
        this.credentials = b.credentials;
        this.objectLock = b.objectLock;
        this.encryption = b.encryption;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** An AWS S3 bucket; set a region (default {@code us-east-1}) and credentials (default chain). */
    public static Builder s3(String bucket) {
        return builder().provider("s3").bucket(bucket).credentials(Credentials.awsDefaultChain());
    }

    /** A MinIO (or other S3-compatible) bucket at {@code endpoint}, e.g. {@code https://minio.local:9000}. */
    public static Builder minio(String endpoint, String bucket) {
        return builder().provider("minio").endpoint(endpoint).bucket(bucket).region("us-east-1");
    }

    /** An Azure Blob container in a storage account. */
    public static Builder azure(String storageAccount, String container) {
        return builder().provider("azure").bucket(container).config("storageAccount", storageAccount);
    }

    /** A Google Cloud Storage bucket; credentials default to application default credentials. */
    public static Builder gcs(String bucket) {
        return builder().provider("gcs").bucket(bucket).credentials(Credentials.gcsApplicationDefault());
    }

    /** A folder on the local file system (the embedded default); created when missing. */
    public static Builder localFolder(Path folder) {
        Objects.requireNonNull(folder, "folder");
        return builder().provider(LOCAL).bucket(folder.toAbsolutePath().normalize().toString())
                .credentials(Credentials.none());
    }

    /** The location's name, a DNS label; default {@code default} (Velero's default location name). */
    public String name() {
        return name;
    }

    /** The storage provider id: {@code s3}, {@code minio}, {@code azure}, {@code gcs}, {@code local}, ... */
    public String provider() {
        return provider;
    }

    /** Bucket, container, or (for {@code local}) the absolute folder path. Never null. */
    public String bucket() {
        return bucket;
    }

    /** The prefix inside the bucket, without leading or trailing {@code /}; empty for the bucket root. */
    public String prefix() {
        return prefix;
    }

    /** The prefix as keys start with it: {@code ""} or {@code "prefix/"}. */
    public String keyPrefix() {
        return prefix.isEmpty() ? "" : prefix + "/";
    }

    /** The region, if set. */
    public Optional<String> region() {
        return Optional.ofNullable(region);
    }

    /** {@code url} with its user info (a password in the URL) masked, for messages and {@code toString()}. */
    static String masked(String url) {
        return url == null ? null : url.replaceAll("//[^/@]*@", "//***@");
    }

    /** The endpoint URL override, if set. */
    public Optional<String> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    /** Provider-specific settings (Velero's key names where Velero has one). Unmodifiable. */
    public Map<String, String> config() {
        return config;
    }

    /** The credentials; {@link Credentials.None} when none were given. */
    public Credentials credentials() {
        return credentials;
    }

    /**
     * Whether every object of a backup written here is locked until the backup's expiry
     * ({@link ObjectLock}); {@link ObjectLock#NONE} by default. Such a backup cannot be deleted
     * before then: {@code deleteBackup} refuses with {@link BackupLockedException}, and the
     * scheduler's sweeps keep it and delete it once its lock has ended.
     */
    public ObjectLock objectLock() {
        return objectLock;
    }

    /**
     * The client-side encryption of the backups the DirectEngine writes here, if set (see
     * {@link Encryption}). Reading needs no setting: each backup's manifest says how it was encrypted.
     */
    public Optional<Encryption> encryption() {
        return Optional.ofNullable(encryption);
    }

    /**
     * Checks with the storage service that this location is usable, using the providers found on
     * the class path. Fast: one or two requests.
     *
     * @return the problems found, each with what to fix; {@link ValidationResult#isOk()} when usable
     */
    public ValidationResult validate() {
        return validate(StorageProviders.discover());
    }

    /** As {@link #validate()}, with the given provider registry. */
    public ValidationResult validate(StorageProviders providers) {
        try (StorageProvider storage = providers.open(this)) {
            ValidationResult result = storage.validate();
            if (!result.isOk() || objectLock == ObjectLock.NONE) {
                return result;
            }
            return objectLockProblem(storage);
        } catch (InvalidPlanException e) {
            return ValidationResult.failed(ValidationResult.Kind.INVALID_CONFIGURATION, e.getMessage(),
                    "Correct the backup location's settings.");
        }
    }

    /** Asks whether the bucket can hold what {@link #objectLock()} asks for. */
    private ValidationResult objectLockProblem(StorageProvider storage) {
        boolean enabled;
        try {
            enabled = storage.objectLockEnabled();
        } catch (KBackupException e) {
            return ValidationResult.failed(ValidationResult.Kind.OBJECT_LOCK_UNAVAILABLE, "Location '" + name
                    + "' asks for object lock " + objectLock + ", but whether bucket '" + bucket + "' supports it could not be"
                    + " read: " + e.getMessage(), "Grant the permission to read the bucket's object lock configuration"
                    + " (S3: s3:GetBucketObjectLockConfiguration), or set objectLock(NONE).");
        }
        if (enabled) {
            return ValidationResult.ok();
        }
        return ValidationResult.failed(ValidationResult.Kind.OBJECT_LOCK_UNAVAILABLE, "Location '" + name
                + "' asks for object lock " + objectLock + ", but bucket '" + bucket + "' of provider '" + provider
                + "' has no object lock enabled, so backups there could be deleted before their expiry.",
                "Use a bucket with object lock enabled (S3 and MinIO: made with object lock; Azure: a container with"
                        + " version-level immutability support; GCS: a bucket with object retention enabled), or set"
                        + " objectLock(NONE).");
    }

    /** A builder holding this location's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.provider = provider;
        b.bucket = bucket;
        b.prefix = prefix;
        b.region = region;
        b.endpoint = endpoint;
        b.config.putAll(config);
        b.credentials = credentials;
        b.objectLock = objectLock;
        b.encryption = encryption;
        return b;
    }

    @Override
    List<Object> values() {
        return Arrays.asList(name, provider, bucket, prefix, region, endpoint, config, credentials, objectLock, encryption);
    }

    /** Never prints secrets: credentials show their kind only, config shows its keys only. */
    @Override
    public String toString() {
        return "BackupLocation[name=" + name + ", provider=" + provider + ", bucket=" + bucket
                + (prefix.isEmpty() ? "" : ", prefix=" + prefix)
                + (region != null ? ", region=" + region : "")
                + (endpoint != null ? ", endpoint=" + masked(endpoint) : "")
                + (config.isEmpty() ? "" : ", configKeys=" + config.keySet())
                + (objectLock != ObjectLock.NONE ? ", objectLock=" + objectLock : "")
                + ", credentials=" + credentials.kind() + (encryption != null ? ", " + encryption : "") + "]";
    }

    /** Builds a {@link BackupLocation}; {@link #build()} validates every field. Not thread-safe. */
    public static final class Builder {
        private String name = "default";
        private String provider;
        private String bucket;
        private String prefix = "";
        private String region;
        private String endpoint;
        private final Map<String, String> config = new LinkedHashMap<>();
        private Credentials credentials = Credentials.none();
        private ObjectLock objectLock = ObjectLock.NONE;
        private Encryption encryption;

        private Builder() {}

        /** The location's name, a DNS label (Velero's BackupStorageLocation name). Default {@code default}. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The storage provider id. Required. */
        public Builder provider(String provider) {
            this.provider = provider;
            return this;
        }

        /** The bucket or container. Required. */
        public Builder bucket(String bucket) {
            this.bucket = bucket;
            return this;
        }

        /** A prefix inside the bucket; leading and trailing {@code /} are trimmed. Default: none. */
        public Builder prefix(String prefix) {
            this.prefix = prefix == null ? "" : prefix;
            return this;
        }

        /** The region; {@code null} to unset. */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** An endpoint URL override ({@code http://} or {@code https://}); {@code null} to unset. */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** Sets one provider-specific setting; a {@code null} value removes it. */
        public Builder config(String key, String value) {
            Objects.requireNonNull(key, "key");
            if (value == null) {
                config.remove(key);
            } else {
                config.put(key, value);
            }
            return this;
        }

        /** Replaces all provider-specific settings. */
        public Builder config(Map<String, String> config) {
            this.config.clear();
            config.forEach(this::config);
            return this;
        }

        /** The credentials. Default {@link Credentials#none()} (provider defaults for cloud factories). */
        public Builder credentials(Credentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * Locks every object of each backup written here until the backup's expiry (see
         * {@link ObjectLock}); the bucket must support it. Default {@link ObjectLock#NONE}.
         */
        public Builder objectLock(ObjectLock objectLock) {
            this.objectLock = Objects.requireNonNull(objectLock, "objectLock");
            return this;
        }

        /**
         * Encrypts the backups written here on the client (opt-in; see {@link Encryption}, and its
         * Velero-compatibility cost: Velero lists such backups but cannot restore them). {@code null}
         * to write plain backups (the default).
         */
        public Builder encryption(Encryption encryption) {
            this.encryption = encryption;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws InvalidPlanException naming the field that is wrong
         */
        public BackupLocation build() {
            if (name == null || !DNS_LABEL.matcher(name).matches()) {
                throw new InvalidPlanException("BackupLocation name '" + name
                        + "' is not a DNS label: use lower-case letters, digits and '-', at most 63 characters.");
            }
            if (provider == null || provider.isBlank()) {
                throw new InvalidPlanException("BackupLocation '" + name + "': provider is required (s3, minio, azure, gcs, local).");
            }
            if (bucket == null || bucket.isBlank()) {
                throw new InvalidPlanException("BackupLocation '" + name + "': bucket (or container, or folder) is required.");
            }
            String p = prefix.strip();
            while (p.startsWith("/")) {
                p = p.substring(1);
            }
            while (p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            for (String part : p.split("/", -1)) {
                if (!p.isEmpty() && (part.isEmpty() || part.equals(".") || part.equals(".."))) {
                    throw new InvalidPlanException("BackupLocation '" + name + "': prefix '" + prefix
                            + "' has an empty, '.' or '..' segment; use a plain path such as 'prod/cluster-1'.");
                }
            }
            prefix = p;
            if (endpoint != null) {
                try {
                    URI uri = new URI(endpoint);
                    if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                            || uri.getHost() == null) {
                        throw new URISyntaxException(endpoint, "needs http:// or https:// and a host");
                    }
                } catch (URISyntaxException e) {
                    throw new InvalidPlanException("BackupLocation '" + name + "': endpoint '" + masked(endpoint)
                            + "' is not a valid URL (" + e.getReason() + "); use e.g. https://minio.example.com:9000.");
                }
            }
            return new BackupLocation(this);
        }
    }
}
