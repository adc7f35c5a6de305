package io.kbackup.storage.minio;

import io.kbackup.storage.s3protocol.S3ProtocolKeys;
import java.util.Set;

/**
 * The keys the {@code minio} provider accepts in {@link io.kbackup.BackupLocation#config()}. They
 * are the {@code s3} provider's (and Velero's AWS plugin's) names for the same settings, so a
 * location can move between the two providers, or come from a Velero BackupStorageLocation,
 * unchanged. Any other key is refused with the list of these.
 *
 * <pre>{@code
 * BackupLocation location = BackupLocation.minio("https://minio.internal:9000", "backups")
 *         .credentials(Credentials.awsStatic(accessKey, secretKey))
 *         .config(MinioConfig.CA_CERT, Files.readString(Path.of("/etc/minio/ca.pem")))
 *         .build();
 * }</pre>
 */
public final class MinioConfig {

    /**
     * {@code region}: the region the server is configured with, an alternative to
     * {@link io.kbackup.BackupLocation.Builder#region(String)} (both may be set only when equal).
     * Default {@code us-east-1}, MinIO's default.
     */
    public static final String REGION = S3ProtocolKeys.REGION;

    /**
     * {@code s3ForcePathStyle}: {@code true} addresses the bucket in the path
     * ({@code https://host/bucket/key}); {@code false} in the host name
     * ({@code https://bucket.host/key}), which needs MinIO's {@code MINIO_DOMAIN} and wildcard DNS.
     * Default {@code true}.
     */
    public static final String S3_FORCE_PATH_STYLE = S3ProtocolKeys.S3_FORCE_PATH_STYLE;

    /**
     * {@code s3Url}: the server's URL, an alias of the location's endpoint (both may be set only
     * when equal). One of the two is required.
     */
    public static final String S3_URL = S3ProtocolKeys.S3_URL;

    /**
     * {@code caCert}: PEM text of one or more CA certificates trusted in addition to the JVM's, for
     * a server with a private or self-signed certificate. Default: the JVM's trust store only.
     */
    public static final String CA_CERT = S3ProtocolKeys.CA_CERT;

    /**
     * {@code insecureSkipTLSVerify}: {@code true} accepts any server certificate and host name. For
     * tests only. Default {@code false}.
     */
    public static final String INSECURE_SKIP_TLS_VERIFY = S3ProtocolKeys.INSECURE_SKIP_TLS_VERIFY;

    /**
     * {@code partSizeBytes}: bytes buffered per multipart part, and the size up to which an upload
     * is one PutObject. Memory per open writer is at most about this. From 5 MiB to 2 GiB; default
     * 8 MiB.
     */
    public static final String PART_SIZE_BYTES = S3ProtocolKeys.PART_SIZE_BYTES;

    /** Default part size: 8 MiB. */
    public static final long DEFAULT_PART_SIZE_BYTES = S3ProtocolKeys.DEFAULT_PART_SIZE_BYTES;

    /** Smallest part size for every part but the last: 5 MiB. */
    public static final long MIN_PART_SIZE_BYTES = S3ProtocolKeys.MIN_PART_SIZE_BYTES;

    /** Default region. */
    public static final String DEFAULT_REGION = S3ProtocolKeys.DEFAULT_REGION;

    /** Every key above. */
    public static final Set<String> KEYS = Set.of(REGION, S3_FORCE_PATH_STYLE, S3_URL, CA_CERT,
            INSECURE_SKIP_TLS_VERIFY, PART_SIZE_BYTES);

    private MinioConfig() {}
}
