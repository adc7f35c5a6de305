package io.kbackup.storage.s3protocol;

import io.kbackup.Credentials;
import java.net.URI;
import java.util.Objects;

/**
 * A provider's settings of a location: the {@link S3LocationSettings} every S3 provider shares,
 * which a provider's own settings class extends with what is its own. Immutable.
 */
public abstract class S3ProviderSettings {

    /** The shared settings. */
    protected final S3LocationSettings common;

    protected S3ProviderSettings(S3LocationSettings common) {
        this.common = Objects.requireNonNull(common, "common");
    }

    /** The settings every S3 provider shares. */
    public S3LocationSettings common() {
        return common;
    }

    public String locationName() {
        return common.locationName();
    }

    public String bucket() {
        return common.bucket();
    }

    /** The location's key prefix ({@code ""} or ending in {@code /}). */
    public String keyPrefix() {
        return common.keyPrefix();
    }

    public String region() {
        return common.region();
    }

    /** The endpoint, or {@code null} for AWS; may hold user info: print {@link #where()} instead. */
    public URI endpoint() {
        return common.endpoint();
    }

    public boolean pathStyle() {
        return common.pathStyle();
    }

    /** {@code null} when none. */
    public String caCertPem() {
        return common.caCertPem();
    }

    public boolean insecureSkipTlsVerify() {
        return common.insecureSkipTlsVerify();
    }

    public int partSize() {
        return common.partSize();
    }

    public Credentials credentials() {
        return common.credentials();
    }

    /** Where, for messages: {@code s3://bucket} and the endpoint (user info masked) when there is one. */
    public String where() {
        return common.where();
    }

    /** The class, where and the kind of credentials; never a secret. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + where() + ", credentials=" + credentials().kind() + "]";
    }
}
