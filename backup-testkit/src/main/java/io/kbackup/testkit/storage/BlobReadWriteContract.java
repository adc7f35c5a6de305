package io.kbackup.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.NotFoundException;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
/**
 * The storage contract's blob tests: round trips through a writer and from memory, abort,
 * head and get, ranged reads. Part of {@link StorageProviderContract}, which provider tests extend.
 */
public abstract class BlobReadWriteContract extends StorageProviderContractBase {

    /** Only the contract classes of this package extend it. */
    BlobReadWriteContract() {}

    // ---- identity ----

    @Test
    void hasAnId() {
        assertThat(storage().id()).isNotBlank();
    }

    // ---- round trips ----

    @Test
    void roundTripsEmptyBlobWrittenThroughWriter() throws IOException {
        String key = key("empty.bin");
        BlobInfo info;
        try (BlobWriter w = storage().openWriter(key)) {
            info = w.commit();
            assertThat(w.committed()).isTrue();
        }
        assertThat(info.key()).isEqualTo(key);
        assertThat(info.size()).isZero();
        assertThat(storage().getBytes(key)).isEmpty();
        assertThat(storage().head(key)).get().extracting(BlobInfo::size).isEqualTo(0L);
        assertThat(storage().exists(key)).isTrue();
    }

    @Test
    void roundTripsOneByteBlobWrittenThroughWriter() throws IOException {
        String key = key("one.bin");
        BlobInfo info;
        try (BlobWriter w = storage().openWriter(key)) {
            w.write(0xA5);
            info = w.commit();
        }
        assertThat(info.key()).isEqualTo(key);
        assertThat(info.size()).isEqualTo(1L);
        assertThat(storage().getBytes(key)).containsExactly((byte) 0xA5);
        assertThat(storage().head(key)).get().extracting(BlobInfo::size).isEqualTo(1L);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void roundTripsLargeBlobStreamedThroughWriter() throws Exception {
        requireFeature(Feature.LARGE_OBJECT);
        String key = key("large/archive.tar.gz");
        MessageDigest written = sha256();
        SplittableRandom random = new SplittableRandom(42);
        byte[] chunk = new byte[64 * 1024 + 13];
        BlobInfo info;
        try (BlobWriter w = storage().openWriter(key)) {
            long remaining = LARGE_SIZE;
            w.write(7); // single-byte writes and writes at an offset must both work
            written.update((byte) 7);
            remaining--;
            while (remaining > 0) {
                int off = random.nextInt(8);
                int len = (int) Math.min(remaining, 1 + random.nextInt(chunk.length - off));
                fill(random, chunk, off, len);
                w.write(chunk, off, len);
                written.update(chunk, off, len);
                remaining -= len;
            }
            info = w.commit();
        }
        assertThat(info.size()).isEqualTo(LARGE_SIZE);
        assertThat(storage().head(key)).get().extracting(BlobInfo::size).isEqualTo(LARGE_SIZE);

        MessageDigest read = sha256();
        long count = 0;
        try (InputStream in = new DigestInputStream(storage().get(key), read)) {
            byte[] buf = new byte[128 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                count += n;
            }
        }
        assertThat(count).isEqualTo(LARGE_SIZE);
        assertThat(hex(read.digest())).as("SHA-256 read back").isEqualTo(hex(written.digest()));
    }

    @Test
    void commitReplacesExistingBlob() throws IOException {
        String key = key("replace.json");
        storage().put(key, bytes("first version, longer than the second"));
        BlobInfo info;
        try (BlobWriter w = storage().openWriter(key)) {
            w.write(bytes("second"));
            info = w.commit();
        }
        assertThat(info.size()).isEqualTo(6L);
        assertThat(text(storage().getBytes(key))).isEqualTo("second");
        assertThat(storage().head(key)).get().extracting(BlobInfo::size).isEqualTo(6L);
    }

    @Test
    void putStoresFromStream() {
        String key = key("put/stream.txt");
        BlobInfo info = storage().put(key, new ByteArrayInputStream(bytes("streamed")));
        assertThat(info.key()).isEqualTo(key);
        assertThat(info.size()).isEqualTo(8L);
        assertThat(text(storage().getBytes(key))).isEqualTo("streamed");
    }

    // ---- abort ----

    @Test
    void writerClosedWithoutCommitLeavesNothing() throws IOException {
        requireFeature(Feature.ABORT);
        String key = key("aborted/blob.bin");
        try (BlobWriter w = storage().openWriter(key)) {
            w.write(new byte[10_000]);
            assertThat(w.committed()).isFalse();
        }
        assertThat(storage().head(key)).isEmpty();
        assertThat(storage().exists(key)).isFalse();
        assertThatThrownBy(() -> readFully(key)).isInstanceOf(NotFoundException.class);
        assertThat(allKeys(base)).isEmpty();
    }

    @Test
    void writerClosedWithoutCommitKeepsExistingBlob() throws IOException {
        requireFeature(Feature.ABORT);
        String key = key("kept.json");
        storage().put(key, bytes("original"));
        try (BlobWriter w = storage().openWriter(key)) {
            w.write(bytes("half-written replacement that must never be seen"));
        }
        assertThat(text(storage().getBytes(key))).isEqualTo("original");
        assertThat(storage().head(key)).get().extracting(BlobInfo::size).isEqualTo(8L);
        assertThat(allKeys(base)).containsExactly(key);
    }

    @Test
    void abortDiscardsWritesAndMayBeRepeated() throws IOException {
        requireFeature(Feature.ABORT);
        String key = key("abort-twice.bin");
        BlobWriter w = storage().openWriter(key);
        w.write(bytes("discarded"));
        w.abort();
        w.abort();
        w.close();
        assertThat(w.committed()).isFalse();
        assertThat(storage().exists(key)).isFalse();
    }

    // ---- head and get ----

    @Test
    void headGivesSizeOfBlob() {
        String key = key("head/sized.bin");
        storage().put(key, new byte[1234]);
        BlobInfo info = storage().head(key).orElseThrow();
        assertThat(info.key()).isEqualTo(key);
        assertThat(info.size()).isEqualTo(1234L);
    }

    @Test
    void headOfMissingKeyIsEmpty() {
        assertThat(storage().head(key("nothing-here"))).isEmpty();
        assertThat(storage().exists(key("nothing-here"))).isFalse();
    }

    @Test
    void getOfMissingKeyThrowsNotFoundCarryingKey() {
        String key = key("missing/backup.tar.gz");
        assertThatThrownBy(() -> readFully(key))
                .isInstanceOf(NotFoundException.class)
                .satisfies(e -> assertThat(((NotFoundException) e).name()).isEqualTo(key))
                .satisfies(e -> assertThat(((NotFoundException) e).retryable()).isFalse());
    }

    @Test
    void rangedGetOfMissingKeyThrowsNotFoundCarryingKey() {
        requireFeature(Feature.RANGED_READ);
        String key = key("missing/ranged.bin");
        assertThatThrownBy(() -> readRange(key, 0, 10))
                .isInstanceOf(NotFoundException.class)
                .satisfies(e -> assertThat(((NotFoundException) e).name()).isEqualTo(key));
    }

    // ---- ranged reads ----

    @Test
    void rangedReadsReturnTheRequestedBytes() throws IOException {
        requireFeature(Feature.RANGED_READ);
        String key = key("ranged.bin");
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        storage().put(key, data);

        assertThat(readRange(key, 0, 10)).as("start").isEqualTo(slice(data, 0, 10));
        assertThat(readRange(key, 400, 123)).as("middle").isEqualTo(slice(data, 400, 123));
        assertThat(readRange(key, 900, 100)).as("exactly to the end").isEqualTo(slice(data, 900, 100));
        assertThat(readRange(key, 950, 500)).as("past the end: fewer bytes").isEqualTo(slice(data, 950, 50));
        assertThat(readRange(key, 0, 1000)).as("whole").isEqualTo(data);
        assertThat(readRange(key, 999, 1)).as("last byte").isEqualTo(slice(data, 999, 1));
    }

    @Test
    void rangedReadFromOrPastTheEndIsEmpty() throws IOException {
        requireFeature(Feature.RANGED_READ);
        String key = key("ranged-end.bin");
        storage().put(key, new byte[100]);
        assertThat(readRange(key, 100, 10)).as("offset == size").isEmpty();
        assertThat(readRange(key, 5_000, 10)).as("offset past size").isEmpty();
        assertThat(readRange(key, 10, 0)).as("length 0").isEmpty();
    }

    @Test
    void rangedReadRefusesNegativeOffsetOrLength() {
        requireFeature(Feature.RANGED_READ);
        String key = key("ranged-negative.bin");
        storage().put(key, new byte[10]);
        assertThatThrownBy(() -> readRange(key, -1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> readRange(key, 0, -5)).isInstanceOf(IllegalArgumentException.class);
    }

}
