package io.kbackup.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.StorageProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.junit.jupiter.api.TestReporter;
/**
 * What the storage contract classes share: how a test gets its provider and its fresh key prefix,
 * the {@link Feature}s a provider may declare unsupported, known test-server divergences, and the
 * helpers the tests use. Provider tests extend {@link StorageProviderContract}, which holds (through
 * its superclasses) every contract test; see there.
 */
public abstract class StorageProviderContractBase {

    /** Streamed round trip size of the large-blob round trip. */
    protected static final long LARGE_SIZE = 64L * 1024 * 1024;

    /** How many keys the paged-listing tests write. */
    protected static final int MANY_KEYS = 1_050;

    static final int THREADS = 8;

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
        ABORT,
        /** {@link StorageProvider#createIfAbsent} refusing a key that holds a blob. */
        EXCLUSIVE_CREATE,
        /**
         * Racing {@link StorageProvider#createIfAbsent} calls on one key having exactly one winner
         * (a server that checks the precondition and stores in two steps lets several win).
         */
        ATOMIC_EXCLUSIVE_CREATE
    }

    private StorageProvider storage;
    String base;

    /** Only the contract classes of this package extend it. */
    StorageProviderContractBase() {}

    /**
     * A provider on an existing bucket, empty or not (the tests write under a fresh prefix); called
     * once per test. The suite closes it after the test.
     */
    protected abstract StorageProvider createProvider() throws Exception;

    /**
     * A provider configured for a bucket that does not exist; {@code null} to skip
     * {@code validateReportsMissingBucket()} by name. The suite closes it.
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


    // ---- helpers for subclasses and the tests above ----

    /**
     * Runs {@code check}; when {@link #knownServerDivergences()} names {@code feature}, expects it
     * to fail with an assertion error and reports that instead.
     */
    void runExpectingKnownDivergence(Feature feature, TestReporter reporter, Runnable check) {
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

    static long sizeOfMany(String key) {
        return key.hashCode() & 7;
    }

    /** One of the threads of {@link #runTogether}. */
    interface ThreadTask {
        void run(int thread) throws Exception;
    }

    /** Runs {@code task} on {@code threads} threads (numbered from 0), all released at once; rethrows the first failure. */
    void runTogether(int threads, ThreadTask task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int thread = i;
            tasks.add(() -> {
                start.await();
                task.run(thread);
                return null;
            });
        }
        runAll(tasks, start);
    }

    private static void runAll(List<Callable<Void>> tasks, CountDownLatch start) throws Exception {
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
    static byte[] content(int writer, int kib) {
        byte[] data = new byte[kib * 1024 + writer * 100];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (writer * 37 + (i % 251));
        }
        return data;
    }

    static void writeContent(BlobWriter w, int writer, int kib) throws IOException {
        byte[] data = content(writer, kib);
        for (int off = 0; off < data.length; off += 4096) {
            w.write(data, off, Math.min(4096, data.length - off));
            Thread.yield();
        }
    }

    byte[] readFully(String key) throws IOException {
        try (InputStream in = storage().get(key)) {
            return in.readAllBytes();
        }
    }

    byte[] readRange(String key, long offset, long length) throws IOException {
        try (InputStream in = storage().get(key, offset, length)) {
            return in.readAllBytes();
        }
    }

    static void fill(SplittableRandom random, byte[] buf, int off, int len) {
        for (int i = off; i < off + len; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8 && i + j < off + len; j++) {
                buf[i + j] = (byte) (v >>> (j * 8));
            }
        }
    }

    static byte[] slice(byte[] data, int from, int length) {
        return Arrays.copyOfRange(data, from, from + length);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
