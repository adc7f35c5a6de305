package io.kbackup.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.ValidationResult;
import io.kbackup.spi.StorageProvider;
import io.kbackup.storage.s3.internal.S3StorageProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Which AWS credentials the s3 provider builds, checked against a loopback STS stand-in
 * ({@link FakeSts}); no call leaves the machine.
 */
class S3CredentialsTest {

    static final String SOURCE_KEY = "AKIASOURCEKEYEXAMPLE";
    static final String SOURCE_SECRET = "source/secret/must-never-appear";
    static final String ROLE = "arn:aws:iam::123456789012:role/kbackup";

    private FakeSts sts;

    @BeforeEach
    void startSts() throws Exception {
        sts = new FakeSts();
    }

    @AfterEach
    void stopSts() {
        sts.close();
    }

    private S3StorageProvider provider(Credentials credentials) {
        BackupLocation location = BackupLocation.s3("bucket")
                .region("eu-west-1")
                .config(S3Config.STS_ENDPOINT, sts.endpoint())
                .credentials(credentials)
                .build();
        return (S3StorageProvider) new S3StorageProviderFactory().create(location);
    }

    @Test
    void assumeRoleSendsRoleExternalIdAndDurationSignedWithTheSourceKeys() {
        Credentials role = Credentials.awsAssumeRole(ROLE, "ext-1234", Duration.ofMinutes(45),
                Credentials.awsStatic(SOURCE_KEY, SOURCE_SECRET));
        try (S3StorageProvider s3 = provider(role)) {
            assertThat(sts.calls()).as("building the provider calls nothing").isEmpty();
            AwsCredentials resolved = s3.clients().credentialsProvider().resolveCredentials();

            assertThat(resolved).isInstanceOf(AwsSessionCredentials.class);
            assertThat(resolved.accessKeyId()).isEqualTo(FakeSts.TEMP_ACCESS_KEY);
            assertThat(sts.calls()).hasSize(1);
            FakeSts.Call call = sts.calls().get(0);
            assertThat(call.params()).containsEntry("Action", "AssumeRole")
                    .containsEntry("RoleArn", ROLE)
                    .containsEntry("ExternalId", "ext-1234")
                    .containsEntry("DurationSeconds", "2700");
            assertThat(call.params().get("RoleSessionName")).startsWith("kbackup-");
            assertThat(call.authorization()).contains("Credential=" + SOURCE_KEY + "/").contains("/eu-west-1/sts/");
            assertThat(s3.clients().credentialsProvider().toString()).isEqualTo("StsAssumeRoleCredentialsProvider");
        }
    }

    @Test
    void assumedRoleCredentialsAreRenewedBeforeTheyExpire() {
        sts.lifetimeSeconds(30); // inside the SDK's stale window: the next use must renew
        try (S3StorageProvider s3 = provider(Credentials.awsAssumeRole(ROLE, null, null,
                Credentials.awsStatic(SOURCE_KEY, SOURCE_SECRET)))) {
            s3.clients().credentialsProvider().resolveCredentials();
            s3.clients().credentialsProvider().resolveCredentials();
            assertThat(sts.calls()).hasSize(2);
            assertThat(sts.calls().get(0).params()).doesNotContainKey("ExternalId").containsEntry("DurationSeconds", "3600");
        }
        sts.lifetimeSeconds(3600);
        try (S3StorageProvider s3 = provider(Credentials.awsAssumeRole(ROLE, null, null,
                Credentials.awsStatic(SOURCE_KEY, SOURCE_SECRET)))) {
            s3.clients().credentialsProvider().resolveCredentials();
            s3.clients().credentialsProvider().resolveCredentials();
            assertThat(sts.calls()).as("fresh credentials are cached").hasSize(3);
        }
    }

    @Test
    void webIdentityExchangesTheTokenFileForRoleCredentials(@TempDir Path dir) throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "eyJhbGciOiJSUzI1NiJ9.projected-service-account-token");
        try (S3StorageProvider s3 = provider(Credentials.awsWebIdentity(ROLE, token))) {
            AwsCredentials resolved = s3.clients().credentialsProvider().resolveCredentials();
            assertThat(resolved.accessKeyId()).isEqualTo(FakeSts.TEMP_ACCESS_KEY);
            FakeSts.Call call = sts.calls().get(0);
            assertThat(call.params()).containsEntry("Action", "AssumeRoleWithWebIdentity")
                    .containsEntry("RoleArn", ROLE)
                    .containsEntry("WebIdentityToken", "eyJhbGciOiJSUzI1NiJ9.projected-service-account-token");
            assertThat(call.authorization()).as("AssumeRoleWithWebIdentity is not signed").isNull();
        }
    }

    @Test
    void refusedAssumeRoleIsReportedByValidateWithStsMessageAndNoSecret() {
        sts.fail(403, "AccessDenied", "User: arn:aws:iam::123456789012:user/backup is not authorized to perform:"
                + " sts:AssumeRole on resource: " + ROLE);
        try (StorageProvider s3 = provider(Credentials.awsAssumeRole(ROLE, "ext-1234", null,
                Credentials.awsStatic(SOURCE_KEY, SOURCE_SECRET)))) {
            ValidationResult result = s3.validate();
            assertThat(result.has(ValidationResult.Kind.ACCESS_DENIED)).as(result.toString()).isTrue();
            assertThat(result.toString()).contains("not authorized to perform: sts:AssumeRole")
                    .contains("sts:AssumeRole").doesNotContain(SOURCE_SECRET).doesNotContain("ext-1234");
        }
    }

    @Test
    void expiredSourceTokenIsReportedAsBadCredentials() {
        sts.fail(400, "ExpiredToken", "The security token included in the request is expired");
        try (StorageProvider s3 = provider(Credentials.awsAssumeRole(ROLE, null, null,
                Credentials.awsStatic(SOURCE_KEY, SOURCE_SECRET, "old-session-token")))) {
            ValidationResult result = s3.validate();
            assertThat(result.has(ValidationResult.Kind.BAD_CREDENTIALS)).as(result.toString()).isTrue();
            assertThat(result.problems().get(0).fix()).contains("expired");
            assertThat(result.toString()).doesNotContain(SOURCE_SECRET).doesNotContain("old-session-token");
        }
    }

    @Test
    void providerAndLocationNeverPrintSecrets() {
        Credentials role = Credentials.awsAssumeRole(ROLE, "ext-1234", null, Credentials.awsStatic(SOURCE_KEY, SOURCE_SECRET));
        try (S3StorageProvider s3 = provider(role)) {
            assertThat(s3.toString()).contains("s3://bucket").contains("aws-assume-role")
                    .doesNotContain(SOURCE_SECRET).doesNotContain(SOURCE_KEY);
            s3.clients().credentialsProvider().resolveCredentials();
            assertThat(s3.clients().credentialsProvider().toString()).doesNotContain(FakeSts.TEMP_SECRET);
        }
    }
}
