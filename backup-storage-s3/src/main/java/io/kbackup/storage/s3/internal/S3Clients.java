package io.kbackup.storage.s3.internal;

import static io.kbackup.storage.s3protocol.S3ProtocolStorageProvider.CONNECT_TIMEOUT;
import static io.kbackup.storage.s3protocol.S3ProtocolStorageProvider.READ_TIMEOUT;
import static io.kbackup.storage.s3protocol.S3ProtocolStorageProvider.VALIDATE_CALL_TIMEOUT;
import static io.kbackup.storage.s3protocol.S3ProtocolStorageProvider.VALIDATE_CONNECT_TIMEOUT;

import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.spi.support.PemTrust;
import io.kbackup.storage.s3.S3Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.utils.AttributeMap;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The SDK clients for one location: the S3 client for data, a second one with short timeouts and
 * no retries for {@code validate()}, and the credentials provider (with its STS client) they share.
 * Building them does not contact any service.
 */
public final class S3Clients implements AutoCloseable {

    private final S3Settings settings;
    private final AwsCredentialsProvider credentialsProvider;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final S3Client s3;
    private final S3Client validateS3;

    private S3Clients(S3Settings settings) {
        this.settings = settings;
        SdkHttpClient http = httpClient(settings, CONNECT_TIMEOUT, READ_TIMEOUT);
        closeables.add(http);
        this.credentialsProvider = credentialsProvider(settings, http);
        if (credentialsProvider instanceof SdkAutoCloseable c) {
            closeables.add(0, c);
        }
        this.s3 = s3Builder(settings, credentialsProvider, http).build();
        SdkHttpClient validateHttp = httpClient(settings, VALIDATE_CONNECT_TIMEOUT, VALIDATE_CALL_TIMEOUT);
        closeables.add(validateHttp);
        this.validateS3 = s3Builder(settings, credentialsProvider, validateHttp)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(VALIDATE_CALL_TIMEOUT)
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .build())
                .build();
        closeables.add(0, s3);
        closeables.add(0, validateS3);
    }

    /** Builds the clients; does not contact any service. */
    public static S3Clients create(S3Settings settings) {
        return new S3Clients(settings);
    }

    public S3Client s3() {
        return s3;
    }

    public S3Client validateS3() {
        return validateS3;
    }

    public AwsCredentialsProvider credentialsProvider() {
        return credentialsProvider;
    }

    private static S3ClientBuilder s3Builder(S3Settings settings, AwsCredentialsProvider credentials, SdkHttpClient http) {
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .httpClient(http)
                .forcePathStyle(settings.pathStyle());
        if (settings.endpoint() != null) {
            b.endpointOverride(settings.endpoint());
        }
        if (settings.checksumAlgorithm() == null) {
            b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return b;
    }

    static SdkHttpClient httpClient(S3Settings settings, Duration connect, Duration socket) {
        Apache5HttpClient.Builder b = Apache5HttpClient.builder().connectionTimeout(connect).socketTimeout(socket);
        if (settings.insecureSkipTlsVerify()) {
            return b.buildWithDefaults(AttributeMap.builder()
                    .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, Boolean.TRUE).build());
        }
        if (settings.caCertPem() != null) {
            var certs = caCertificates(settings);
            b.tlsTrustManagersProvider(() -> PemTrust.trustManagers(certs));
        }
        return b.build();
    }

    private static java.util.List<java.security.cert.X509Certificate> caCertificates(S3Settings settings) {
        try {
            return PemTrust.certificates(settings.caCertPem());
        } catch (IllegalArgumentException e) {
            throw new InvalidPlanException("Backup location '" + settings.locationName() + "' (s3): '" + S3Config.CA_CERT
                    + "' is not a PEM certificate bundle (" + e.getMessage() + "); paste the CA's"
                    + " -----BEGIN CERTIFICATE----- block(s).", e);
        }
    }

    /**
     * The credentials provider for the location's credentials. Exposed for tests that check which
     * provider is built; STS providers call STS only when credentials are first needed.
     */
    static AwsCredentialsProvider credentialsProvider(S3Settings settings, SdkHttpClient http) {
        Credentials c = settings.credentials();
        if (c instanceof Credentials.AwsAssumeRole role) {
            AwsCredentialsProvider source = role.source() == null ? baseProvider(settings, new Credentials.AwsDefaultChain())
                    : baseProvider(settings, role.source());
            StsClient sts = stsClient(settings, source, http);
            return new ClosingStsProvider(StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(sts)
                    .refreshRequest(assumeRoleRequest(role))
                    .build(), sts);
        }
        if (c instanceof Credentials.AwsWebIdentity web) {
            StsClient sts = stsClient(settings, software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create(), http);
            return new ClosingStsProvider(StsWebIdentityTokenFileCredentialsProvider.builder()
                    .stsClient(sts)
                    .roleArn(web.roleArn())
                    .webIdentityTokenFile(web.tokenFile())
                    .roleSessionName(web.sessionName() != null ? web.sessionName() : sessionName())
                    .build(), sts);
        }
        return baseProvider(settings, c);
    }

    /** The AssumeRole call made (and repeated before expiry) for the role. */
    static AssumeRoleRequest assumeRoleRequest(Credentials.AwsAssumeRole role) {
        return AssumeRoleRequest.builder()
                .roleArn(role.roleArn())
                .externalId(role.externalId())
                .durationSeconds((int) role.sessionDuration().toSeconds())
                .roleSessionName(sessionName())
                .build();
    }

    private static String sessionName() {
        return "kbackup-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static AwsCredentialsProvider baseProvider(S3Settings settings, Credentials c) {
        if (c instanceof Credentials.AwsStatic s) {
            return StaticCredentialsProvider.create(s.sessionToken() == null
                    ? AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey())
                    : AwsSessionCredentials.create(s.accessKeyId(), s.secretAccessKey(), s.sessionToken()));
        }
        if (settings.profile() != null) {
            return ProfileCredentialsProvider.builder().profileName(settings.profile()).build();
        }
        // AwsDefaultChain, and None (cloud providers default to their chain)
        return DefaultCredentialsProvider.builder().build();
    }

    private static StsClient stsClient(S3Settings settings, AwsCredentialsProvider source, SdkHttpClient http) {
        StsClientBuilder b = StsClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(source)
                .httpClient(http);
        if (settings.stsEndpoint() != null) {
            b.endpointOverride(settings.stsEndpoint());
        }
        return b.build();
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing is best effort; nothing to report to the caller
            }
        }
    }

    /** An STS credentials provider that also closes the STS client it was given. */
    static final class ClosingStsProvider implements AwsCredentialsProvider, SdkAutoCloseable {
        private final AwsCredentialsProvider delegate;
        private final StsClient sts;

        ClosingStsProvider(AwsCredentialsProvider delegate, StsClient sts) {
            this.delegate = delegate;
            this.sts = sts;
        }

        /** The SDK provider that does the work. */
        AwsCredentialsProvider delegate() {
            return delegate;
        }

        @Override
        public software.amazon.awssdk.auth.credentials.AwsCredentials resolveCredentials() {
            return delegate.resolveCredentials();
        }

        @Override
        public void close() {
            if (delegate instanceof SdkAutoCloseable c) {
                c.close();
            }
            sts.close();
        }

        @Override
        public String toString() {
            return delegate.getClass().getSimpleName();
        }
    }
}
