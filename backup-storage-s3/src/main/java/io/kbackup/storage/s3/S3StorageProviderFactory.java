package io.kbackup.storage.s3;

import io.kbackup.spi.support.SimpleStorageProviderFactory;
import io.kbackup.storage.s3.internal.S3Settings;
import io.kbackup.storage.s3.internal.S3StorageProvider;

/**
 * The {@code s3} storage provider: AWS S3 (and S3-compatible services through an endpoint
 * override), with the AWS SDK for Java v2. Found by {@link io.kbackup.spi.StorageProviders} through
 * {@link java.util.ServiceLoader}; settings are the {@link S3Config} keys.
 *
 * <pre>{@code
 * BackupLocation location = BackupLocation.s3("team-backups")
 *         .region("eu-west-1")
 *         .credentials(Credentials.awsAssumeRole("arn:aws:iam::123456789012:role/kbackup", "ext-id",
 *                 Duration.ofHours(1), Credentials.awsDefaultChain()))
 *         .build();
 * try (StorageProvider storage = StorageProviders.discover().open(location)) {
 *     ValidationResult check = storage.validate();
 * }
 * }</pre>
 *
 * <h2>Credentials</h2>
 * <ul>
 *   <li>{@link io.kbackup.Credentials.AwsStatic}: access key pair, optionally with a session token.</li>
 *   <li>{@link io.kbackup.Credentials.AwsAssumeRole}: STS AssumeRole with the external ID and session
 *       duration given, from static keys or the default chain; the SDK's
 *       {@code StsAssumeRoleCredentialsProvider} renews the session before it expires.</li>
 *   <li>{@link io.kbackup.Credentials.AwsWebIdentity}: STS AssumeRoleWithWebIdentity from a token file
 *       (EKS IRSA), renewed likewise.</li>
 *   <li>{@link io.kbackup.Credentials.AwsDefaultChain} (and {@link io.kbackup.Credentials.None}): the
 *       SDK's default chain (environment, system properties, {@link S3Config#PROFILE profile}, web
 *       identity from {@code AWS_ROLE_ARN}/{@code AWS_WEB_IDENTITY_TOKEN_FILE}, container and
 *       instance roles).</li>
 * </ul>
 *
 * <h2>IAM permissions</h2>
 * On the bucket ({@code arn:aws:s3:::bucket}): {@code s3:ListBucket}. On its objects
 * ({@code arn:aws:s3:::bucket/prefix/*}): {@code s3:GetObject}, {@code s3:PutObject},
 * {@code s3:DeleteObject}, {@code s3:AbortMultipartUpload}, {@code s3:ListMultipartUploadParts}.
 * With {@code aws:kms} encryption, on the key: {@code kms:GenerateDataKey} and {@code kms:Decrypt}.
 * With AssumeRole, for the source identity: {@code sts:AssumeRole} on the role (and the role's trust
 * policy must name the source and, when given, the external ID); with web identity the role trusts
 * the OIDC provider ({@code sts:AssumeRoleWithWebIdentity}).
 *
 * <h2>Behaviour</h2>
 * Uploads of unknown length buffer one part ({@link S3Config#PART_SIZE_BYTES}, default 8 MiB):
 * smaller blobs are a single PutObject at commit, larger ones a multipart upload, aborted
 * (AbortMultipartUpload) when the writer is closed without a commit. Listing is ListObjectsV2, page
 * by page; {@code deleteAll} is DeleteObjects, 1000 keys per call. {@code validate()} resolves the
 * credentials and lists one key with a 3 s connect and 10 s call timeout and no retries, and tells
 * apart a missing bucket, refused credentials, missing permissions and an unreachable endpoint,
 * quoting the service's own message.
 *
 * <p>Errors: a missing key is {@link io.kbackup.NotFoundException}; refused credentials or
 * permissions {@link io.kbackup.StorageDeniedException} (not retryable); an unreachable endpoint
 * {@link io.kbackup.StorageUnreachableException}; throttling (SlowDown, 503) and other 5xx answers a
 * retryable {@link io.kbackup.StorageException}. No message or {@code toString()} contains a
 * secret.
 *
 * <p>Thread-safe; has a public no-argument constructor for {@link java.util.ServiceLoader}.
 */
public final class S3StorageProviderFactory extends SimpleStorageProviderFactory {

    /** The provider id, {@code s3}. */
    public static final String ID = "s3";

    /**
     * For {@link java.util.ServiceLoader}. Makes providers (checks the settings and builds the SDK
     * clients) without contacting AWS; {@code create} throws {@link
     * io.kbackup.InvalidPlanException} naming the setting that is wrong.
     */
    public S3StorageProviderFactory() {
        super(ID, S3Config.KEYS, location -> new S3StorageProvider(S3Settings.of(location)));
    }
}
