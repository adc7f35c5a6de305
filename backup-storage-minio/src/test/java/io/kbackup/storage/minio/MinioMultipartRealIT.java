package io.kbackup.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.servers.MinioServer;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * How the minio provider's writer (MinIO Java client) uses multipart uploads on a real MinIO server, seen through
 * MinIO's own list of uploads in progress: parts sent while writing, one upload assembled at
 * commit, none left behind by a writer closed without commit.
 */
class MinioMultipartRealIT {

    static final String BUCKET = "kbackup-multipart";

    private static MinioServer minio;
    private static S3Client raw;
    private StorageProvider s3;
    private final String prefix = "mp-" + UUID.randomUUID().toString().substring(0, 8) + "/";

    @BeforeAll
    static void startServer() {
        minio = MinioServer.start();
        minio.createBucket(BUCKET);
        raw = S3Client.builder().endpointOverride(URI.create(minio.endpoint())).region(Region.of(minio.region()))
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(minio.rootUser(), minio.rootPassword())))
                .build();
    }

    @AfterAll
    static void stopServer() {
        if (raw != null) {
            raw.close();
        }
        if (minio != null) {
            minio.close();
        }
    }

    @AfterEach
    void closeProvider() {
        if (s3 != null) {
            s3.close();
        }
    }

    private StorageProvider provider() {
        s3 = new MinioStorageProviderFactory().create(MinioProviderContractRealIT.location(minio, BUCKET).build());
        return s3;
    }

    private static List<MultipartUpload> uploads(String key) {
        return raw.listMultipartUploads(b -> b.bucket(BUCKET).prefix(key)).uploads();
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    @Test
    void largeBlobIsSentPartByPartWhileWritingAndAssembledAtCommit() throws Exception {
        String key = prefix + "large.tar.gz";
        byte[] data = random(11 * 1024 * 1024 + 17);
        try (BlobWriter w = provider().openWriter(key)) {
            for (int off = 0; off < data.length; off += 100_000) {
                w.write(data, off, Math.min(100_000, data.length - off));
            }
            List<MultipartUpload> open = uploads(key);
            assertThat(open).hasSize(1);
            assertThat(raw.listParts(b -> b.bucket(BUCKET).key(key).uploadId(open.get(0).uploadId())).parts()).hasSize(2);
            assertThat(s3.exists(key)).isFalse();
            BlobInfo info = w.commit();
            assertThat(info.size()).isEqualTo(data.length);
            assertThat(info.etag()).endsWith("-3").isEqualTo(s3.head(key).orElseThrow().etag());
        }
        assertThat(uploads(key)).isEmpty();
        try (InputStream in = s3.get(key)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void smallBlobIsOnePutAtCommit() throws Exception {
        String key = prefix + "small.json";
        try (BlobWriter w = provider().openWriter(key)) {
            w.write(random(1000));
            assertThat(uploads(key)).isEmpty();
            assertThat(s3.exists(key)).isFalse();
            assertThat(w.commit().etag()).isEqualTo(s3.head(key).orElseThrow().etag()).doesNotContain("\"");
        }
    }

    @Test
    void closingWithoutCommitAbortsTheMultipartUpload() throws Exception {
        String key = prefix + "aborted.tar.gz";
        try (BlobWriter w = provider().openWriter(key)) {
            w.write(random(6 * 1024 * 1024));
            assertThat(uploads(key)).hasSize(1);
        }
        assertThat(uploads(key)).isEmpty();
        assertThat(s3.exists(key)).isFalse();
    }
}
