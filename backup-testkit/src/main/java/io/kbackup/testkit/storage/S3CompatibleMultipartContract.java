package io.kbackup.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.BackupLocation;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.servers.ServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How an S3-compatible provider's writer uses multipart uploads on a real MinIO server, seen
 * through MinIO's own list of uploads in progress ({@link MinioServer#multipartUploads}): the
 * {@link S3CompatibleWriterCases}, and the sweep of the uploads of writers that never finished. A
 * provider runs it as the nested {@code Multipart} of the {@link MinioServerSuites}; a test class
 * of its own extends it and says how to reach the server ({@code location(MinioServer, String)})
 * and how to make the provider ({@code createProvider(BackupLocation)}).
 *
 * <p>The class starts one MinIO server ({@link MinioServer#start()}) for its tests and stops it
 * after them; a missing MinIO binary skips the class (fails it under {@code CI=true}).
 */
public abstract class S3CompatibleMultipartContract extends S3CompatibleWriterCases {

    /** The bucket the tests write to, created on the server before the first test. */
    protected static final String BUCKET = "kbackup-multipart";

    @RegisterExtension
    static final ServerExtension<MinioServer> MINIO = ServerExtension.of(MinioServer::start,
            minio -> minio.createBucket(BUCKET));

    /**
     * The provider's location of {@code bucket} on {@code server}, with the root user's keys and
     * parts of 5 MiB (the smallest S3 allows): the tests count the parts of an 11 MiB blob.
     */
    protected abstract BackupLocation.Builder location(MinioServer server, String bucket);

    @Override
    protected final BackupLocation.Builder bucketLocation() {
        return location(MINIO.get(), BUCKET);
    }

    @Override
    protected final List<String> multipartUploads(String key) {
        return MINIO.get().multipartUploads(BUCKET, key);
    }

    @Override
    protected final int uploadedParts(String key, String uploadId) {
        return MINIO.get().uploadedParts(BUCKET, key, uploadId).size();
    }

    /**
     * MinIO lists unfinished uploads only for an exact key ({@code prefix} must be the object's
     * whole name; a folder prefix, or a key that is the start of another, finds none of the others), so the sweep is given the key itself; the assertion
     * on a folder prefix fails once MinIO lists by prefix, and can then become the normal case.
     */
    @Test
    void sweepAbortsTheUploadOfAWriterThatNeverFinishedOnceItIsOlderThanAsked() throws Exception {
        String key = prefix + "crashed/crashed.tar.gz";
        String other = prefix + "crashed/crashed.tar.gz.other";
        StorageProvider s3 = open(bucketLocation());
        BlobWriter crashed = s3.openWriter(key);
        crashed.write(random(6 * 1024 * 1024)); // one part sent; then the process "dies": no commit, no abort
        BlobWriter elsewhere = s3.openWriter(other);
        elsewhere.write(random(6 * 1024 * 1024));
        assertThat(multipartUploads(key)).hasSize(1);
        assertThat(multipartUploads(other)).hasSize(1);

        assertThat(s3.sweepIncompleteUploads(key, Instant.now().minus(Duration.ofHours(1)))).isZero();
        assertThat(multipartUploads(key)).hasSize(1);
        assertThat(s3.sweepIncompleteUploads(prefix + "crashed/", Instant.now().plusSeconds(60)))
                .as("MinIO finds no unfinished upload by a folder prefix").isZero();
        assertThat(s3.sweepIncompleteUploads(other, Instant.now().plusSeconds(60))).isOne();

        assertThat(multipartUploads(other)).isEmpty();
        assertThat(multipartUploads(key)).hasSize(1);
        assertThat(s3.sweepIncompleteUploads(key, Instant.now().plusSeconds(60))).isOne();
        assertThat(multipartUploads(key)).isEmpty();
        assertThat(s3.exists(key)).isFalse();
        assertThat(s3.exists(other)).isFalse();
    }
}
