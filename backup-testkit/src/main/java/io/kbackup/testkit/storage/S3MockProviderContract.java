package io.kbackup.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.BackupLocation;
import io.kbackup.StorageUnreachableException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.servers.S3Endpoint;
import io.kbackup.testkit.servers.TestServers;
import java.io.InputStream;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every S3-compatible provider does against Adobe S3Mock in the test's JVM: the
 * {@link S3CompatibleWriterCases}; {@code deleteAll} over more keys than one request takes;
 * {@code validate()} of a usable location, a missing bucket and a port where nothing listens
 * (quickly, without printing the secret); and TLS on S3Mock's HTTPS port: the server trusted
 * through the {@code caCert} given, refused without it with a fix that names {@code caCert}, and
 * accepted with {@code insecureSkipTLSVerify}. A provider's test class starts S3Mock (the test kit
 * does not depend on it) and says how to make the provider:
 *
 * <pre>{@code
 * class S3StorageProviderIT extends S3MockProviderContract {
 *     @RegisterExtension
 *     static final S3MockExtension S3_MOCK = S3MockExtension.builder().withInitialBuckets(BUCKET)
 *             .withProperty("server.address", "127.0.0.1").silent().build();
 *
 *     S3StorageProviderIT() {
 *         super(BUCKET, S3_MOCK.getHttpPort(), S3_MOCK.getPort(), SECRET);
 *     }
 *
 *     protected BackupLocation.Builder location(String endpoint, String bucket) { ... }
 *     protected StorageProvider createProvider(BackupLocation location) { ... }
 * }
 * }</pre>
 */
public abstract class S3MockProviderContract extends S3CompatibleWriterCases {

    private final String bucket;
    private final int httpPort;
    private final int httpsPort;
    private final String secret;
    private final S3Endpoint server;

    /**
     * @param bucket the bucket S3Mock was started with
     * @param httpPort S3Mock's plain HTTP port on 127.0.0.1
     * @param httpsPort S3Mock's HTTPS port, whose self-signed certificate names {@code localhost}
     *     but not {@code 127.0.0.1}
     * @param secret the secret of the keys {@link #location} sets, which no message may print
     */
    protected S3MockProviderContract(String bucket, int httpPort, int httpsPort, String secret) {
        this.bucket = bucket;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.secret = secret;
        this.server = new S3Endpoint("http://127.0.0.1:" + httpPort, "us-east-1", "any", "any");
    }

    /**
     * The provider's location of {@code bucket} at {@code endpoint}, with keys whose secret is the
     * one given to the constructor, and parts of 5 MiB.
     */
    protected abstract BackupLocation.Builder location(String endpoint, String bucket);

    @Override
    protected final BackupLocation.Builder bucketLocation() {
        return location("http://127.0.0.1:" + httpPort, bucket);
    }

    @Override
    protected final List<String> multipartUploads(String key) {
        return server.multipartUploads(bucket, key);
    }

    @Override
    protected final int uploadedParts(String key, String uploadId) {
        return server.uploadedParts(bucket, key, uploadId).size();
    }

    /** The self-signed certificate S3Mock serves on its HTTPS port, as PEM, from the key store in its jar. */
    private static String certificatePem() throws Exception {
        KeyStore ks = KeyStore.getInstance("JKS");
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("s3mock.jks")) {
            assertThat(in).as("s3mock.jks of S3Mock on the class path").isNotNull();
            ks.load(in, "password".toCharArray());
        }
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ks.getCertificate("selfsigned").getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    @Test
    void deleteAllRemovesMoreKeysThanOneBatchHolds() {
        StorageProvider s3 = open(bucketLocation());
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1003; i++) {
            keys.add(prefix + "many/" + i);
        }
        // blobs in the first and in the second batch of 1000; the other keys were never written
        List<String> written = List.of(keys.get(0), keys.get(999), keys.get(1000), keys.get(1002));
        written.forEach(k -> s3.put(k, new byte[] {1}));
        assertThat(s3.listAll(prefix + "many/")).hasSize(4);
        s3.deleteAll(keys);
        assertThat(s3.listAll(prefix + "many/")).isEmpty();
    }

    @Test
    void validatePassesForAnExistingBucket() {
        assertThat(open(bucketLocation()).validate().problems()).isEmpty();
        assertThat(open(bucketLocation().prefix("some/prefix")).validate().isOk()).isTrue();
    }

    @Test
    void validateReportsAMissingBucketWithTheServersMessage() {
        String missing = "no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8);
        ValidationResult result = open(location("http://127.0.0.1:" + httpPort, missing)).validate();
        assertThat(result.has(ValidationResult.Kind.BUCKET_MISSING)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).message()).contains("NoSuchBucket");
        assertThat(result.problems().get(0).fix()).contains("Create the bucket");
    }

    @Test
    void validateReportsAClosedPortAsUnreachableQuickly() {
        int port = TestServers.freePort();
        StorageProvider s3 = open(location("http://127.0.0.1:" + port, bucket));
        long start = System.nanoTime();
        ValidationResult result = s3.validate();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(result.has(ValidationResult.Kind.UNREACHABLE)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).message()).contains("127.0.0.1:" + port);
        assertThat(millis).isLessThan(5000);
        assertThat(result.toString()).doesNotContain(secret);
    }

    @Test
    void operationsOnAClosedPortThrowRetryableUnreachable() {
        StorageProvider s3 = open(location("http://127.0.0.1:" + TestServers.freePort(), bucket));
        assertThatThrownBy(() -> s3.head("x"))
                .isInstanceOfSatisfying(StorageUnreachableException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageNotContaining(secret);
    }

    @Test
    void trustsAServerWhoseCaIsGivenAsPem() throws Exception {
        StorageProvider s3 = open(location("https://localhost:" + httpsPort, bucket).config("caCert", certificatePem()));
        assertThat(s3.validate().problems()).isEmpty();
        s3.put(prefix + "over-tls", "tls".getBytes());
        assertThat(s3.getBytes(prefix + "over-tls")).isEqualTo("tls".getBytes());
    }

    @Test
    void refusesAnUntrustedCertificateAndSaysToGiveTheCa() {
        ValidationResult result = open(location("https://localhost:" + httpsPort, bucket)).validate();
        assertThat(result.has(ValidationResult.Kind.UNREACHABLE)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).fix()).contains("caCert");
    }

    @Test
    void insecureSkipTlsVerifyAcceptsAnyCertificate() {
        StorageProvider s3 = open(location("https://127.0.0.1:" + httpsPort, bucket)
                .config("insecureSkipTLSVerify", "true"));
        assertThat(s3.validate().problems()).isEmpty();
    }
}
