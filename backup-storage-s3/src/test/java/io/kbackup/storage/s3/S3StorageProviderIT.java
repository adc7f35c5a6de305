package io.kbackup.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.NotFoundException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.StorageProvider;
import java.io.InputStream;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The s3 provider's own behaviour against Adobe S3Mock in this JVM. */
class S3StorageProviderIT {

    static final String BUCKET = "kbackup-it";
    static final String KMS_KEY_ID = "valid-test-key-id";
    static final String KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/" + KMS_KEY_ID;

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

    static BackupLocation.Builder location(String bucket) {
        return BackupLocation.s3(bucket)
                .endpoint("http://127.0.0.1:" + S3_MOCK.getHttpPort())
                .config(S3Config.S3_FORCE_PATH_STYLE, "true")
                .credentials(Credentials.awsStatic("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    }

    private StorageProvider open(BackupLocation.Builder b) {
        StorageProvider p = new S3StorageProviderFactory().create(b.build());
        opened.add(p);
        return p;
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    private static List<MultipartUpload> uploads(S3Client raw, String key) {
        return raw.listMultipartUploads(b -> b.bucket(BUCKET).prefix(key)).uploads();
    }

    @Test
    void smallBlobIsStoredAtCommitWithoutMultipartUpload() throws Exception {
        StorageProvider s3 = open(location(BUCKET));
        S3Client raw = S3_MOCK.createS3ClientV2();
        String key = prefix + "small.json";
        byte[] data = random(1000);
        try (BlobWriter w = s3.openWriter(key)) {
            w.write(data);
            assertThat(uploads(raw, key)).isEmpty();
            assertThat(s3.exists(key)).isFalse();
            BlobInfo info = w.commit();
            assertThat(info.size()).isEqualTo(1000);
            assertThat(info.etag()).isEqualTo(s3.head(key).orElseThrow().etag()).doesNotContain("\"");
        }
        assertThat(s3.getBytes(key)).isEqualTo(data);
    }

    @Test
    void largeBlobIsSentPartByPartWhileWritingAndAssembledAtCommit() throws Exception {
        StorageProvider s3 = open(location(BUCKET).config(S3Config.PART_SIZE_BYTES, String.valueOf(S3Config.MIN_PART_SIZE_BYTES)));
        S3Client raw = S3_MOCK.createS3ClientV2();
        String key = prefix + "large.tar.gz";
        byte[] data = random(11 * 1024 * 1024 + 17);
        try (BlobWriter w = s3.openWriter(key)) {
            for (int off = 0; off < data.length; off += 100_000) {
                w.write(data, off, Math.min(100_000, data.length - off));
            }
            List<MultipartUpload> open = uploads(raw, key);
            assertThat(open).hasSize(1);
            assertThat(raw.listParts(b -> b.bucket(BUCKET).key(key).uploadId(open.get(0).uploadId())).parts()).hasSize(2);
            assertThat(s3.exists(key)).isFalse();
            BlobInfo info = w.commit();
            assertThat(info.size()).isEqualTo(data.length);
            assertThat(info.etag()).endsWith("-3");
        }
        assertThat(uploads(raw, key)).isEmpty();
        assertThat(s3.head(key).orElseThrow().size()).isEqualTo(data.length);
        try (InputStream in = s3.get(key)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        try (InputStream in = s3.get(key, 5 * 1024 * 1024 - 3, 10)) {
            byte[] expected = new byte[10];
            System.arraycopy(data, 5 * 1024 * 1024 - 3, expected, 0, 10);
            assertThat(in.readAllBytes()).isEqualTo(expected);
        }
    }

    @Test
    void closingWithoutCommitAbortsTheMultipartUpload() throws Exception {
        StorageProvider s3 = open(location(BUCKET).config(S3Config.PART_SIZE_BYTES, String.valueOf(S3Config.MIN_PART_SIZE_BYTES)));
        S3Client raw = S3_MOCK.createS3ClientV2();
        String key = prefix + "aborted.tar.gz";
        try (BlobWriter w = s3.openWriter(key)) {
            w.write(random(6 * 1024 * 1024));
            assertThat(uploads(raw, key)).hasSize(1);
        }
        assertThat(uploads(raw, key)).isEmpty();
        assertThat(s3.exists(key)).isFalse();
    }

    @Test
    void requestsAes256ServerSideEncryption() throws Exception {
        StorageProvider s3 = open(location(BUCKET).config(S3Config.SERVER_SIDE_ENCRYPTION, "AES256"));
        String key = prefix + "sse-s3";
        s3.put(key, random(10));
        HeadObjectResponse head = S3_MOCK.createS3ClientV2().headObject(b -> b.bucket(BUCKET).key(key));
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    }

    @Test
    void requestsKmsEncryptionWithTheKeyGiven() throws Exception {
        S3_MOCK.registerKMSKeyRef(KMS_KEY);
        // S3Mock checks the key id part of a registered ARN; it does not keep encryption settings of
        // multipart uploads, so this checks a single PutObject
        StorageProvider s3 = open(location(BUCKET).config(S3Config.KMS_KEY_ID, KMS_KEY_ID));
        String key = prefix + "sse-kms";
        s3.put(key, random(10));
        HeadObjectResponse head = S3_MOCK.createS3ClientV2().headObject(b -> b.bucket(BUCKET).key(key));
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.ssekmsKeyId()).isEqualTo(KMS_KEY_ID);
    }

    @Test
    void storesWithoutChecksumWhenTheAlgorithmIsEmpty() {
        StorageProvider s3 = open(location(BUCKET).config(S3Config.CHECKSUM_ALGORITHM, ""));
        s3.put(prefix + "plain", "hello".getBytes());
        assertThat(s3.getBytes(prefix + "plain")).isEqualTo("hello".getBytes());
    }

    @Test
    void deleteAllRemovesMoreKeysThanOneBatchHolds() {
        StorageProvider s3 = open(location(BUCKET));
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
    void readingAMissingKeyThrowsNotFoundWithTheKey() {
        StorageProvider s3 = open(location(BUCKET));
        assertThatThrownBy(() -> s3.get(prefix + "missing"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.name()).isEqualTo(prefix + "missing");
                    assertThat(e.retryable()).isFalse();
                });
        assertThat(s3.head(prefix + "missing")).isEmpty();
    }

    @Test
    void rangeStartingAtTheEndReadsNothing() throws Exception {
        StorageProvider s3 = open(location(BUCKET));
        s3.put(prefix + "ten", random(10));
        try (InputStream in = s3.get(prefix + "ten", 10, 5)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
        try (InputStream in = s3.get(prefix + "ten", 8, 5)) {
            assertThat(in.readAllBytes()).hasSize(2);
        }
    }

    @Test
    void validatePassesForAnExistingBucket() {
        assertThat(open(location(BUCKET).prefix("some/prefix")).validate().isOk()).isTrue();
    }

    @Test
    void validateReportsAMissingBucket() {
        ValidationResult result = open(location("no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8))).validate();
        assertThat(result.has(ValidationResult.Kind.BUCKET_MISSING)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).message()).contains("NoSuchBucket");
        assertThat(result.problems().get(0).fix()).contains("Create the bucket");
    }

    @Test
    void validateReportsAClosedPortAsUnreachableQuickly() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        StorageProvider s3 = open(location(BUCKET).endpoint("http://127.0.0.1:" + port));
        long start = System.nanoTime();
        ValidationResult result = s3.validate();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(result.has(ValidationResult.Kind.UNREACHABLE)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).message()).contains("127.0.0.1:" + port);
        assertThat(millis).isLessThan(5000);
    }

    @Test
    void operationsOnAClosedPortThrowRetryableUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        StorageProvider s3 = open(location(BUCKET).endpoint("http://127.0.0.1:" + port));
        assertThatThrownBy(() -> s3.head("x"))
                .isInstanceOfSatisfying(io.kbackup.StorageUnreachableException.class,
                        e -> assertThat(e.retryable()).isTrue())
                .hasMessageNotContaining("wJalrXUtnFEMI");
    }

    @Test
    void trustsAnEndpointWhoseCaIsGivenAsPem() throws Exception {
        StorageProvider s3 = open(location(BUCKET).endpoint("https://localhost:" + S3_MOCK.getPort())
                .config(S3Config.CA_CERT, TestCerts.s3MockCertificatePem()));
        assertThat(s3.validate().problems()).isEmpty();
        s3.put(prefix + "over-tls", "tls".getBytes());
        assertThat(s3.getBytes(prefix + "over-tls")).isEqualTo("tls".getBytes());
    }

    @Test
    void refusesAnUntrustedCertificateAndSaysToGiveTheCa() {
        ValidationResult result = open(location(BUCKET).endpoint("https://localhost:" + S3_MOCK.getPort())).validate();
        assertThat(result.has(ValidationResult.Kind.UNREACHABLE)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).fix()).contains("caCert");
    }

    @Test
    void insecureSkipTlsVerifyAcceptsAnyCertificate() {
        StorageProvider s3 = open(location(BUCKET).endpoint("https://127.0.0.1:" + S3_MOCK.getPort())
                .config(S3Config.INSECURE_SKIP_TLS_VERIFY, "true"));
        assertThat(s3.validate().problems()).isEmpty();
    }
}
