package io.kbackup.storage.minio.internal;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.storage.minio.MinioConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** A location's settings for the {@code minio} provider, parsed and checked without contacting the server. */
public final class MinioSettings {

    private final String locationName;
    private final String bucket;
    private final String keyPrefix;
    private final String region;
    private final URI endpoint;
    private final boolean pathStyle;
    private final String caCertPem;
    private final boolean insecureSkipTlsVerify;
    private final long partSize;
    private final Credentials credentials;

    private MinioSettings(BackupLocation location) {
        Map<String, String> config = location.config();
        this.locationName = location.name();
        this.bucket = location.bucket();
        this.keyPrefix = location.keyPrefix();
        this.region = agree("region", location.region().orElse(null), config.get(MinioConfig.REGION),
                MinioConfig.REGION, MinioConfig.DEFAULT_REGION);
        String url = agree("endpoint", location.endpoint().orElse(null), config.get(MinioConfig.S3_URL),
                MinioConfig.S3_URL, null);
        if (url == null) {
            throw invalid("the server's URL is required: set the location's endpoint (BackupLocation.minio(endpoint,"
                    + " bucket)) or config key '" + MinioConfig.S3_URL + "', e.g. https://minio.example.com:9000.");
        }
        this.endpoint = uri(url);
        this.pathStyle = bool(config, MinioConfig.S3_FORCE_PATH_STYLE, true);
        this.insecureSkipTlsVerify = bool(config, MinioConfig.INSECURE_SKIP_TLS_VERIFY, false);
        this.caCertPem = blankToNull(config.get(MinioConfig.CA_CERT));
        this.partSize = partSize(config.get(MinioConfig.PART_SIZE_BYTES));
        this.credentials = location.credentials();
        if (!(credentials instanceof Credentials.AwsStatic || credentials instanceof Credentials.AwsDefaultChain
                || credentials instanceof Credentials.None)) {
            throw invalid("credentials of kind '" + credentials.kind() + "' cannot be used with MinIO; use"
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
        return new MinioSettings(Objects.requireNonNull(location, "location"));
    }

    private String agree(String what, String field, String configValue, String key, String fallback) {
        String c = blankToNull(configValue);
        if (field != null && c != null && !field.equals(c)) {
            throw invalid(what + " is set twice with different values: '" + field + "' on the location and '" + c
                    + "' in config key '" + key + "'; keep one of them.");
        }
        return field != null ? field : c != null ? c : fallback;
    }

    private URI uri(String value) {
        try {
            URI u = new URI(value.strip());
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
                throw new URISyntaxException(value, "needs http:// or https:// and a host");
            }
            return u;
        } catch (URISyntaxException e) {
            throw invalid("endpoint '" + value + "' is not a valid URL (" + e.getReason()
                    + "); use e.g. https://minio.example.com:9000.");
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

    private long partSize(String value) {
        String v = blankToNull(value);
        if (v == null) {
            return MinioConfig.DEFAULT_PART_SIZE_BYTES;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw invalid("'" + MinioConfig.PART_SIZE_BYTES + "' must be a whole number of bytes, was '" + v + "'.");
        }
        if (n < MinioConfig.MIN_PART_SIZE_BYTES || n > Integer.MAX_VALUE - 8) {
            throw invalid("'" + MinioConfig.PART_SIZE_BYTES + "' must be between " + MinioConfig.MIN_PART_SIZE_BYTES
                    + " (5 MiB, the S3 minimum part) and " + (Integer.MAX_VALUE - 8) + " bytes, was " + n + ".");
        }
        return n;
    }

    private InvalidPlanException invalid(String message) {
        return new InvalidPlanException("Backup location '" + locationName + "' (minio): " + message);
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

    public String keyPrefix() {
        return keyPrefix;
    }

    public String region() {
        return region;
    }

    public URI endpoint() {
        return endpoint;
    }

    public boolean pathStyle() {
        return pathStyle;
    }

    /** {@code null} when none. */
    public String caCertPem() {
        return caCertPem;
    }

    public boolean insecureSkipTlsVerify() {
        return insecureSkipTlsVerify;
    }

    public int partSize() {
        return (int) partSize;
    }

    public Credentials credentials() {
        return credentials;
    }

    /** Where, for messages: {@code s3://bucket at endpoint}. */
    public String where() {
        return "s3://" + bucket + " at " + endpoint;
    }
}
