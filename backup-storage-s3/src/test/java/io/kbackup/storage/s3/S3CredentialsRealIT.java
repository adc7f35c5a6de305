package io.kbackup.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.StorageDeniedException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.StorageProvider;
import io.kbackup.storage.s3.internal.S3StorageProvider;
import io.kbackup.testkit.servers.MotoServer;
import io.kbackup.testkit.servers.ServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The AWS credentials the s3 provider builds, against a real moto server that serves STS and S3 at
 * one endpoint ({@link S3Config#STS_ENDPOINT} points STS there) with IAM checks on: AssumeRole with
 * an external id signed by a source user, AssumeRoleWithWebIdentity with a token file, and S3
 * requests signed with the session credentials they return. Moto records every role session it
 * hands out, so the tests see what reached STS.
 */
class S3CredentialsRealIT {

    @RegisterExtension
    static final ServerExtension<MotoServer> MOTO = ServerExtension.of(MotoServer::start,
            moto -> iam = MotoIam.setUp(moto, "kbackup-credentials"));
    private static MotoIam iam;

    @BeforeEach
    void checksOn() {
        MOTO.get().enforceIam();
    }

    @AfterEach
    void checksOff() {
        MOTO.get().relaxIam();
    }

    private static S3StorageProvider provider(String bucket, Credentials credentials) {
        BackupLocation location = BackupLocation.s3(bucket)
                .region(MOTO.get().region())
                .endpoint(MOTO.get().endpoint())
                .config(S3Config.S3_FORCE_PATH_STYLE, "true")
                .config(S3Config.STS_ENDPOINT, MOTO.get().endpoint())
                .credentials(credentials)
                .build();
        return (S3StorageProvider) new S3StorageProviderFactory().create(location);
    }

    private static Credentials sourceKeys() {
        return Credentials.awsStatic(iam.source.accessKeyId(), iam.source.secretAccessKey());
    }

    private static Credentials role(String externalId) {
        return Credentials.awsAssumeRole(iam.roleArn, externalId, Duration.ofMinutes(45), sourceKeys());
    }

    @Test
    void assumeRoleWithExternalIdGivesSessionCredentialsThatSignTheS3Requests() {
        int before = MOTO.get().assumedRoles().size();
        try (S3StorageProvider s3 = provider(iam.bucket, role(MotoIam.EXTERNAL_ID))) {
            assertThat(MOTO.get().assumedRoles()).as("building the provider calls nothing").hasSize(before);
            assertThat(s3.validate().problems()).isEmpty();
            s3.put("as-role/blob", new byte[] {4, 2});
            assertThat(s3.getBytes("as-role/blob")).containsExactly(4, 2);

            AwsCredentials resolved = s3.clients().credentialsProvider().resolveCredentials();
            assertThat(resolved).isInstanceOf(AwsSessionCredentials.class);
            assertThat(resolved.accessKeyId()).isNotEqualTo(iam.source.accessKeyId());
            assertThat(MOTO.get().assumedRoles()).as("fresh credentials are cached: one session").hasSize(before + 1);
            MotoServer.AssumedRole session = MOTO.get().assumedRoles().get(before);
            assertThat(session.roleArn()).isEqualTo(iam.roleArn);
            assertThat(session.externalId()).isEqualTo(MotoIam.EXTERNAL_ID);
            assertThat(session.sessionName()).startsWith("kbackup-");
            assertThat(session.accessKeyId()).isEqualTo(resolved.accessKeyId());
            assertThat(s3.clients().credentialsProvider().toString()).isEqualTo("StsAssumeRoleCredentialsProvider");
        }
    }

    @Test
    void theSourceUsersOwnKeysAreDeniedS3() {
        try (StorageProvider s3 = provider(iam.bucket, sourceKeys())) {
            ValidationResult result = s3.validate();
            assertThat(result.has(ValidationResult.Kind.ACCESS_DENIED)).as(result.toString()).isTrue();
            assertThatThrownBy(() -> s3.put("as-source", new byte[1])).isInstanceOf(StorageDeniedException.class);
        }
    }

    @Test
    void aWrongExternalIdIsRefusedByStsAndReportedAsAccessDenied() {
        try (StorageProvider s3 = provider(iam.bucket, role("not-the-external-id"))) {
            ValidationResult result = s3.validate();
            assertThat(result.has(ValidationResult.Kind.ACCESS_DENIED)).as(result.toString()).isTrue();
            assertThat(result.toString()).contains("AccessDenied")
                    .doesNotContain(iam.source.secretAccessKey()).doesNotContain("not-the-external-id");
        }
    }

    @Test
    void anUnknownSourceKeyIsReportedAsBadCredentials() {
        Credentials unknown = Credentials.awsAssumeRole(iam.roleArn, MotoIam.EXTERNAL_ID, null,
                Credentials.awsStatic("AKIAUNKNOWNKEY000001", "unknown/secret/never-printed"));
        try (StorageProvider s3 = provider(iam.bucket, unknown)) {
            ValidationResult result = s3.validate();
            assertThat(result.has(ValidationResult.Kind.BAD_CREDENTIALS)).as(result.toString()).isTrue();
            assertThat(result.toString()).doesNotContain("unknown/secret/never-printed");
        }
    }

    @Test
    void theRolesSessionIsDeniedABucketItsPolicyDoesNotName() {
        MOTO.get().relaxIam();
        MOTO.get().createBucket("other-team-bucket");
        MOTO.get().enforceIam();
        try (StorageProvider s3 = provider("other-team-bucket", role(MotoIam.EXTERNAL_ID))) {
            ValidationResult result = s3.validate();
            assertThat(result.has(ValidationResult.Kind.ACCESS_DENIED)).as(result.toString()).isTrue();
        }
    }

    @Test
    void webIdentityExchangesTheTokenFileForSessionCredentialsThatSignTheS3Requests(@TempDir Path dir)
            throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "eyJhbGciOiJSUzI1NiJ9.projected-service-account-token.signature");
        // AssumeRoleWithWebIdentity is unsigned: moto lets exactly one unauthenticated request
        // through, then checks every S3 request against the web role's policy
        MOTO.get().enforceIamAfter(1);
        int before = MOTO.get().assumedRoles().size();
        try (S3StorageProvider s3 = provider(iam.bucket, Credentials.awsWebIdentity(iam.webRoleArn, token))) {
            assertThat(s3.validate().problems()).isEmpty();
            s3.put("as-web-identity", new byte[] {7});
            assertThat(s3.getBytes("as-web-identity")).containsExactly(7);

            AwsCredentials resolved = s3.clients().credentialsProvider().resolveCredentials();
            assertThat(MOTO.get().assumedRoles()).hasSize(before + 1);
            MotoServer.AssumedRole session = MOTO.get().assumedRoles().get(before);
            assertThat(session.roleArn()).isEqualTo(iam.webRoleArn);
            assertThat(session.externalId()).isNull();
            assertThat(session.accessKeyId()).isEqualTo(resolved.accessKeyId());
            assertThat(s3.clients().credentialsProvider().toString()).isEqualTo("StsWebIdentityTokenFileCredentialsProvider");
        }
    }

    @Test
    void providerAndItsCredentialsNeverPrintSecrets() {
        try (S3StorageProvider s3 = provider(iam.bucket, role(MotoIam.EXTERNAL_ID))) {
            assertThat(s3.toString()).contains("s3://" + iam.bucket).contains("aws-assume-role")
                    .doesNotContain(iam.source.secretAccessKey()).doesNotContain(iam.source.accessKeyId())
                    .doesNotContain(MotoIam.EXTERNAL_ID);
            AwsCredentials resolved = s3.clients().credentialsProvider().resolveCredentials();
            assertThat(s3.clients().credentialsProvider().toString()).doesNotContain(resolved.secretAccessKey());
        }
    }
}
