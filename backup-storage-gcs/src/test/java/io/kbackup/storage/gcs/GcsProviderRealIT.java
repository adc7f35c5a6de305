package io.kbackup.storage.gcs;

import static io.kbackup.testkit.storage.TestBytes.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.NotFoundException;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.servers.FakeGcsServer;
import io.kbackup.testkit.servers.ServerExtension;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gcs provider's resumable uploads and bucket errors against a real fake-gcs-server: many
 * small chunks with an odd-sized last one, an upload session abandoned without commit, and writes
 * to a bucket that does not exist.
 */
class GcsProviderRealIT {

    static final String BUCKET = "kbackup-gcs-it";

    @RegisterExtension
    static final ServerExtension<FakeGcsServer> GCS = ServerExtension.of(FakeGcsServer::start,
            gcs -> gcs.createBucket(BUCKET));
    private StorageProvider storage;
    private final String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + "/";

    @AfterEach
    void closeProvider() {
        if (storage != null) {
            storage.close();
        }
    }

    private StorageProvider open(String bucket, int chunkSize) {
        storage = StorageProviders.discover().open(GcsFakeServerContractRealIT.location(GCS.get(), bucket)
                .config(GcsConfig.CHUNK_SIZE_BYTES, String.valueOf(chunkSize)).build());
        return storage;
    }

    @Test
    void resumableUploadOfManyChunksWithAnOddLastChunkReadsBackWhole() throws Exception {
        StorageProvider gcsProvider = open(BUCKET, GcsConfig.CHUNK_GRANULARITY);
        byte[] data = random(3 * 1024 * 1024 + 5);
        String key = prefix + "chunked.tar.gz";
        try (BlobWriter w = gcsProvider.openWriter(key)) {
            for (int off = 0; off < data.length; off += 100_003) {
                w.write(data, off, Math.min(100_003, data.length - off));
            }
            assertThat(gcsProvider.exists(key)).as("nothing visible before commit").isFalse();
            assertThat(w.commit().size()).isEqualTo(data.length);
        }
        assertThat(gcsProvider.getBytes(key)).isEqualTo(data);
        assertThat(gcsProvider.head(key).orElseThrow().size()).isEqualTo(data.length);
    }

    @Test
    void anUploadSessionClosedWithoutCommitPublishesNothing() throws Exception {
        StorageProvider gcsProvider = open(BUCKET, GcsConfig.CHUNK_GRANULARITY);
        String key = prefix + "abandoned.bin";
        try (BlobWriter w = gcsProvider.openWriter(key)) {
            w.write(random(2 * 1024 * 1024)); // past the 1 MiB single-request limit: a resumable session
        }
        assertThat(gcsProvider.exists(key)).isFalse();
        assertThat(gcsProvider.listAll(prefix)).isEmpty();
    }

    @Test
    void writingToAMissingBucketFailsAsNotFoundNamingTheBucket() {
        StorageProvider missing = open("kbackup-no-such-bucket", GcsConfig.DEFAULT_CHUNK_SIZE);
        assertThatThrownBy(() -> missing.put(prefix + "x", new byte[] {1}))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("bucket");
        assertThatThrownBy(() -> missing.getBytes(prefix + "x")).isInstanceOf(NotFoundException.class);
    }
}
