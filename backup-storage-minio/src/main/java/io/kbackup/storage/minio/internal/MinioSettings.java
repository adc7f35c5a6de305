package io.kbackup.storage.minio.internal;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.storage.minio.MinioConfig;
import io.kbackup.storage.s3protocol.S3LocationSettings;
import io.kbackup.storage.s3protocol.S3ProviderSettings;

/**
 * A location's settings for the {@code minio} provider, parsed and checked without contacting the
 * server: the S3 settings every S3 provider shares ({@link S3LocationSettings}), with what is
 * MinIO's own: an endpoint is required, path-style addressing is the default, and only static keys,
 * the default chain or no credentials apply.
 */
public final class MinioSettings extends S3ProviderSettings {

    private MinioSettings(BackupLocation location) {
        super(S3LocationSettings.parse(location, "minio", true, "the server's URL is required: set the"
                + " location's endpoint (BackupLocation.minio(endpoint, bucket)) or config key '" + MinioConfig.S3_URL
                + "', e.g. https://minio.example.com:9000."));
        Credentials credentials = common.credentials();
        if (!(credentials instanceof Credentials.AwsStatic || credentials instanceof Credentials.AwsDefaultChain
                || credentials instanceof Credentials.None)) {
            throw common.invalid("credentials of kind '" + credentials.kind() + "' cannot be used with MinIO; use"
                    + " Credentials.awsStatic(accessKey, secretKey), awsDefaultChain() or none(). For AWS roles use the"
                    + " 's3' provider.");
        }
    }

    /**
     * Parses and checks the location's settings.
     *
     * @throws InvalidPlanException naming the setting that is wrong
     */
    public static MinioSettings of(BackupLocation location) {
        return new MinioSettings(location);
    }
}
