package io.kbackup.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.StorageUnreachableException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.engine.EngineRoundTripContract;
import io.kbackup.testkit.servers.S3Endpoint;
import io.kbackup.testkit.servers.TestServers;
import java.io.InputStream;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every S3-compatible provider does against Adobe S3Mock in the test's JVM: the
 * {@link S3CompatibleWriterCases}; {@code deleteAll} over more keys than one request takes;
 * {@code validate()} of a usable location, a missing bucket and a port where nothing listens
 * (quickly, without printing the secret); TLS on S3Mock's HTTPS port (the server trusted through
 * the {@code caCert} given, refused without it with a fix that names {@code caCert}, accepted with
 * {@code insecureSkipTLSVerify}); and, as nested classes on the same bucket, the whole
 * {@link StorageProviderContract} ({@link OnS3Mock}) and the {@link EngineRoundTripContract}
 * ({@link EngineRoundTrip}). A provider's test class starts S3Mock (the test kit does not depend
 * on it) and says how to make the provider:
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
 *     protected BackupClient engine(KubernetesClient cluster) { return KBackup.direct(cluster); }
 * }
 * }</pre>
 */
public abstract class S3MockProviderContract extends S3CompatibleWriterCases {

    private final Mock mock;

    /**
     * @param bucket the bucket S3Mock was started with
     * @param httpPort S3Mock's plain HTTP port on 127.0.0.1
     * @param httpsPort S3Mock's HTTPS port, whose self-signed certificate names {@code localhost}
     *     but not {@code 127.0.0.1}
     * @param secret the secret of the keys {@link #location} sets, which no message may print
     */
    protected S3MockProviderContract(String bucket, int httpPort, int httpsPort, String secret) {
        this.mock = new Mock(bucket, "http://127.0.0.1:" + httpPort, httpsPort, secret);
    }

    private record Mock(String bucket, String endpoint, int httpsPort, String secret) {
        S3Endpoint asAnyone() {
            return new S3Endpoint(endpoint, "us-east-1", "any", "any");
        }
    }

    /**
     * The provider's location of {@code bucket} at {@code endpoint}, with keys whose secret is the
     * one given to the constructor, and parts of 5 MiB.
     */
    protected abstract BackupLocation.Builder location(String endpoint, String bucket);

    /** The engine of the round trip on {@code cluster}, e.g. {@code KBackup.direct(cluster)}. */
    protected abstract BackupClient engine(KubernetesClient cluster);

    @Override
    protected final BackupLocation.Builder bucketLocation() {
        return location(mock.endpoint(), mock.bucket());
    }

    @Override
    protected final List<String> multipartUploads(String key) {
        return mock.asAnyone().multipartUploads(mock.bucket(), key);
    }

    @Override
    protected final int uploadedParts(String key, String uploadId) {
        return mock.asAnyone().uploadedParts(mock.bucket(), key, uploadId).size();
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
        ValidationResult result = open(location(mock.endpoint(), missing)).validate();
        assertThat(result.has(ValidationResult.Kind.BUCKET_MISSING)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).message()).contains("NoSuchBucket");
        assertThat(result.problems().get(0).fix()).contains("Create the bucket");
    }

    @Test
    void validateReportsAClosedPortAsUnreachableQuickly() {
        int port = TestServers.freePort();
        StorageProvider s3 = open(location("http://127.0.0.1:" + port, mock.bucket()));
        long start = System.nanoTime();
        ValidationResult result = s3.validate();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(result.has(ValidationResult.Kind.UNREACHABLE)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).message()).contains("127.0.0.1:" + port);
        assertThat(millis).isLessThan(5000);
        assertThat(result.toString()).doesNotContain(mock.secret());
    }

    @Test
    void operationsOnAClosedPortThrowRetryableUnreachable() {
        StorageProvider s3 = open(location("http://127.0.0.1:" + TestServers.freePort(), mock.bucket()));
        assertThatThrownBy(() -> s3.head("x"))
                .isInstanceOfSatisfying(StorageUnreachableException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageNotContaining(mock.secret());
    }

    @Test
    void trustsAServerWhoseCaIsGivenAsPem() throws Exception {
        StorageProvider s3 = open(location("https://localhost:" + mock.httpsPort(), mock.bucket()).config("caCert", certificatePem()));
        assertThat(s3.validate().problems()).isEmpty();
        s3.put(prefix + "over-tls", "tls".getBytes());
        assertThat(s3.getBytes(prefix + "over-tls")).isEqualTo("tls".getBytes());
    }

    @Test
    void refusesAnUntrustedCertificateAndSaysToGiveTheCa() {
        ValidationResult result = open(location("https://localhost:" + mock.httpsPort(), mock.bucket())).validate();
        assertThat(result.has(ValidationResult.Kind.UNREACHABLE)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).fix()).contains("caCert");
    }

    @Test
    void insecureSkipTlsVerifyAcceptsAnyCertificate() {
        StorageProvider s3 = open(location("https://127.0.0.1:" + mock.httpsPort(), mock.bucket())
                .config("insecureSkipTLSVerify", "true"));
        assertThat(s3.validate().problems()).isEmpty();
    }

    /**
     * The {@link StorageProviderContract} on S3Mock, the provider found by discovery. Parts of 5 MiB
     * so that the large-blob test is a multipart upload of many parts. Skipped:
     * {@link StorageProviderContractBase.Feature#ATOMIC_EXCLUSIVE_CREATE}, as S3Mock (4.x) checks
     * {@code If-None-Match: *} and stores in two steps, so racing creates can several succeed (seen:
     * three of eight); a single create on an existing key is refused. The race holds on MinIO and moto.
     */
    @Nested
    class OnS3Mock extends StorageProviderContract {

        @Override
        protected StorageProvider createProvider() {
            return StorageProviders.discover().open(bucketLocation().build());
        }

        @Override
        protected StorageProvider createProviderForMissingBucket() {
            return StorageProviders.discover().open(location(mock.endpoint(), mock.bucket() + "-missing").build());
        }

        @Override
        protected Set<Feature> unsupported() {
            return Set.of(Feature.ATOMIC_EXCLUSIVE_CREATE);
        }
    }

    /** The {@link EngineRoundTripContract}: backup, restore and delete through the provider on S3Mock. */
    @Nested
    class EngineRoundTrip extends EngineRoundTripContract {

        @Override
        protected BackupClient engine(KubernetesClient cluster) {
            return S3MockProviderContract.this.engine(cluster);
        }

        @Override
        protected BackupLocation location() {
            return bucketLocation().build();
        }
    }
}
