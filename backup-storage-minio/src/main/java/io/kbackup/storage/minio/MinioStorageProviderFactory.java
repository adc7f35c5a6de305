package io.kbackup.storage.minio;

import io.kbackup.spi.support.SimpleStorageProviderFactory;
import io.kbackup.storage.minio.internal.MinioSettings;
import io.kbackup.storage.minio.internal.MinioStorageProvider;

/**
 * The {@code minio} storage provider: a bucket on a MinIO server (or another S3-compatible
 * service), through the MinIO Java client. Found by {@link io.kbackup.spi.StorageProviders} through
 * {@link java.util.ServiceLoader}; settings are the {@link MinioConfig} keys, named as the
 * {@code s3} provider's.
 *
 * <pre>{@code
 * BackupLocation location = BackupLocation.minio("https://minio.internal:9000", "backups")
 *         .credentials(Credentials.awsStatic(accessKey, secretKey))
 *         .build();
 * try (StorageProvider storage = StorageProviders.discover().open(location)) {
 *     ValidationResult check = storage.validate();
 * }
 * }</pre>
 *
 * <p>Credentials: {@link io.kbackup.Credentials.AwsStatic} keys (with an optional session token),
 * {@link io.kbackup.Credentials.AwsDefaultChain} (the environment variables {@code AWS_ACCESS_KEY_ID}
 * / {@code MINIO_ACCESS_KEY} and friends, then {@code ~/.aws/credentials}), or
 * {@link io.kbackup.Credentials.None} for anonymous access. The MinIO policy needs
 * {@code s3:ListBucket}, {@code s3:GetObject}, {@code s3:PutObject}, {@code s3:DeleteObject},
 * {@code s3:AbortMultipartUpload} and {@code s3:ListMultipartUploadParts} on the bucket.
 *
 * <p>Uploads of unknown length buffer one part ({@link MinioConfig#PART_SIZE_BYTES}, default
 * 8 MiB): smaller blobs are one PutObject at commit, larger ones a multipart upload aborted when the
 * writer is closed without a commit. Listing is ListObjectsV2 page by page, {@code deleteAll} the
 * multi-object delete (1000 keys per request). {@code validate()} lists one key with a 3 s connect
 * and 10 s call timeout and tells apart a missing bucket, refused credentials, missing permissions
 * and an unreachable server, quoting the server's own message. Errors are kbackup's typed
 * exceptions, with the same wording as the {@code s3} provider's; none contains a secret.
 *
 * <p>Thread-safe; has a public no-argument constructor for {@link java.util.ServiceLoader}.
 */
public final class MinioStorageProviderFactory extends SimpleStorageProviderFactory {

    /** The provider id, {@code minio}. */
    public static final String ID = "minio";

    /**
     * For {@link java.util.ServiceLoader}. Makes providers (checks the settings and builds the
     * client) without contacting the server; {@code create} throws {@link
     * io.kbackup.InvalidPlanException} naming the setting that is wrong.
     */
    public MinioStorageProviderFactory() {
        super(ID, MinioConfig.KEYS, location -> new MinioStorageProvider(MinioSettings.of(location)));
    }
}
