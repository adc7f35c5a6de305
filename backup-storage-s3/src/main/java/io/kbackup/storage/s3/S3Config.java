package io.kbackup.storage.s3;

import io.kbackup.storage.s3protocol.S3ProtocolKeys;
import java.util.Set;

/**
 * The keys the {@code s3} provider accepts in {@link io.kbackup.BackupLocation#config()}. Where
 * Velero's AWS plugin has a key for the same setting, the name is Velero's, so a
 * BackupStorageLocation's {@code config} map can be copied over as it is. Any other key is refused
 * with the list of these.
 *
 * <pre>{@code
 * BackupLocation location = BackupLocation.s3("team-backups")
 *         .region("eu-west-1")
 *         .config(S3Config.SERVER_SIDE_ENCRYPTION, "aws:kms")
 *         .config(S3Config.KMS_KEY_ID, "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-...")
 *         .build();
 * }</pre>
 */
public final class S3Config {

    /**
     * Velero's {@code region}: the bucket's region, an alternative to
     * {@link io.kbackup.BackupLocation.Builder#region(String)} (both may be set only when equal).
     * Default {@code us-east-1}.
     */
    public static final String REGION = S3ProtocolKeys.REGION;

    /**
     * Velero's {@code s3ForcePathStyle}: {@code true} to address the bucket in the path
     * ({@code https://host/bucket/key}) instead of the host name ({@code https://bucket.host/key}).
     * Needed by most S3-compatible services on an IP address or a single host name. Default
     * {@code false}.
     */
    public static final String S3_FORCE_PATH_STYLE = S3ProtocolKeys.S3_FORCE_PATH_STYLE;

    /**
     * Velero's {@code s3Url}: the endpoint URL, an alias of
     * {@link io.kbackup.BackupLocation.Builder#endpoint(String)} (both may be set only when equal).
     * Default: AWS's endpoint for the region.
     */
    public static final String S3_URL = S3ProtocolKeys.S3_URL;

    /**
     * Velero's {@code serverSideEncryption}: {@code AES256} (S3-managed keys) or {@code aws:kms}
     * (KMS; the key is {@link #KMS_KEY_ID}, or the account's {@code aws/s3} key when that is not
     * set). Default: none requested (the bucket's default encryption applies).
     */
    public static final String SERVER_SIDE_ENCRYPTION = "serverSideEncryption";

    /**
     * Velero's {@code kmsKeyId}: the KMS key id, ARN or alias used with {@code aws:kms}; setting it
     * implies {@code serverSideEncryption=aws:kms}. Needs {@code kms:GenerateDataKey} and
     * {@code kms:Decrypt} on the key.
     */
    public static final String KMS_KEY_ID = "kmsKeyId";

    /**
     * Velero's {@code caCert}: PEM text of one or more CA certificates trusted in addition to the
     * JVM's, for endpoints with a private or self-signed certificate. Default: the JVM's trust
     * store only.
     */
    public static final String CA_CERT = S3ProtocolKeys.CA_CERT;

    /**
     * Velero's {@code insecureSkipTLSVerify}: {@code true} accepts any server certificate and host
     * name. For tests only: it makes TLS open to interception. Default {@code false}.
     */
    public static final String INSECURE_SKIP_TLS_VERIFY = S3ProtocolKeys.INSECURE_SKIP_TLS_VERIFY;

    /**
     * Velero's {@code checksumAlgorithm}: the checksum sent with uploads, {@code CRC32},
     * {@code CRC32C}, {@code SHA1} or {@code SHA256}; an empty value sends none (for S3-compatible
     * services that reject the newer checksum headers). Default {@code CRC32}.
     */
    public static final String CHECKSUM_ALGORITHM = "checksumAlgorithm";

    /**
     * Velero's {@code profile}: the named profile of the shared AWS config/credentials files to
     * take credentials from; only with the default credential chain. Default: none.
     */
    public static final String PROFILE = "profile";

    /**
     * kbackup's {@code partSizeBytes}: bytes buffered per multipart part, and the size up to which
     * an upload is one PutObject. Memory per open writer is at most this. From 5 MiB (S3's
     * minimum part) to 2 GiB (one Java array; S3 itself allows parts up to 5 GiB); default 8 MiB.
     */
    public static final String PART_SIZE_BYTES = S3ProtocolKeys.PART_SIZE_BYTES;

    /**
     * kbackup's {@code stsEndpoint}: the STS endpoint URL used for AssumeRole and web identity
     * (a VPC endpoint, a FIPS endpoint, or a local emulator). Default: AWS's regional STS endpoint.
     */
    public static final String STS_ENDPOINT = "stsEndpoint";

    /** Default part size: 8 MiB. */
    public static final long DEFAULT_PART_SIZE_BYTES = S3ProtocolKeys.DEFAULT_PART_SIZE_BYTES;

    /** Smallest part size S3 accepts for every part but the last: 5 MiB. */
    public static final long MIN_PART_SIZE_BYTES = S3ProtocolKeys.MIN_PART_SIZE_BYTES;

    /** Largest part size S3 accepts: 5 GiB. */
    public static final long MAX_PART_SIZE_BYTES = 5L * 1024 * 1024 * 1024;

    /** Default region when neither the location nor {@link #REGION} names one. */
    public static final String DEFAULT_REGION = S3ProtocolKeys.DEFAULT_REGION;

    /** Every key above. */
    public static final Set<String> KEYS = Set.of(REGION, S3_FORCE_PATH_STYLE, S3_URL, SERVER_SIDE_ENCRYPTION,
            KMS_KEY_ID, CA_CERT, INSECURE_SKIP_TLS_VERIFY, CHECKSUM_ALGORITHM, PROFILE, PART_SIZE_BYTES,
            STS_ENDPOINT);

    private S3Config() {}
}
