package io.kbackup.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.StorageDeniedException;
import io.kbackup.StorageException;
import io.kbackup.StorageUnreachableException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviderFactory;
import io.kbackup.spi.StorageProviders;
import io.kbackup.storage.gcs.internal.GcsStorageProvider;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registration, settings, validation and error mapping, against a loopback stub of Google's API. */
class GcsStorageProviderTest {

    private GoogleApiStub stub;

    @BeforeEach
    void startStub() throws Exception {
        stub = new GoogleApiStub();
    }

    @AfterEach
    void stopStub() {
        stub.close();
    }

    private BackupLocation.Builder stubLocation(String bucket) {
        return BackupLocation.gcs(bucket).endpoint(stub.endpoint()).config(GcsConfig.PROJECT, "kbackup-test")
                .credentials(Credentials.none());
    }

    /** A client on the stub that tries once, so failures show without the library's back-off. */
    private Storage oneTryClient() {
        return StorageOptions.http().setHost(stub.endpoint()).setProjectId("kbackup-test")
                .setCredentials(NoCredentials.getInstance())
                .setRetrySettings(StorageOptions.getDefaultRetrySettings().toBuilder().setMaxAttempts(1).build())
                .build().getService();
    }

    @Test
    void isFoundByServiceLoaderUnderIdGcs() {
        StorageProviderFactory factory = StorageProviders.discover().factory("gcs");
        assertThat(factory).isInstanceOf(GcsStorageProviderFactory.class);
        assertThat(factory.configKeys()).contains("project", "kmsKeyName", "credentialsFile", "chunkSizeBytes");
    }

    /**
     * Validates a location on the stub while it answers {@code status} with this error; the result must
     * hold a problem of {@code kind}, which is returned (the first one).
     */
    private ValidationResult.Problem validateWhileTheStubAnswers(int status, String reason, String message,
            ValidationResult.Kind kind) {
        stub.fail(status, reason, message);
        ValidationResult r = stubLocation("team-backups").build().validate();
        assertThat(r.has(kind)).as(r.toString()).isTrue();
        return r.problems().get(0);
    }

    @Test
    void validateIsOkWhenTheBucketLists() {
        assertThat(stubLocation("team-backups").build().validate().isOk()).isTrue();
    }

    @Test
    void validateReportsAMissingBucketWithTheServicesMessage() {
        ValidationResult.Problem p = validateWhileTheStubAnswers(404, "notFound", "The specified bucket does not exist.",
                ValidationResult.Kind.BUCKET_MISSING);
        assertThat(p.message()).contains("team-backups", "The specified bucket does not exist.");
        assertThat(p.fix()).contains("gcloud storage buckets create gs://team-backups");
    }

    @Test
    void validateReportsAPermissionProblemAsAccessDenied() {
        ValidationResult.Problem p = validateWhileTheStubAnswers(403, "forbidden",
                "backup@p.iam.gserviceaccount.com does not have storage.objects.list access", ValidationResult.Kind.ACCESS_DENIED);
        assertThat(p.message()).contains("storage.objects.list");
        assertThat(p.fix()).contains("roles/storage.objectAdmin");
    }

    @Test
    void validateReportsRefusedCredentialsAsBadCredentials() {
        ValidationResult.Problem p = validateWhileTheStubAnswers(401, "required", "Invalid Credentials",
                ValidationResult.Kind.BAD_CREDENTIALS);
        assertThat(p.message()).contains("Invalid Credentials");
    }

    @Test
    void validateReportsARefusedServiceAccountKeyWithoutPrintingIt() throws Exception {
        String json = stub.serviceAccountJson();
        BackupLocation location = stubLocation("team-backups").credentials(Credentials.gcsServiceAccountJson(json)).build();
        ValidationResult r = location.validate();
        assertThat(r.has(ValidationResult.Kind.BAD_CREDENTIALS)).as(r.toString()).isTrue();
        assertThat(r.toString()).doesNotContain("PRIVATE KEY").doesNotContain(json);
        try (StorageProvider p = StorageProviders.discover().open(location)) {
            assertThat(p.toString()).doesNotContain("PRIVATE KEY");
            assertThatThrownBy(() -> p.head("k")).isInstanceOf(StorageDeniedException.class)
                    .hasMessageNotContaining("PRIVATE KEY");
        }
    }

    @Test
    void validateReportsAClosedPortAsUnreachableQuickly() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        BackupLocation location = BackupLocation.gcs("team-backups").endpoint("http://127.0.0.1:" + closed)
                .credentials(Credentials.none()).build();
        long start = System.nanoTime();
        ValidationResult r = location.validate();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(r.has(ValidationResult.Kind.UNREACHABLE)).as(r.toString()).isTrue();
    }

    @Test
    void serviceErrorsBecomeTypedExceptionsWithRetryableSetRight() {
        try (StorageProvider p = GcsStorageProvider.of(oneTryClient(), "team-backups")) {
            stub.fail(503, "backendError", "Backend Error");
            assertThatThrownBy(() -> p.head("k")).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.retryable()).isTrue());
            stub.fail(429, "rateLimitExceeded", "The object exceeded the rate limit");
            assertThatThrownBy(() -> p.list("", null, null, 10)).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.retryable()).isTrue());
            stub.fail(403, "forbidden", "no storage.objects.get access");
            assertThatThrownBy(() -> p.head("k")).isInstanceOfSatisfying(StorageDeniedException.class,
                    e -> assertThat(e.retryable()).isFalse());
            stub.fail(404, "notFound", "No such object: team-backups/k");
            assertThat(p.head("k")).isEmpty();
            assertThatThrownBy(() -> p.get("k")).isInstanceOfSatisfying(NotFoundException.class,
                    e -> assertThat(e.name()).isEqualTo("k"));
        }
    }

    @Test
    void unreachableEndpointFailsOperationsAsRetryable() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Storage client = StorageOptions.http().setHost("http://127.0.0.1:" + closed).setProjectId("p")
                .setCredentials(NoCredentials.getInstance())
                .setRetrySettings(StorageOptions.getDefaultRetrySettings().toBuilder().setMaxAttempts(1).build())
                .build().getService();
        try (StorageProvider p = GcsStorageProvider.of(client, "team-backups")) {
            assertThatThrownBy(() -> p.head("k")).isInstanceOfSatisfying(StorageUnreachableException.class,
                    e -> assertThat(e.retryable()).isTrue());
        }
    }

    @Test
    void refusesBadSettingsNamingTheField() {
        assertThatThrownBy(() -> StorageProviders.discover().open(BackupLocation.gcs("Bad Bucket").build()))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("bucket 'Bad Bucket'");
        assertThatThrownBy(() -> StorageProviders.discover().open(BackupLocation.gcs("b-1")
                .config(GcsConfig.CHUNK_SIZE_BYTES, "1000").build()))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("chunkSizeBytes '1000'");
        assertThatThrownBy(() -> StorageProviders.discover().open(BackupLocation.gcs("b-1")
                .config(GcsConfig.CREDENTIALS_FILE, "/no/such/key.json").build()))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("/no/such/key.json");
        assertThatThrownBy(() -> StorageProviders.discover().open(BackupLocation.gcs("b-1")
                .credentials(Credentials.azureSas("sig=secret-sas")).build()))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("azure-sas")
                .hasMessageNotContaining("secret-sas");
        assertThatThrownBy(() -> StorageProviders.discover().open(BackupLocation.gcs("b-1")
                .config("bucketRegion", "eu").build()))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("bucketRegion")
                .hasMessageContaining("kmsKeyName");
    }

    @Test
    void malformedServiceAccountKeyIsRefusedWithoutEchoingIt() {
        String notAKey = "{\"type\":\"service_account\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\\n\"}";
        assertThatThrownBy(() -> StorageProviders.discover().open(BackupLocation.gcs("b-1")
                .credentials(Credentials.gcsServiceAccountJson(notAKey)).build()))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("service-account key")
                .hasMessageNotContaining("PRIVATE KEY");
    }
}
