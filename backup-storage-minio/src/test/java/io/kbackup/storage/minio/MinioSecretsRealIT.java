package io.kbackup.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.StorageDeniedException;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.servers.ServerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No secret of the minio provider's location reaches an exception, its causes or
 * {@code toString()}, against a real MinIO server: the MinIO client's own exception prints the
 * request's headers (the session token among them), so it is never chained as it is.
 */
class MinioSecretsRealIT {

    private static final String BUCKET = "kbackup-secrets";

    @RegisterExtension
    static final ServerExtension<MinioServer> MINIO = ServerExtension.of(MinioServer::start,
            minio -> minio.createBucket(BUCKET));

    @Test
    void aRefusedRequestWithASessionTokenPrintsNeitherTokenNorSecret() {
        // temporary keys whose session policy allows listing only: a read is refused (403 AccessDenied)
        MinioServer.TemporaryCredentials keys = MINIO.get().temporaryCredentials("{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::"
                + BUCKET + "\"]}]}", Duration.ofMinutes(15));
        BackupLocation location = BackupLocation.minio(MINIO.get().endpoint(), BUCKET)
                .credentials(Credentials.awsStatic(keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken()))
                .build();
        try (StorageProvider storage = new MinioStorageProviderFactory().create(location)) {
            Throwable refused = catchThrowable(() -> storage.getBytes("backups/b1/velero-backup.json"));

            assertThat(refused).isInstanceOf(StorageDeniedException.class).hasMessageContaining("AccessDenied");
            String printed = printed(refused);
            assertThat(printed).contains("MinIO said: 403 AccessDenied")
                    .doesNotContain(keys.sessionToken()).doesNotContain(keys.secretAccessKey());
            assertThat(storage.toString()).doesNotContain(keys.sessionToken()).doesNotContain(keys.secretAccessKey());
        }
    }

    @Test
    void aPasswordInTheEndpointUrlIsMaskedInToStringAndMessages() {
        String endpoint = MINIO.get().endpoint().replace("://", "://someone:url-password@");
        BackupLocation location = BackupLocation.minio(endpoint, "kbackup-missing")
                .credentials(Credentials.awsStatic(MINIO.get().rootUser(), MINIO.get().rootPassword())).build();
        try (StorageProvider storage = new MinioStorageProviderFactory().create(location)) {
            assertThat(storage.toString()).doesNotContain("url-password").contains("***@");
            Throwable failed = catchThrowable(() -> storage.getBytes("k"));
            assertThat(failed).isNotNull();
            assertThat(printed(failed)).doesNotContain("url-password").doesNotContain(MINIO.get().rootPassword());
            assertThat(storage.validate().problems()).allSatisfy(p ->
                    assertThat(p.message() + p.fix()).doesNotContain("url-password"));
        }
    }

    private static String printed(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        StringBuilder all = new StringBuilder(out.toString());
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append('\n').append(c);
        }
        return all.toString();
    }
}
