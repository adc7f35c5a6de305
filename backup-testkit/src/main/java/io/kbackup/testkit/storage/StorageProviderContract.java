package io.kbackup.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kbackup.NotFoundException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.ListPage;
import io.kbackup.spi.StorageProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
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
 * <p>Runtime: a few seconds against an in-process provider; the 64 MiB round trip is the longest
 * test. The 1,050 keys of the paged-listing test are written by a pool of 8 threads.
 */
public abstract class StorageProviderContract {

    /** Streamed round trip size of {@link #roundTripsLargeBlobStreamedThroughWriter()}. */
    protected static final long LARGE_SIZE = 64L * 1024 * 1024;

    /** How many keys the paged-listing tests write. */
    protected static final int MANY_KEYS = 1_050;

    private static final int THREADS = 8;

    /** Something a provider or its test server may not be able to do. */
    public enum Feature {
        /** {@link StorageProvider#get(String, long, long)} of a part of a blob. */
        RANGED_READ,
        /** A 64 MiB blob written through one {@link BlobWriter}. */
        LARGE_OBJECT,
        /** Listings over several pages with continuation tokens. */
        PAGING,
        /** Listings with a delimiter that return common prefixes. */
        COMMON_PREFIXES,
        /**
         * Listings with a delimiter paged over blobs and common prefixes together ({@code pageSize}
         * counts both), with no prefix repeated on a later page.
         */
        COMMON_PREFIX_PAGING,
        /** {@link StorageProvider#deleteAll} of many keys. */
        BATCH_DELETE,
        /** Several threads writing at once, to distinct keys and to one key. */
        CONCURRENT_WRITERS,
        /** {@link StorageProvider#validate()} reporting a bucket that does not exist. */
        VALIDATE_MISSING_BUCKET,
        /** A writer closed (or aborted) without commit leaving nothing behind. */
        ABORT
    }

    private StorageProvider storage;
    private String base;

    /**
     * A provider on an existing bucket, empty or not (the tests write under a fresh prefix); called
     * once per test. The suite closes it after the test.
     */
    protected abstract StorageProvider createProvider() throws Exception;

    /**
     * A provider configured for a bucket that does not exist; {@code null} to skip
     * {@link #validateReportsMissingBucket()} by name. The suite closes it.
     */
    protected StorageProvider createProviderForMissingBucket() throws Exception {
        return null;
    }

    /**
     * Where the test server (not the provider) is known to behave unlike the real service, by
     * feature, with a precise description. The feature's tests still run: they pass only when the
     * divergence is still seen (an assertion of the contract fails), publish the description and
     * the failed assertion as a report entry, and fail once the server behaves, so the entry can be
     * removed. Default: none.
     */
    protected Map<Feature, String> knownServerDivergences() {
        return Map.of();
    }

    /** Features this provider (or its test server) cannot do; their tests are skipped by name. */
    protected Set<Feature> unsupported() {
        return Set.of();
    }

    @BeforeEach
    final void freshPrefix() {
        base = "contract-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    @AfterEach
    final synchronized void closeProvider() {
        if (storage != null) {
            storage.close();
            storage = null;
        }
    }

    /**
     * The provider of the running test, made by {@link #createProvider()} on first use (so after
     * the subclass's own {@code @BeforeEach} methods, which may start a server).
     */
    protected final synchronized StorageProvider storage() {
        if (storage == null) {
            try {
                storage = createProvider();
            } catch (Exception e) {
                throw new IllegalStateException("createProvider() failed: " + e, e);
            }
            assertThat(storage).as("createProvider() returned null").isNotNull();
        }
        return storage;
    }

    /** The running test's key for {@code name}: its fresh prefix plus {@code name}. */
    protected final String key(String name) {
        return base + name;
    }

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

    // ---- listing ----

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void listsManyKeysAcrossPagesInKeyOrder() throws Exception {
        requireFeature(Feature.PAGING);
        String prefix = key("many/");
        List<String> expected = writeMany(prefix, MANY_KEYS);

        List<String> seen = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        String token = null;
        int pages = 0;
        do {
            ListPage page = storage().list(prefix, null, token, 100);
            pages++;
            assertThat(pages).as("pages for %d keys at pageSize 100", MANY_KEYS).isLessThanOrEqualTo(MANY_KEYS + 1);
            assertThat(page.blobs().size()).as("page %d size", pages).isLessThanOrEqualTo(100);
            assertThat(page.commonPrefixes()).as("common prefixes without a delimiter").isEmpty();
            for (BlobInfo b : page.blobs()) {
                seen.add(b.key());
                assertThat(b.size()).as("size of %s", b.key()).isEqualTo(sizeOfMany(b.key()));
            }
            token = page.continuationToken();
            if (token != null) {
                assertThat(tokens.add(token)).as("token %s repeated", token).isTrue();
            }
        } while (token != null);

        assertThat(pages).as("pages").isGreaterThanOrEqualTo((MANY_KEYS + 99) / 100);
        assertThat(seen).as("no duplicates").doesNotHaveDuplicates();
        assertThat(seen).as("every key, in key order").containsExactlyElementsOf(expected);
        assertThat(allKeys(prefix)).as("listAll across its pages of 1,000").containsExactlyElementsOf(expected);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void listAllStreamsEveryBlobUnderPrefixInKeyOrder() throws Exception {
        // listsManyKeysAcrossPagesInKeyOrder also runs listAll over more than one page of 1,000
        int count = 120;
        String prefix = key("all/");
        List<String> expected = writeMany(prefix, count);
        storage().put(key("all-but-not-under-prefix"), new byte[1]);

        List<String> seen = storage().listAll(prefix).map(BlobInfo::key).collect(Collectors.toList());
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void listingOrdersKeysAsStringsAcrossFolders() {
        // '-' < '.' < '/' < '0' < 'b': a key in a "folder" sorts between its neighbours by string order
        List<String> names = List.of("a-b", "a.b", "a/b", "a/c/d", "a0", "ab", "b");
        for (String n : names) {
            storage().put(key("order/" + n), bytes(n));
        }
        List<String> flat = storage().listAll(key("order/")).map(BlobInfo::key).collect(Collectors.toList());
        assertThat(flat).containsExactlyElementsOf(names.stream().map(n -> key("order/" + n)).toList());
    }

    @Test
    void listingAnEmptyPrefixGivesAnEmptyLastPage() {
        ListPage page = storage().list(key("nothing/"), null, null, 100);
        assertThat(page.blobs()).isEmpty();
        assertThat(page.commonPrefixes()).isEmpty();
        assertThat(page.continuationToken()).isNull();
        ListPage grouped = storage().list(key("nothing/"), "/", null, 100);
        assertThat(grouped.blobs()).isEmpty();
        assertThat(grouped.commonPrefixes()).isEmpty();
        assertThat(grouped.continuationToken()).isNull();
    }

    @Test
    void listsCommonPrefixesWithDelimiterAndBlobsAtThatLevel() {
        requireFeature(Feature.COMMON_PREFIXES);
        String p = key("tree/");
        for (String n : List.of("top-1.json", "top-2.json", "dir1/a", "dir1/b", "dir2/c/d", "dir3/x")) {
            storage().put(p + n, bytes(n));
        }
        storage().put(key("tree-sibling/outside"), bytes("x"));

        ListPage page = storage().list(p, "/", null, 1000);
        assertThat(page.blobs()).extracting(BlobInfo::key).containsExactly(p + "top-1.json", p + "top-2.json");
        assertThat(page.commonPrefixes()).containsExactly(p + "dir1/", p + "dir2/", p + "dir3/");
        assertThat(page.continuationToken()).isNull();

        assertThat(storage().listPrefixes(p, "/")).containsExactly(p + "dir1/", p + "dir2/", p + "dir3/");
        ListPage deeper = storage().list(p + "dir2/", "/", null, 1000);
        assertThat(deeper.blobs()).isEmpty();
        assertThat(deeper.commonPrefixes()).containsExactly(p + "dir2/c/");
        ListPage leaf = storage().list(p + "dir1/", "/", null, 1000);
        assertThat(leaf.blobs()).extracting(BlobInfo::key).containsExactly(p + "dir1/a", p + "dir1/b");
        assertThat(leaf.commonPrefixes()).isEmpty();
    }

    @Test
    void commonPrefixesArePagedWithoutDuplicates(TestReporter reporter) {
        requireFeature(Feature.COMMON_PREFIXES);
        requireFeature(Feature.PAGING);
        requireFeature(Feature.COMMON_PREFIX_PAGING);
        runExpectingKnownDivergence(Feature.COMMON_PREFIX_PAGING, reporter, this::pagesCommonPrefixesWithoutDuplicates);
    }

    private void pagesCommonPrefixesWithoutDuplicates() {
        String p = key("paged-tree/");
        List<String> expectedPrefixes = new ArrayList<>();
        List<String> expectedBlobs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String dir = p + "backup-" + i + "/";
            expectedPrefixes.add(dir);
            storage().put(dir + "a.json", bytes("a"));
            storage().put(dir + "b.json", bytes("b"));
            String blob = p + "backup-" + i + ".txt";
            expectedBlobs.add(blob);
            storage().put(blob, bytes("t"));
        }

        List<String> prefixes = new ArrayList<>();
        List<String> blobs = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            ListPage page = storage().list(p, "/", token, 3);
            pages++;
            assertThat(pages).as("pages").isLessThanOrEqualTo(30);
            assertThat(page.blobs().size() + page.commonPrefixes().size()).as("entries on a page").isLessThanOrEqualTo(3);
            page.blobs().forEach(b -> blobs.add(b.key()));
            prefixes.addAll(page.commonPrefixes());
            token = page.continuationToken();
        } while (token != null);

        assertThat(pages).isGreaterThanOrEqualTo(5);
        assertThat(prefixes).containsExactlyElementsOf(expectedPrefixes);
        assertThat(blobs).containsExactlyElementsOf(expectedBlobs);
    }

    @Test
    void prefixMatchesPartialNames() {
        String p = key("partial/");
        for (String n : List.of("backup-1/backup-1.tar.gz", "backup-10/backup-10.tar.gz", "backup-2", "other")) {
            storage().put(p + n, bytes(n));
        }
        assertThat(storage().listAll(p + "backup-1").map(BlobInfo::key))
                .containsExactly(p + "backup-1/backup-1.tar.gz", p + "backup-10/backup-10.tar.gz");
        assertThat(storage().listAll(p + "back").map(BlobInfo::key))
                .containsExactly(p + "backup-1/backup-1.tar.gz", p + "backup-10/backup-10.tar.gz", p + "backup-2");
        assertThat(storage().listAll(p + "backup-10/backup-1").map(BlobInfo::key))
                .containsExactly(p + "backup-10/backup-10.tar.gz");
        assertThat(storage().listAll(p + "zzz").map(BlobInfo::key)).isEmpty();
    }

    @Test
    void partialPrefixWithDelimiterGroupsMatchingFolders() {
        requireFeature(Feature.COMMON_PREFIXES);
        String p = key("partial-tree/");
        for (String n : List.of("backup-1/x", "backup-10/y", "backup-2", "other/z")) {
            storage().put(p + n, bytes(n));
        }
        ListPage page = storage().list(p + "back", "/", null, 1000);
        assertThat(page.commonPrefixes()).containsExactly(p + "backup-1/", p + "backup-10/");
        assertThat(page.blobs()).extracting(BlobInfo::key).containsExactly(p + "backup-2");
    }

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

    // ---- concurrency ----

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentWritersToDistinctKeysAllSucceed() throws Exception {
        requireFeature(Feature.CONCURRENT_WRITERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int writer = i;
            tasks.add(() -> {
                start.await();
                try (BlobWriter w = storage().openWriter(key("distinct/" + writer))) {
                    writeContent(w, writer, 1024);
                    w.commit();
                }
                return null;
            });
        }
        runAll(tasks, start);
        for (int i = 0; i < THREADS; i++) {
            assertThat(storage().getBytes(key("distinct/" + i))).as("writer %d", i).isEqualTo(content(i, 1024));
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentWritersToOneKeyLeaveOneWholeWritersContent() throws Exception {
        requireFeature(Feature.CONCURRENT_WRITERS);
        String key = key("contended.bin");
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int writer = i;
            tasks.add(() -> {
                start.await();
                try (BlobWriter w = storage().openWriter(key)) {
                    writeContent(w, writer, 64);
                    w.commit();
                }
                return null;
            });
        }
        runAll(tasks, start);

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

    // ---- helpers for subclasses and the tests above ----

    /**
     * Runs {@code check}; when {@link #knownServerDivergences()} names {@code feature}, expects it
     * to fail with an assertion error and reports that instead.
     */
    private void runExpectingKnownDivergence(Feature feature, TestReporter reporter, Runnable check) {
        String divergence = knownServerDivergences().get(feature);
        if (divergence == null) {
            check.run();
            return;
        }
        AssertionError seen = null;
        try {
            check.run();
        } catch (AssertionError e) {
            seen = e;
        }
        assertThat(seen).as("the test server no longer shows the known divergence for %s (%s):"
                + " remove it from knownServerDivergences()", feature, divergence).isNotNull();
        String entry = feature + ": " + divergence + " Seen: " + seen.getMessage().strip().replaceAll("\\s+", " ");
        reporter.publishEntry("known test-server divergence", entry);
        System.out.println("[known test-server divergence] " + getClass().getSimpleName() + " " + entry);
    }

    /** Skips the running test when the provider declared {@code feature} unsupported. */
    protected final void requireFeature(Feature feature) {
        assumeFalse(unsupported().contains(feature),
                () -> "skipped: this provider declares feature " + feature + " unsupported");
    }

    /** Every key under {@code prefix}, flat, through {@link StorageProvider#listAll(String)}. */
    protected final List<String> allKeys(String prefix) {
        return storage().listAll(prefix).map(BlobInfo::key).collect(Collectors.toList());
    }

    /**
     * Writes {@code count} keys {@code prefix + "k0000"}, ... with a pool of threads, each blob a
     * few bytes long; returns the keys in key order.
     */
    protected final List<String> writeMany(String prefix, int count) throws Exception {
        List<String> keys = IntStream.range(0, count).mapToObj(i -> String.format("%sk%04d", prefix, i)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                futures.add(pool.submit(() -> {
                    for (int i = first; i < keys.size(); i += THREADS) {
                        storage().put(keys.get(i), new byte[(int) sizeOfMany(keys.get(i))]);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(170, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return keys;
    }

    private static long sizeOfMany(String key) {
        return key.hashCode() & 7;
    }

    private void runAll(List<Callable<Void>> tasks, CountDownLatch start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> t : tasks) {
                futures.add(pool.submit(t));
            }
            start.countDown();
            for (Future<Void> f : futures) {
                f.get(110, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Writer {@code writer}'s content: {@code kib} KiB plus {@code writer * 100} bytes, all tagged. */
    private static byte[] content(int writer, int kib) {
        byte[] data = new byte[kib * 1024 + writer * 100];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (writer * 37 + (i % 251));
        }
        return data;
    }

    private static void writeContent(BlobWriter w, int writer, int kib) throws IOException {
        byte[] data = content(writer, kib);
        for (int off = 0; off < data.length; off += 4096) {
            w.write(data, off, Math.min(4096, data.length - off));
            Thread.yield();
        }
    }

    private byte[] readFully(String key) throws IOException {
        try (InputStream in = storage().get(key)) {
            return in.readAllBytes();
        }
    }

    private byte[] readRange(String key, long offset, long length) throws IOException {
        try (InputStream in = storage().get(key, offset, length)) {
            return in.readAllBytes();
        }
    }

    private static void fill(SplittableRandom random, byte[] buf, int off, int len) {
        for (int i = off; i < off + len; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8 && i + j < off + len; j++) {
                buf[i + j] = (byte) (v >>> (j * 8));
            }
        }
    }

    private static byte[] slice(byte[] data, int from, int length) {
        return Arrays.copyOfRange(data, from, from + length);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

}
