package io.kbackup.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.StorageDeniedException;
import io.kbackup.StorageUnreachableException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.servers.ServerExtension;
import io.kbackup.testkit.servers.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code validate()} of an S3-compatible provider against a real MinIO server, which checks
 * signatures and policies: a usable location, a missing bucket, credentials MinIO does not know or
 * whose secret is wrong, credentials it knows but whose policy does not allow the bucket, and
 * nothing listening. Each outcome has its own kind, and no message prints a secret. A provider runs it
 * as the nested {@code Validate} of the {@link MinioServerSuites}, which says how to reach the
 * server and how to make the provider; for the s3 provider:
 *
 * <pre>{@code
 * protected BackupLocation.Builder locationWithNothingListening(String endpoint, String region, String bucket) {
 *     return BackupLocation.s3(bucket).region(region).endpoint(endpoint).config(S3Config.S3_FORCE_PATH_STYLE, "true");
 * }
 * }</pre>
 *
 * <p>The class starts one MinIO server ({@link MinioServer#start()}) for its tests and stops it
 * after them; a missing MinIO binary skips the class (fails it under {@code CI=true}).
 */
public abstract class S3CompatibleValidateContract {

    /** The bucket the tests validate, created on the server before the first test. */
    protected static final String BUCKET = "kbackup-validate";

    /** A second bucket, the only one the restricted credentials of the access-denied test may use. */
    protected static final String OTHER_BUCKET = "kbackup-other-team";

    @RegisterExtension
    static final ServerExtension<MinioServer> MINIO = ServerExtension.of(MinioServer::start,
            minio -> minio.createBucket(BUCKET).createBucket(OTHER_BUCKET));
    private final List<StorageProvider> opened = new ArrayList<>();

    @AfterEach
    void closeProviders() {
        opened.forEach(StorageProvider::close);
    }

    /**
     * The provider's location of {@code bucket} on {@code server}; the tests set its credentials.
     */
    protected abstract BackupLocation.Builder location(MinioServer server, String bucket);

    /**
     * The provider's location of {@code bucket} at an endpoint where nothing listens, without
     * credentials (the test sets them) and with nothing else than reaching that endpoint needs.
     *
     * @param endpoint {@code http://127.0.0.1:<free port>}
     * @param region the MinIO server's region
     */
    protected abstract BackupLocation.Builder locationWithNothingListening(String endpoint, String region,
            String bucket);

    /** Makes the provider under test for this location, e.g. through its factory. */
    protected abstract StorageProvider createProvider(BackupLocation location);

    private StorageProvider open(String bucket, Credentials credentials) {
        StorageProvider p = createProvider(location(MINIO.get(), bucket).credentials(credentials).build());
        opened.add(p);
        return p;
    }

    private static Credentials root() {
        return Credentials.awsStatic(MINIO.get().rootUser(), MINIO.get().rootPassword());
    }

    @Test
    void aUsableLocationHasNoProblems() {
        assertThat(open(BUCKET, root()).validate().problems()).isEmpty();
    }

    @Test
    void aMissingBucketIsReportedAsMissing() {
        ValidationResult result = open("kbackup-no-such-bucket", root()).validate();
        assertThat(result.has(ValidationResult.Kind.BUCKET_MISSING)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).message()).contains("NoSuchBucket");
    }

    @Test
    void anUnknownAccessKeyIsReportedAsBadCredentials() {
        ValidationResult result = open(BUCKET, Credentials.awsStatic("AKIANOSUCHUSER000001", "no/such/secret")).validate();
        assertThat(result.has(ValidationResult.Kind.BAD_CREDENTIALS)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).message()).contains("InvalidAccessKeyId");
        assertThat(result.toString()).doesNotContain("no/such/secret");
    }

    @Test
    void aWrongSecretIsReportedAsBadCredentialsNamingTheSecret() {
        ValidationResult result = open(BUCKET, Credentials.awsStatic(MINIO.get().rootUser(), "wrong-secret-never-printed"))
                .validate();
        assertThat(result.has(ValidationResult.Kind.BAD_CREDENTIALS)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).message()).contains("SignatureDoesNotMatch");
        assertThat(result.problems().get(0).fix()).contains("secret");
        assertThat(result.toString()).doesNotContain("wrong-secret-never-printed").doesNotContain(MINIO.get().rootPassword());
    }

    @Test
    void knownCredentialsWithoutRightsOnTheBucketAreReportedAsDenied() {
        MinioServer.TemporaryCredentials onlyOther = MINIO.get().temporaryCredentials("{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:*\"],\"Resource\":[\"arn:aws:s3:::" + OTHER_BUCKET
                + "\",\"arn:aws:s3:::" + OTHER_BUCKET + "/*\"]}]}", Duration.ofMinutes(15));
        Credentials keys = Credentials.awsStatic(onlyOther.accessKeyId(), onlyOther.secretAccessKey(),
                onlyOther.sessionToken());

        ValidationResult result = open(BUCKET, keys).validate();
        assertThat(result.has(ValidationResult.Kind.ACCESS_DENIED)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).message()).contains("AccessDenied");
        assertThat(result.toString()).doesNotContain(onlyOther.secretAccessKey()).doesNotContain(onlyOther.sessionToken());
        assertThatThrownBy(() -> open(BUCKET, keys).put("x", new byte[1])).isInstanceOf(StorageDeniedException.class);

        StorageProvider allowed = open(OTHER_BUCKET, keys);
        assertThat(allowed.validate().problems()).as("the same keys on the bucket they may use").isEmpty();
        allowed.put("with-session-token", new byte[] {1, 2, 3});
        assertThat(allowed.getBytes("with-session-token")).containsExactly(1, 2, 3);
    }

    @Test
    void nothingListeningIsReportedAsUnreachableQuickly() {
        int port = TestServers.freePort();
        StorageProvider s3 = createProvider(
                locationWithNothingListening("http://127.0.0.1:" + port, MINIO.get().region(), BUCKET).credentials(root())
                        .build());
        opened.add(s3);
        long start = System.nanoTime();
        ValidationResult result = s3.validate();
        assertThat(result.has(ValidationResult.Kind.UNREACHABLE)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).message()).contains("127.0.0.1:" + port);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> s3.head("x")).isInstanceOf(StorageUnreachableException.class);
    }
}
