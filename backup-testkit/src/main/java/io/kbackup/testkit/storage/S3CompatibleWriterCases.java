package io.kbackup.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.BackupLocation;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.StorageProvider;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How an S3-compatible provider's writer uses multipart uploads, seen through the server's own list
 * of uploads in progress: a small blob is one put at commit, a large one is sent part by part while
 * writing and assembled at commit, and a writer closed without commit leaves no upload behind. The
 * base of {@link S3CompatibleMultipartContract} (a real MinIO server) and
 * {@link S3CompatibleProviderCases} (an S3 emulator in the test's JVM); a subclass says how to make
 * the provider and how to ask the server for its uploads.
 */
public abstract class S3CompatibleWriterCases {

    /** A fresh folder of this test instance, so that tests sharing a bucket never see each other. */
    protected final String prefix = "mp-" + UUID.randomUUID().toString().substring(0, 8) + "/";

    private final List<StorageProvider> opened = new ArrayList<>();

    @AfterEach
    void closeProviders() {
        opened.forEach(StorageProvider::close);
    }

    /**
     * The location of the test bucket, with keys the server accepts and parts of 5 MiB (the
     * smallest S3 allows): the tests count the parts of an 11 MiB blob.
     */
    protected abstract BackupLocation.Builder bucketLocation();

    /** Makes the provider under test for this location, e.g. through its factory. */
    protected abstract StorageProvider createProvider(BackupLocation location);

    /** The ids of the multipart uploads in progress on the test bucket for exactly this key. */
    protected abstract List<String> multipartUploads(String key);

    /** How many parts the upload {@code uploadId} of {@code key} holds so far. */
    protected abstract int uploadedParts(String key, String uploadId);

    /** Opens a provider on {@code location}; closed after the test. */
    protected final StorageProvider open(BackupLocation.Builder location) {
        StorageProvider p = createProvider(location.build());
        opened.add(p);
        return p;
    }

    /** {@code size} bytes of noise, the same for the same size. */
    protected static byte[] random(int size) {
        return TestBytes.random(size);
    }

    @Test
    void largeBlobIsSentPartByPartWhileWritingAndAssembledAtCommit() throws Exception {
        StorageProvider s3 = open(bucketLocation());
        String key = prefix + "large.tar.gz";
        byte[] data = random(11 * 1024 * 1024 + 17);
        try (BlobWriter w = s3.openWriter(key)) {
            for (int off = 0; off < data.length; off += 100_000) {
                w.write(data, off, Math.min(100_000, data.length - off));
            }
            List<String> open = multipartUploads(key);
            assertThat(open).hasSize(1);
            assertThat(uploadedParts(key, open.get(0))).isEqualTo(2);
            assertThat(s3.exists(key)).isFalse();
            BlobInfo info = w.commit();
            assertThat(info.size()).isEqualTo(data.length);
            assertThat(info.etag()).endsWith("-3").isEqualTo(s3.head(key).orElseThrow().etag());
        }
        assertThat(multipartUploads(key)).isEmpty();
        assertThat(s3.head(key).orElseThrow().size()).isEqualTo(data.length);
        try (InputStream in = s3.get(key)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        int from = 5 * 1024 * 1024 - 3;
        try (InputStream in = s3.get(key, from, 10)) {
            assertThat(in.readAllBytes()).as("a range across the first two parts")
                    .isEqualTo(Arrays.copyOfRange(data, from, from + 10));
        }
    }

    @Test
    void smallBlobIsOnePutAtCommit() throws Exception {
        StorageProvider s3 = open(bucketLocation());
        String key = prefix + "small.json";
        byte[] data = random(1000);
        try (BlobWriter w = s3.openWriter(key)) {
            w.write(data);
            assertThat(multipartUploads(key)).isEmpty();
            assertThat(s3.exists(key)).isFalse();
            BlobInfo info = w.commit();
            assertThat(info.size()).isEqualTo(1000);
            assertThat(info.etag()).isEqualTo(s3.head(key).orElseThrow().etag()).doesNotContain("\"");
        }
        assertThat(s3.getBytes(key)).isEqualTo(data);
    }

    @Test
    void closingWithoutCommitAbortsTheMultipartUpload() throws Exception {
        StorageProvider s3 = open(bucketLocation());
        String key = prefix + "aborted.tar.gz";
        try (BlobWriter w = s3.openWriter(key)) {
            w.write(random(6 * 1024 * 1024));
            assertThat(multipartUploads(key)).hasSize(1);
        }
        assertThat(multipartUploads(key)).isEmpty();
        assertThat(s3.exists(key)).isFalse();
    }
}
