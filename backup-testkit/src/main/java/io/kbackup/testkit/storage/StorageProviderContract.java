package io.kbackup.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kbackup.NotFoundException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.StorageProvider;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link StorageProvider} must show, as JUnit 5 tests. A provider's test
 * class extends this and says how to make the provider:
 *
 * <pre>{@code
 * class InMemoryStorageProviderTest extends StorageProviderContract {
 *     @Override
 *     protected StorageProvider createProvider() {
 *         return InMemoryStorageProvider.create("contract-" + UUID.randomUUID());
 *     }
 * }
 * }</pre>
 *
 * <p>Every test writes only under its own fresh key prefix ({@code contract-<random>/}) and lists
 * only under it, so the bucket may be shared and need not be empty. Nothing is deleted after a
 * test: give each run a fresh bucket, or a bucket with a lifecycle rule, when that matters.
 *
 * <p>Tests for a {@link Feature} the provider (or the emulator a test runs against) cannot do are
 * skipped through {@link #unsupported()}, with an assumption message that names the feature.
 * Skipping is visible in the test report; it never passes silently.
 *
 * <p>The tests are grouped by theme in the superclasses: {@link BlobReadWriteContract} (round
 * trips, abort, head and get, ranged reads), {@link BlobListingContract} (listing); this class holds
 * delete, exclusive create, sweep of interrupted uploads, concurrency and validation.
 *
 * <p>Runtime: a few seconds against an in-process provider; the 64 MiB round trip is the longest
 * test. The 1,050 keys of the paged-listing test are written by a pool of 8 threads.
 */
public abstract class StorageProviderContract extends BlobListingContract {

    /** For subclasses. */
    protected StorageProviderContract() {}

    // ---- delete ----

    @Test
    void deleteRemovesOneBlobAndLeavesItsNeighbours() {
        String a = key("del/a.json");
        String b = key("del/b.json");
        storage().put(a, bytes("a"));
        storage().put(b, bytes("b"));
        storage().delete(a);
        assertThat(storage().exists(a)).isFalse();
        assertThatThrownBy(() -> readFully(a)).isInstanceOf(NotFoundException.class);
        assertThat(text(storage().getBytes(b))).isEqualTo("b");
        assertThat(allKeys(key("del/"))).containsExactly(b);
    }

    @Test
    void deleteOfMissingKeyIsFine() {
        storage().delete(key("never-written"));
        storage().delete(key("never/written/deeper"));
        assertThat(storage().exists(key("never-written"))).isFalse();
    }

    @Test
    void deletedKeyCanBeWrittenAgain() {
        String key = key("again/blob");
        storage().put(key, bytes("one"));
        storage().delete(key);
        storage().put(key, bytes("two"));
        assertThat(text(storage().getBytes(key))).isEqualTo("two");
    }

    @Test
    void deleteAllRemovesManyBlobsAndIgnoresMissingKeys() throws Exception {
        requireFeature(Feature.BATCH_DELETE);
        String prefix = key("bulk/");
        List<String> written = writeMany(prefix, 250);
        String keep = key("bulk-keep");
        storage().put(keep, bytes("keep"));

        List<String> toDelete = new ArrayList<>(written);
        toDelete.add(prefix + "not-there-1");
        toDelete.add(key("not/there/2"));
        storage().deleteAll(toDelete);

        assertThat(allKeys(prefix)).isEmpty();
        assertThat(text(storage().getBytes(keep))).isEqualTo("keep");
        storage().deleteAll(List.of());
    }

    // ---- exclusive create ----

    @Test
    void createIfAbsentStoresOnlyWhenNoBlobIsThere() throws IOException {
        requireFeature(Feature.EXCLUSIVE_CREATE);
        String key = key("claim/owner");
        assertThat(storage().createIfAbsent(key, bytes("first"))).isTrue();
        assertThat(storage().createIfAbsent(key, bytes("second, longer"))).isFalse();
        assertThat(readFully(key)).asString().isEqualTo("first");
        assertThat(storage().head(key)).get().extracting(BlobInfo::size).isEqualTo(5L);
    }

    @Test
    void createIfAbsentKeepsABlobStoredByPut() throws IOException {
        requireFeature(Feature.EXCLUSIVE_CREATE);
        String key = key("claim/put");
        storage().put(key, bytes("stored"));
        assertThat(storage().createIfAbsent(key, bytes("claim"))).isFalse();
        assertThat(readFully(key)).asString().isEqualTo("stored");
        storage().delete(key);
        assertThat(storage().createIfAbsent(key, bytes("claim"))).isTrue();
        assertThat(readFully(key)).asString().isEqualTo("claim");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void racingCreatesOfOneKeyHaveExactlyOneWinner() throws Exception {
        requireFeature(Feature.ATOMIC_EXCLUSIVE_CREATE);
        requireFeature(Feature.CONCURRENT_WRITERS);
        String key = key("claim/race");
        Set<Integer> winners = java.util.concurrent.ConcurrentHashMap.newKeySet();
        runTogether(THREADS, racer -> {
            if (storage().createIfAbsent(key, bytes("racer-" + racer))) {
                winners.add(racer);
            }
        });
        assertThat(winners).as("racers that were told they created the blob").hasSize(1);
        assertThat(readFully(key)).asString().isEqualTo("racer-" + winners.iterator().next());
    }

    // ---- interrupted uploads ----

    @Test
    void sweepLeavesCommittedBlobsAndRunningUploadsAlone() throws IOException {
        String done = key("sweep/done.json");
        String running = key("sweep/running.tar.gz");
        storage().put(done, bytes("done"));
        try (BlobWriter w = storage().openWriter(running)) {
            w.write(bytes("in progress"));
            w.flush();
            assertThat(storage().sweepIncompleteUploads(key("sweep/"), Instant.now().minus(Duration.ofHours(1))))
                    .isZero();
            w.write(bytes(", done"));
            w.commit();
        }
        assertThat(storage().sweepIncompleteUploads(key("sweep/"), Instant.now().plusSeconds(60))).isZero();
        assertThat(readFully(done)).asString().isEqualTo("done");
        assertThat(readFully(running)).asString().isEqualTo("in progress, done");
        assertThat(allKeys(key("sweep/"))).containsExactly(done, running);
    }

    // ---- concurrency ----

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentWritersToDistinctKeysAllSucceed() throws Exception {
        requireFeature(Feature.CONCURRENT_WRITERS);
        runTogether(THREADS, writer -> write(key("distinct/" + writer), writer, 1024));
        for (int i = 0; i < THREADS; i++) {
            assertThat(storage().getBytes(key("distinct/" + i))).as("writer %d", i).isEqualTo(content(i, 1024));
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentWritersToOneKeyLeaveOneWholeWritersContent() throws Exception {
        requireFeature(Feature.CONCURRENT_WRITERS);
        String key = key("contended.bin");
        runTogether(THREADS, writer -> write(key, writer, 64));

        byte[] stored = storage().getBytes(key);
        List<Integer> matches = IntStream.range(0, THREADS)
                .filter(i -> Arrays.equals(stored, content(i, 64)))
                .boxed().toList();
        assertThat(matches).as("the blob is exactly one writer's content, never a mix").hasSize(1);
        assertThat(storage().head(key)).get().extracting(BlobInfo::size).isEqualTo((long) stored.length);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void lastCommitWinsAmongOpenWritersToOneKey() throws Exception {
        requireFeature(Feature.CONCURRENT_WRITERS);
        String key = key("last-wins.bin");
        List<BlobWriter> writers = new ArrayList<>();
        try {
            for (int i = 0; i < THREADS; i++) {
                writers.add(storage().openWriter(key));
            }
            // interleave the writes of all writers, then commit in a known order
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < THREADS; i++) {
                    writers.get(i).write(content(i, 4), round * 1024, 1024);
                }
            }
            for (int i = 0; i < THREADS; i++) {
                writers.get(i).write(content(i, 4), 4 * 1024, i * 100);
            }
            int[] order = {3, 0, 7, 1, 6, 2, 5, 4};
            for (int i : order) {
                writers.get(i).commit();
                assertThat(storage().getBytes(key)).as("after commit of writer %d", i).isEqualTo(content(i, 4));
            }
        } finally {
            for (BlobWriter w : writers) {
                w.close();
            }
        }
    }

    // ---- validation ----

    @Test
    void validateIsOkOnAGoodLocation() {
        ValidationResult result = storage().validate();
        assertThat(result.problems()).as("problems of a usable location").isEmpty();
        assertThat(result.isOk()).isTrue();
    }

    @Test
    void validateReportsMissingBucket() throws Exception {
        requireFeature(Feature.VALIDATE_MISSING_BUCKET);
        try (StorageProvider missing = createProviderForMissingBucket()) {
            assumeTrue(missing != null,
                    "validateReportsMissingBucket skipped: createProviderForMissingBucket() returned null");
            ValidationResult result = missing.validate();
            assertThat(result.isOk()).isFalse();
            assertThat(result.has(ValidationResult.Kind.BUCKET_MISSING)).as("problems: %s", result).isTrue();
            assertThat(result.problems()).allSatisfy(p -> {
                assertThat(p.message()).isNotBlank();
                assertThat(p.fix()).isNotBlank();
            });
        }
    }

    /** Writes writer {@code writer}'s content of {@code kib} KiB to {@code key} and commits it. */
    private void write(String key, int writer, int kib) throws Exception {
        try (BlobWriter w = storage().openWriter(key)) {
            writeContent(w, writer, kib);
            w.commit();
        }
    }
}
