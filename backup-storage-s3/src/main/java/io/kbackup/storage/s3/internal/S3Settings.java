package io.kbackup.storage.s3.internal;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.storage.s3.S3Config;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * A location's settings for the {@code s3} provider, parsed and checked. Every check says which
 * setting is wrong and what is accepted; nothing here contacts the service.
 */
public final class S3Settings {

    private final String locationName;
    private final String bucket;
    private final String keyPrefix;
    private final String region;
    private final URI endpoint;
    private final boolean pathStyle;
    private final ServerSideEncryption serverSideEncryption;
    private final String kmsKeyId;
    private final String caCertPem;
    private final boolean insecureSkipTlsVerify;
    private final ChecksumAlgorithm checksumAlgorithm;
    private final String profile;
    private final long partSize;
    private final URI stsEndpoint;
    private final Credentials credentials;

    private S3Settings(BackupLocation location) {
        Map<String, String> config = location.config();
        this.locationName = location.name();
        this.bucket = location.bucket();
        this.keyPrefix = location.keyPrefix();
        this.region = agree("region", location.region().orElse(null), config.get(S3Config.REGION),
                S3Config.REGION, S3Config.DEFAULT_REGION);
        String url = agree("endpoint", location.endpoint().orElse(null), config.get(S3Config.S3_URL),
                S3Config.S3_URL, null);
        this.endpoint = url == null ? null : uri(S3Config.S3_URL, url);
        this.pathStyle = bool(config, S3Config.S3_FORCE_PATH_STYLE, false);
        this.insecureSkipTlsVerify = bool(config, S3Config.INSECURE_SKIP_TLS_VERIFY, false);
        this.kmsKeyId = blankToNull(config.get(S3Config.KMS_KEY_ID));
        this.serverSideEncryption = sse(config.get(S3Config.SERVER_SIDE_ENCRYPTION), kmsKeyId);
        this.caCertPem = blankToNull(config.get(S3Config.CA_CERT));
        this.checksumAlgorithm = checksum(config.get(S3Config.CHECKSUM_ALGORITHM));
        this.profile = blankToNull(config.get(S3Config.PROFILE));
        this.partSize = partSize(config.get(S3Config.PART_SIZE_BYTES));
        String sts = blankToNull(config.get(S3Config.STS_ENDPOINT));
        this.stsEndpoint = sts == null ? null : uri(S3Config.STS_ENDPOINT, sts);
        this.credentials = location.credentials();
        if (!(credentials instanceof Credentials.AwsStatic || credentials instanceof Credentials.AwsAssumeRole
                || credentials instanceof Credentials.AwsWebIdentity || credentials instanceof Credentials.AwsDefaultChain
                || credentials instanceof Credentials.None)) {
            throw invalid("credentials of kind '" + credentials.kind() + "' cannot be used with S3; use"
                    + " Credentials.awsStatic, awsAssumeRole, awsWebIdentity or awsDefaultChain.");
        }
        if (profile != null && !(credentials instanceof Credentials.AwsDefaultChain || credentials instanceof Credentials.None)) {
            throw invalid("'" + S3Config.PROFILE + "' selects credentials from the shared AWS config files and only"
                    + " works with the default credential chain, but the location has " + credentials.kind()
                    + " credentials; remove one of the two.");
        }
    }

    /**
     * Parses and checks the location's settings.
     *
     * @throws InvalidPlanException naming the setting that is wrong
     */
    public static S3Settings of(BackupLocation location) {
        return new S3Settings(Objects.requireNonNull(location, "location"));
    }

    private String agree(String what, String field, String configValue, String key, String fallback) {
        String c = blankToNull(configValue);
        if (field != null && c != null && !field.equals(c)) {
            throw invalid(what + " is set twice with different values: '" + field + "' on the location and '" + c
                    + "' in config key '" + key + "'; keep one of them.");
        }
        return field != null ? field : c != null ? c : fallback;
    }

    private URI uri(String key, String value) {
        try {
            URI u = new URI(value.strip());
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
                throw new URISyntaxException(value, "needs http:// or https:// and a host");
            }
            return u;
        } catch (URISyntaxException e) {
            throw invalid("'" + key + "' value '" + value + "' is not a valid URL (" + e.getReason()
                    + "); use e.g. https://s3.example.com:9000.");
        }
    }

    private boolean bool(Map<String, String> config, String key, boolean fallback) {
        String v = blankToNull(config.get(key));
        if (v == null) {
            return fallback;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid("'" + key + "' must be 'true' or 'false', was '" + v + "'.");
        };
    }

    private ServerSideEncryption sse(String value, String kmsKey) {
        String v = blankToNull(value);
        if (v == null) {
            return kmsKey != null ? ServerSideEncryption.AWS_KMS : null;
        }
        ServerSideEncryption sse = switch (v) {
            case "AES256" -> ServerSideEncryption.AES256;
            case "aws:kms" -> ServerSideEncryption.AWS_KMS;
            default -> throw invalid("'" + S3Config.SERVER_SIDE_ENCRYPTION + "' must be 'AES256' or 'aws:kms', was '"
                    + v + "'.");
        };
        if (sse == ServerSideEncryption.AES256 && kmsKey != null) {
            throw invalid("'" + S3Config.KMS_KEY_ID + "' is set but '" + S3Config.SERVER_SIDE_ENCRYPTION
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
            default -> throw invalid("'" + S3Config.CHECKSUM_ALGORITHM + "' must be CRC32, CRC32C, SHA1, SHA256 or empty"
                    + " (no checksum), was '" + value + "'.");
        };
    }

    private long partSize(String value) {
        String v = blankToNull(value);
        if (v == null) {
            return S3Config.DEFAULT_PART_SIZE_BYTES;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw invalid("'" + S3Config.PART_SIZE_BYTES + "' must be a whole number of bytes, was '" + v + "'.");
        }
        if (n < S3Config.MIN_PART_SIZE_BYTES || n > S3Config.MAX_PART_SIZE_BYTES || n > Integer.MAX_VALUE - 8) {
            throw invalid("'" + S3Config.PART_SIZE_BYTES + "' must be between " + S3Config.MIN_PART_SIZE_BYTES
                    + " (5 MiB, S3's minimum part) and " + (Integer.MAX_VALUE - 8) + " bytes, was " + n + ".");
        }
        return n;
    }

    private InvalidPlanException invalid(String message) {
        return new InvalidPlanException("Backup location '" + locationName + "' (s3): " + message);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    public String locationName() {
        return locationName;
    }

    public String bucket() {
        return bucket;
    }

    /** The location's key prefix ({@code ""} or ending in {@code /}); used by validate only. */
    public String keyPrefix() {
        return keyPrefix;
    }

    public String region() {
        return region;
    }

    /** The endpoint override, or {@code null} for AWS. */
    public URI endpoint() {
        return endpoint;
    }

    public boolean pathStyle() {
        return pathStyle;
    }

    /** {@code null} when none is requested. */
    public ServerSideEncryption serverSideEncryption() {
        return serverSideEncryption;
    }

    /** {@code null} when none. */
    public String kmsKeyId() {
        return kmsKeyId;
    }

    /** {@code null} when none. */
    public String caCertPem() {
        return caCertPem;
    }

    public boolean insecureSkipTlsVerify() {
        return insecureSkipTlsVerify;
    }

    /** {@code null} to send no checksum. */
    public ChecksumAlgorithm checksumAlgorithm() {
        return checksumAlgorithm;
    }

    /** {@code null} when none. */
    public String profile() {
        return profile;
    }

    public int partSize() {
        return (int) partSize;
    }

    /** {@code null} for AWS's. */
    public URI stsEndpoint() {
        return stsEndpoint;
    }

    public Credentials credentials() {
        return credentials;
    }

    /** Where, for messages: {@code s3://bucket} and the endpoint when not AWS. */
    public String where() {
        return "s3://" + bucket + (endpoint != null ? " at " + endpoint : " in " + region);
    }
}
