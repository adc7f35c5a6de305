package io.kbackup.storage.s3protocol;

/**
 * The config keys every S3 provider reads the same way, named as Velero's AWS plugin names them
 * (so a BackupStorageLocation's {@code config} can be copied over), and their defaults. The
 * providers' public config classes ({@code S3Config}, {@code MinioConfig}) repeat these names as
 * their own constants.
 */
public final class S3ProtocolKeys {

    /** Velero's {@code region}: the bucket's (or server's) region. */
    public static final String REGION = "region";

    /** Velero's {@code s3ForcePathStyle}: {@code true} addresses the bucket in the path, not the host name. */
    public static final String S3_FORCE_PATH_STYLE = "s3ForcePathStyle";

    /** Velero's {@code s3Url}: the endpoint URL, an alias of the location's endpoint. */
    public static final String S3_URL = "s3Url";

    /** Velero's {@code caCert}: PEM text of CA certificates trusted in addition to the JVM's. */
    public static final String CA_CERT = "caCert";

    /** Velero's {@code insecureSkipTLSVerify}: {@code true} accepts any server certificate (tests only). */
    public static final String INSECURE_SKIP_TLS_VERIFY = "insecureSkipTLSVerify";

    /** kbackup's {@code partSizeBytes}: bytes buffered per multipart part. */
    public static final String PART_SIZE_BYTES = "partSizeBytes";

    /** Default part size: 8 MiB. */
    public static final long DEFAULT_PART_SIZE_BYTES = 8L * 1024 * 1024;

    /** Smallest part size S3 accepts for every part but the last: 5 MiB. */
    public static final long MIN_PART_SIZE_BYTES = 5L * 1024 * 1024;

    /** Largest part size one Java array holds (S3 itself allows 5 GiB). */
    public static final long MAX_ARRAY_PART_SIZE_BYTES = Integer.MAX_VALUE - 8;

    /** Default region: AWS's {@code us-east-1}, also MinIO's default. */
    public static final String DEFAULT_REGION = "us-east-1";

    private S3ProtocolKeys() {}
}
