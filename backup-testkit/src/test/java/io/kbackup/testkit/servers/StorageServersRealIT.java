package io.kbackup.testkit.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The storage servers of the test kit, each started for real: ready when {@code start()} returns,
 * on 127.0.0.1 only, buckets made through their own APIs, data folders gone after {@code close()}.
 */
class StorageServersRealIT {

    private static final byte[] NOTHING = new byte[0];

    @Test
    void minioStartsCreatesBucketsChecksSignaturesAndCleansUp() {
        try (MinioServer minio = MinioServer.start()) {
            assertThat(minio.endpoint()).startsWith("http://127.0.0.1:");
            minio.createBucket("plain").createBucket("plain").createBucketWithObjectLock("locked");

            S3Calls.Answer list = S3Calls.send(minio.endpoint(), minio.region(), "s3", minio.rootUser(),
                    minio.rootPassword(), "GET", "/", Map.of(), NOTHING);
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body()).contains("<Name>plain</Name>").contains("<Name>locked</Name>");
            S3Calls.Answer lock = S3Calls.send(minio.endpoint(), minio.region(), "s3", minio.rootUser(),
                    minio.rootPassword(), "GET", "/locked?object-lock=", Map.of(), NOTHING);
            assertThat(lock.body()).contains("<ObjectLockEnabled>Enabled</ObjectLockEnabled>");

            S3Calls.Answer wrongSecret = S3Calls.send(minio.endpoint(), minio.region(), "s3", minio.rootUser(),
                    "not-the-password", "GET", "/", Map.of(), NOTHING);
            assertThat(wrongSecret.status()).isEqualTo(403);
            assertThat(wrongSecret.body()).contains("SignatureDoesNotMatch");

            MinioServer.TemporaryCredentials temp = minio.temporaryCredentials(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:ListAllMyBuckets\"],"
                            + "\"Resource\":[\"arn:aws:s3:::*\"]}]}", Duration.ofMinutes(15));
            assertThat(temp.accessKeyId()).isNotBlank().isNotEqualTo(minio.rootUser());
            assertThat(temp.sessionToken()).isNotBlank();
            assertThat(temp.toString()).doesNotContain(temp.secretAccessKey());
        }
    }

    @Test
    void minioDataFolderIsDeletedOnClose() {
        Path data;
        MinioServer minio = MinioServer.start();
        try {
            minio.createBucket("gone");
            data = minio.dataFolder();
            assertThat(data.resolve("gone")).isDirectory();
        } finally {
            minio.close();
        }
        assertThat(data).doesNotExist();
    }

    @Test
    void fakeGcsServerStartsAndCreatesBuckets() {
        try (FakeGcsServer gcs = FakeGcsServer.start()) {
            assertThat(gcs.endpoint()).startsWith("http://127.0.0.1:");
            gcs.createBucket("one").createBucket("one");
            S3Calls.Answer list = Http.send("GET", gcs.endpoint() + "/storage/v1/b?project=" + FakeGcsServer.PROJECT,
                    null, null);
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body()).contains("\"name\":\"one\"");
        }
    }

    @Test
    void motoServesS3AndStsAndRecordsRoleSessions() {
        try (MotoServer moto = MotoServer.start()) {
            moto.createBucket("moto-bucket");
            S3Calls.Answer list = S3Calls.send(moto.endpoint(), moto.region(), "s3", MotoServer.ACCESS_KEY,
                    MotoServer.SECRET_KEY, "GET", "/", Map.of(), NOTHING);
            assertThat(list.body()).contains("<Name>moto-bucket</Name>");

            S3Calls.Answer assume = S3Calls.send(moto.endpoint(), moto.region(), "sts", MotoServer.ACCESS_KEY,
                    MotoServer.SECRET_KEY, "POST", "/", Map.of("content-type", "application/x-www-form-urlencoded"),
                    ("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr"
                            + "&RoleSessionName=s&ExternalId=ext").getBytes());
            assertThat(assume.status()).isEqualTo(200);
            assertThat(moto.assumedRoles()).singleElement().satisfies(r -> {
                assertThat(r.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/r");
                assertThat(r.externalId()).isEqualTo("ext");
                assertThat(r.accessKeyId()).isEqualTo(S3Calls.element(assume.body(), "AccessKeyId"));
            });

            MotoServer.IamUser user = moto.createUser("someone", "{\"Version\":\"2012-10-17\",\"Statement\":"
                    + "[{\"Effect\":\"Allow\",\"Action\":\"s3:ListAllMyBuckets\",\"Resource\":\"*\"}]}");
            moto.enforceIam();
            try {
                assertThat(S3Calls.send(moto.endpoint(), moto.region(), "s3", user.accessKeyId(),
                        user.secretAccessKey(), "GET", "/", Map.of(), NOTHING).status()).isEqualTo(200);
                assertThat(S3Calls.send(moto.endpoint(), moto.region(), "s3", MotoServer.ACCESS_KEY,
                        MotoServer.SECRET_KEY, "GET", "/", Map.of(), NOTHING).status()).isEqualTo(403);
            } finally {
                moto.relaxIam();
            }
            moto.reset();
            assertThat(moto.assumedRoles()).isEmpty();
        }
    }

    @Test
    void aServerThatExitsAtOnceIsReportedWithItsLog() {
        assertThatThrownBy(() -> MinioServer.start("x", "short"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("minio exited");
    }
}
