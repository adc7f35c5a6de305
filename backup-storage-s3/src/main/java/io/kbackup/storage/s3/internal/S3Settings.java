package io.kbackup.storage.s3.internal;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.storage.s3.S3Config;
import io.kbackup.storage.s3protocol.S3LocationSettings;
import io.kbackup.storage.s3protocol.S3ProviderSettings;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * A location's settings for the {@code s3} provider, parsed and checked. Every check says which
 * setting is wrong and what is accepted; nothing here contacts the service.
 */
public final class S3Settings extends S3ProviderSettings {
    private final ServerSideEncryption serverSideEncryption;
    private final String kmsKeyId;
    private final ChecksumAlgorithm checksumAlgorithm;
    private final String profile;
    private final URI stsEndpoint;

    private S3Settings(BackupLocation location) {
        super(S3LocationSettings.parse(Objects.requireNonNull(location, "location"), "s3", false, null));
        this.kmsKeyId = common.text(S3Config.KMS_KEY_ID);
        this.serverSideEncryption = sse(common.text(S3Config.SERVER_SIDE_ENCRYPTION), kmsKeyId);
        this.checksumAlgorithm = checksum(location.config().get(S3Config.CHECKSUM_ALGORITHM));
        this.profile = common.text(S3Config.PROFILE);
        String sts = common.text(S3Config.STS_ENDPOINT);
        this.stsEndpoint = sts == null ? null : common.uri(S3Config.STS_ENDPOINT, sts);
        Credentials credentials = common.credentials();
        if (!(credentials instanceof Credentials.AwsStatic || credentials instanceof Credentials.AwsAssumeRole
                || credentials instanceof Credentials.AwsWebIdentity || credentials instanceof Credentials.AwsDefaultChain
                || credentials instanceof Credentials.None)) {
            throw common.invalid("credentials of kind '" + credentials.kind() + "' cannot be used with S3; use"
                    + " Credentials.awsStatic, awsAssumeRole, awsWebIdentity or awsDefaultChain.");
        }
        if (profile != null && !(credentials instanceof Credentials.AwsDefaultChain || credentials instanceof Credentials.None)) {
            throw common.invalid("'" + S3Config.PROFILE + "' selects credentials from the shared AWS config files and"
                    + " only works with the default credential chain, but the location has " + credentials.kind()
                    + " credentials; remove one of the two.");
        }
    }

    /**
     * Parses and checks the location's settings.
     *
     * @throws InvalidPlanException naming the setting that is wrong
     */
    public static S3Settings of(BackupLocation location) {
        return new S3Settings(location);
    }

    private ServerSideEncryption sse(String v, String kmsKey) {
        if (v == null) {
            return kmsKey != null ? ServerSideEncryption.AWS_KMS : null;
        }
        ServerSideEncryption sse = switch (v) {
            case "AES256" -> ServerSideEncryption.AES256;
            case "aws:kms" -> ServerSideEncryption.AWS_KMS;
            default -> throw common.invalid("'" + S3Config.SERVER_SIDE_ENCRYPTION + "' must be 'AES256' or 'aws:kms',"
                    + " was '" + v + "'.");
        };
        if (sse == ServerSideEncryption.AES256 && kmsKey != null) {
            throw common.invalid("'" + S3Config.KMS_KEY_ID + "' is set but '" + S3Config.SERVER_SIDE_ENCRYPTION
                    + "' is AES256; a KMS key needs 'aws:kms' (or leave serverSideEncryption unset).");
        }
        return sse;
    }

    private ChecksumAlgorithm checksum(String value) {
        if (value == null) {
            return ChecksumAlgorithm.CRC32;
        }
        String v = value.strip().toUpperCase(Locale.ROOT);
        return switch (v) {
            case "" -> null;
            case "CRC32" -> ChecksumAlgorithm.CRC32;
            case "CRC32C" -> ChecksumAlgorithm.CRC32_C;
            case "SHA1" -> ChecksumAlgorithm.SHA1;
            case "SHA256" -> ChecksumAlgorithm.SHA256;
            default -> throw common.invalid("'" + S3Config.CHECKSUM_ALGORITHM + "' must be CRC32, CRC32C, SHA1, SHA256"
                    + " or empty (no checksum), was '" + value + "'.");
        };
    }

    /** {@code null} when none is requested. */
    public ServerSideEncryption serverSideEncryption() {
        return serverSideEncryption;
    }

    /** {@code null} when none. */
    public String kmsKeyId() {
        return kmsKeyId;
    }

    /** {@code null} to send no checksum. */
    public ChecksumAlgorithm checksumAlgorithm() {
        return checksumAlgorithm;
    }

    /** {@code null} when none. */
    public String profile() {
        return profile;
    }

    /** {@code null} for AWS's. */
    public URI stsEndpoint() {
        return stsEndpoint;
    }
}
