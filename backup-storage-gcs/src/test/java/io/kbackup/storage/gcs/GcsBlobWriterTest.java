package io.kbackup.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.StorageProvider;
import io.kbackup.storage.gcs.internal.GcsStorageProvider;
import java.io.IOException;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The writer's two paths, one request up to 1 MiB and a resumable session beyond, on Google's fake. */
class GcsBlobWriterTest {

    private static final int SMALL = 1024 * 1024;
    private final Storage fake = LocalStorageHelper.getOptions().getService();

    @Test
    void roundTripsSizesAroundTheSingleRequestLimit() throws IOException {
        try (StorageProvider storage = GcsStorageProvider.of(fake, "writer-bucket")) {
            for (int size : new int[] {0, SMALL - 1, SMALL, SMALL + 1, 3 * SMALL + 5}) {
                String key = "w/" + UUID.randomUUID() + "/" + size;
                byte[] data = new byte[size];
                new Random(size).nextBytes(data);
                BlobInfo info;
                try (BlobWriter w = storage.openWriter(key)) {
                    for (int off = 0; off < size; off += 100_000) {
                        w.write(data, off, Math.min(100_000, size - off));
                    }
                    info = w.commit();
                }
                assertThat(info.size()).as("size %d", size).isEqualTo(size);
                assertThat(storage.getBytes(key)).as("size %d", size).isEqualTo(data);
                assertThat(storage.head(key)).get().extracting(BlobInfo::size).isEqualTo((long) size);
            }
        }
    }

    @Test
    void writerRefusesWritesAfterCommitOrAbort() throws IOException {
        try (StorageProvider storage = GcsStorageProvider.of(fake, "writer-bucket")) {
            BlobWriter committed = storage.openWriter("w/" + UUID.randomUUID());
            committed.write(1);
            committed.commit();
            assertThatThrownBy(() -> committed.write(2)).isInstanceOf(IOException.class).hasMessageContaining("committed");
            BlobWriter aborted = storage.openWriter("w/" + UUID.randomUUID());
            aborted.abort();
            assertThatThrownBy(() -> aborted.write(2)).isInstanceOf(IOException.class).hasMessageContaining("aborted");
            assertThatThrownBy(aborted::commit).isInstanceOf(IOException.class);
        }
    }
}
