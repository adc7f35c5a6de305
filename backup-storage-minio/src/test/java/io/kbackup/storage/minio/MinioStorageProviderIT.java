package io.kbackup.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.StorageUnreachableException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.StorageProvider;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/** The minio provider's own behaviour against Adobe S3Mock in this JVM. */
class MinioStorageProviderIT {

    static final String BUCKET = "kbackup-minio-it";
    static final String SECRET = "minio-secret-key-never-printed";

    @RegisterExtension
    static final S3MockExtension S3_MOCK = S3MockExtension.builder()
            .withInitialBuckets(BUCKET)
            .withProperty("server.address", "127.0.0.1")
            .silent()
            .build();

    private final List<StorageProvider> opened = new ArrayList<>();
    private final String prefix = "it-" + UUID.randomUUID() + "/";

    @AfterEach
    void closeProviders() {
        opened.forEach(StorageProvider::close);
    }

    static BackupLocation.Builder location(String endpoint, String bucket) {
        return BackupLocation.minio(endpoint, bucket)
                .config(MinioConfig.PART_SIZE_BYTES, String.valueOf(MinioConfig.MIN_PART_SIZE_BYTES))
                .credentials(Credentials.awsStatic("minio-access", SECRET));
    }

    static String endpoint() {
        return "http://127.0.0.1:" + S3_MOCK.getHttpPort();
    }

    private StorageProvider open(BackupLocation.Builder b) {
        StorageProvider p = new MinioStorageProviderFactory().create(b.build());
        opened.add(p);
        return p;
    }

    private static List<MultipartUpload> uploads(S3Client raw, String key) {
        return raw.listMultipartUploads(b -> b.bucket(BUCKET).prefix(key)).uploads();
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    @Test
    void largeBlobIsSentPartByPartWhileWritingAndAssembledAtCommit() throws Exception {
        StorageProvider minio = open(location(endpoint(), BUCKET));
        S3Client raw = S3_MOCK.createS3ClientV2();
        String key = prefix + "large.tar.gz";
        byte[] data = random(11 * 1024 * 1024 + 5);
        try (BlobWriter w = minio.openWriter(key)) {
            for (int off = 0; off < data.length; off += 70_000) {
                w.write(data, off, Math.min(70_000, data.length - off));
            }
            List<MultipartUpload> open = uploads(raw, key);
            assertThat(open).hasSize(1);
            assertThat(raw.listParts(b -> b.bucket(BUCKET).key(key).uploadId(open.get(0).uploadId())).parts()).hasSize(2);
            assertThat(minio.exists(key)).isFalse();
            BlobInfo info = w.commit();
            assertThat(info.size()).isEqualTo(data.length);
        }
        assertThat(uploads(raw, key)).isEmpty();
        try (InputStream in = minio.get(key)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void smallBlobIsStoredAtCommitWithoutMultipartUpload() throws Exception {
        StorageProvider minio = open(location(endpoint(), BUCKET));
        S3Client raw = S3_MOCK.createS3ClientV2();
        String key = prefix + "small";
        try (BlobWriter w = minio.openWriter(key)) {
            w.write(random(3000));
            assertThat(uploads(raw, key)).isEmpty();
            assertThat(w.commit().etag()).isEqualTo(minio.head(key).orElseThrow().etag()).doesNotContain("\"");
        }
    }

    @Test
    void closingWithoutCommitAbortsTheMultipartUpload() throws Exception {
        StorageProvider minio = open(location(endpoint(), BUCKET));
        S3Client raw = S3_MOCK.createS3ClientV2();
        String key = prefix + "aborted";
        try (BlobWriter w = minio.openWriter(key)) {
            w.write(random(6 * 1024 * 1024));
            assertThat(uploads(raw, key)).hasSize(1);
        }
        assertThat(uploads(raw, key)).isEmpty();
        assertThat(minio.exists(key)).isFalse();
    }

    @Test
    void validatePassesForAnExistingBucket() {
        assertThat(open(location(endpoint(), BUCKET)).validate().problems()).isEmpty();
    }

    @Test
    void validateReportsAMissingBucketWithTheServersMessage() {
        ValidationResult result = open(location(endpoint(), "missing-" + UUID.randomUUID().toString().substring(0, 8)))
                .validate();
        assertThat(result.has(ValidationResult.Kind.BUCKET_MISSING)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).message()).contains("NoSuchBucket");
        assertThat(result.problems().get(0).fix()).contains("Create the bucket");
    }

    @Test
    void validateReportsAClosedPortAsUnreachableQuickly() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        StorageProvider minio = open(location("http://127.0.0.1:" + port, BUCKET));
        long start = System.nanoTime();
        ValidationResult result = minio.validate();
        assertThat(result.has(ValidationResult.Kind.UNREACHABLE)).as(result.toString()).isTrue();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
        assertThat(result.toString()).doesNotContain(SECRET);
        assertThatThrownBy(() -> minio.head("k"))
                .isInstanceOfSatisfying(StorageUnreachableException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void deleteAllSpansMoreThanOneBatch() {
        StorageProvider minio = open(location(endpoint(), BUCKET));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1003; i++) {
            keys.add(prefix + "many/" + i);
        }
        List<String> written = List.of(keys.get(0), keys.get(999), keys.get(1000), keys.get(1002));
        written.forEach(k -> minio.put(k, new byte[] {1}));
        assertThat(minio.listAll(prefix + "many/")).hasSize(4);
        minio.deleteAll(keys);
        assertThat(minio.listAll(prefix + "many/")).isEmpty();
    }

    @Test
    void readsWhatTheS3ProviderWouldRead() {
        // the same bucket through the AWS SDK: MinIO-client writes are plain S3 objects
        StorageProvider minio = open(location(endpoint(), BUCKET));
        minio.put(prefix + "shared.json", "{\"a\":1}".getBytes());
        assertThat(S3_MOCK.createS3ClientV2().getObjectAsBytes(b -> b.bucket(BUCKET).key(prefix + "shared.json"))
                .asUtf8String()).isEqualTo("{\"a\":1}");
    }

    @Test
    void trustsAServerWhoseCaIsGivenAsPem() throws Exception {
        StorageProvider minio = open(location("https://localhost:" + S3_MOCK.getPort(), BUCKET)
                .config(MinioConfig.CA_CERT, s3MockCertificatePem()));
        assertThat(minio.validate().problems()).isEmpty();
        minio.put(prefix + "over-tls", "tls".getBytes());
        assertThat(minio.getBytes(prefix + "over-tls")).isEqualTo("tls".getBytes());
    }

    @Test
    void refusesAnUntrustedCertificateAndSaysToGiveTheCa() {
        ValidationResult result = open(location("https://localhost:" + S3_MOCK.getPort(), BUCKET)).validate();
        assertThat(result.has(ValidationResult.Kind.UNREACHABLE)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).fix()).contains("caCert");
    }

    @Test
    void insecureSkipTlsVerifyAcceptsAnyCertificate() {
        StorageProvider minio = open(location("https://127.0.0.1:" + S3_MOCK.getPort(), BUCKET)
                .config(MinioConfig.INSECURE_SKIP_TLS_VERIFY, "true"));
        assertThat(minio.validate().problems()).isEmpty();
    }

    /** The self-signed certificate S3Mock serves on its HTTPS port (SAN localhost), as PEM. */
    static String s3MockCertificatePem() throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("JKS");
        try (InputStream in = MinioStorageProviderIT.class.getResourceAsStream("/s3mock.jks")) {
            ks.load(in, "password".toCharArray());
        }
        return "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ks.getCertificate("selfsigned").getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
