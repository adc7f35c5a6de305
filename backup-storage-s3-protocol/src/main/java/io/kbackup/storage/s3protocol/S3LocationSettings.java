package io.kbackup.storage.s3protocol;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.spi.support.LocationConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The settings of a location that every S3 provider reads the same way ({@link S3ProtocolKeys}),
 * parsed and checked without contacting the service; every refusal names the setting and what is
 * accepted. A provider reads its own further keys with {@link #bool}, {@link #text} and
 * {@link #uri}, which word their refusals alike. Nothing here prints a secret: an endpoint's
 * user info (a password in the URL) is masked in {@link #where()} and in every message.
 */
public final class S3LocationSettings {

    private static final Pattern USER_INFO = Pattern.compile("//[^/@]*@");

    private final String providerId;
    private final String locationName;
    private final Map<String, String> config;
    private final String bucket;
    private final String keyPrefix;
    private final String region;
    private final URI endpoint;
    private final boolean pathStyle;
    private final String caCertPem;
    private final boolean insecureSkipTlsVerify;
    private final int partSize;
    private final Credentials credentials;

    private S3LocationSettings(BackupLocation location, String providerId, boolean defaultPathStyle,
            String endpointRequired) {
        this.providerId = providerId;
        this.config = location.config();
        this.locationName = location.name();
        this.bucket = location.bucket();
        this.keyPrefix = location.keyPrefix();
        this.region = agree("region", location.region().orElse(null), S3ProtocolKeys.REGION,
                S3ProtocolKeys.DEFAULT_REGION);
        String url = agree("endpoint", location.endpoint().orElse(null), S3ProtocolKeys.S3_URL, null);
        if (url == null && endpointRequired != null) {
            throw invalid(endpointRequired);
        }
        this.endpoint = url == null ? null : uri(S3ProtocolKeys.S3_URL, url);
        this.pathStyle = bool(S3ProtocolKeys.S3_FORCE_PATH_STYLE, defaultPathStyle);
        this.insecureSkipTlsVerify = bool(S3ProtocolKeys.INSECURE_SKIP_TLS_VERIFY, false);
        this.caCertPem = text(S3ProtocolKeys.CA_CERT);
        this.partSize = partSize(text(S3ProtocolKeys.PART_SIZE_BYTES));
        this.credentials = location.credentials();
    }

    /**
     * Parses and checks the shared settings of {@code location}.
     *
     * @param providerId       {@code s3} or {@code minio}, for messages
     * @param defaultPathStyle {@code s3ForcePathStyle} when not set
     * @param endpointRequired the refusal when neither the endpoint nor {@code s3Url} is set, or
     *                         {@code null} when the endpoint is optional (AWS's by default)
     * @throws InvalidPlanException naming the setting that is wrong
     */
    public static S3LocationSettings parse(BackupLocation location, String providerId, boolean defaultPathStyle,
            String endpointRequired) {
        return new S3LocationSettings(Objects.requireNonNull(location, "location"), providerId, defaultPathStyle,
                endpointRequired);
    }

    private String agree(String what, String field, String key, String fallback) {
        String c = text(key);
        if (field != null && c != null && !field.equals(c)) {
            throw invalid(what + " is set twice with different values: '" + masked(field) + "' on the location and '"
                    + masked(c) + "' in config key '" + key + "'; keep one of them.");
        }
        return field != null ? field : c != null ? c : fallback;
    }

    /**
     * {@code value} of config key {@code key} as an http(s) URL with a host.
     *
     * @throws InvalidPlanException naming the key when it is not one
     */
    public URI uri(String key, String value) {
        try {
            URI u = new URI(value.strip());
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null) {
                throw new URISyntaxException(masked(value), "needs http:// or https:// and a host");
            }
            return u;
        } catch (URISyntaxException e) {
            throw invalid("'" + key + "' value '" + masked(value) + "' is not a valid URL (" + e.getReason()
                    + "); use e.g. https://s3.example.com:9000.");
        }
    }

    /** Config key {@code key} as {@code true} or {@code false}, or {@code fallback} when not set. */
    public boolean bool(String key, boolean fallback) {
        String v = text(key);
        if (v == null) {
            return fallback;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid("'" + key + "' must be 'true' or 'false', was '" + v + "'.");
        };
    }

    /** Config key {@code key}, or {@code null} when not set or blank. */
    public String text(String key) {
        return LocationConfig.text(config, key);
    }

    private int partSize(String v) {
        if (v == null) {
            return (int) S3ProtocolKeys.DEFAULT_PART_SIZE_BYTES;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw invalid("'" + S3ProtocolKeys.PART_SIZE_BYTES + "' must be a whole number of bytes, was '" + v + "'.");
        }
        if (n < S3ProtocolKeys.MIN_PART_SIZE_BYTES || n > S3ProtocolKeys.MAX_ARRAY_PART_SIZE_BYTES) {
            throw invalid("'" + S3ProtocolKeys.PART_SIZE_BYTES + "' must be between "
                    + S3ProtocolKeys.MIN_PART_SIZE_BYTES + " (5 MiB, S3's minimum part) and "
                    + S3ProtocolKeys.MAX_ARRAY_PART_SIZE_BYTES + " bytes, was " + n + ".");
        }
        return (int) n;
    }

    /** The refusal of this location's settings: {@code Backup location 'name' (s3): message}. */
    public InvalidPlanException invalid(String message) {
        return new InvalidPlanException("Backup location '" + locationName + "' (" + providerId + "): " + message);
    }

    /** {@code text} with the user info of any URL in it ({@code //user:password@}) masked. */
    public static String masked(String text) {
        return text == null ? null : USER_INFO.matcher(text).replaceAll("//***@");
    }

    public String locationName() {
        return locationName;
    }

    public String bucket() {
        return bucket;
    }

    /** The location's key prefix ({@code ""} or ending in {@code /}). */
    public String keyPrefix() {
        return keyPrefix;
    }

    public String region() {
        return region;
    }

    /** The endpoint, or {@code null} for AWS's. May hold user info: print {@link #where()} instead. */
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
        return partSize;
    }

    public Credentials credentials() {
        return credentials;
    }

    /** Where, for messages: {@code s3://bucket} and the endpoint (user info masked), or the region. */
    public String where() {
        return "s3://" + bucket + (endpoint != null ? " at " + masked(endpoint.toString()) : " in " + region);
    }

    @Override
    public String toString() {
        return "S3LocationSettings[" + providerId + ", " + where() + ", credentials=" + credentials.kind() + "]";
    }
}
