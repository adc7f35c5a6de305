package io.kbackup.testkit.storage;

import io.kbackup.StorageUnreachableException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.ListPage;
import io.kbackup.spi.Retention;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.storage.FaultRule.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Wraps any {@link StorageProvider} and makes chosen calls fail, to prove that a failure part-way
 * through a backup or restore is handled: a writer that breaks after N bytes, a commit that fails,
 * gets, heads, lists or deletes that fail for keys matching a predicate. Counts every call.
 * Thread-safe; faults may be added and {@link #reset() removed} while the wrapper is in use.
 *
 * <pre>{@code
 * FaultInjectingStorageProvider storage = FaultInjectingStorageProvider.wrap(InMemoryStorageProvider.create("b"))
 *         .failWritesAfter(1024 * 1024, key -> key.endsWith(".tar.gz"));
 * // run a backup on storage: it must end Failed, and no archive must be visible
 * assertThat(storage.calls(Operation.COMMIT)).isZero();
 * }</pre>
 *
 * <p>Writer and commit faults throw {@link IOException} (what a broken upload stream throws); the
 * other faults throw what the rule's exception factory makes, by default a retryable
 * {@link StorageUnreachableException} whose message starts with {@value #MARKER}. A fault with a
 * count fires that many times, then the call goes through (to test retries).
 */
public final class FaultInjectingStorageProvider implements StorageProvider {

    /** Start of every injected fault's message. */
    public static final String MARKER = "injected fault";

    /** The calls that are counted. */
    public enum Operation {
        OPEN_WRITER, COMMIT, ABORT, GET, GET_RANGE, HEAD, LIST, DELETE, DELETE_ALL, VALIDATE, CREATE_IF_ABSENT,
        SWEEP
    }

    private final StorageProvider delegate;
    private final Map<Operation, AtomicLong> counts = new EnumMap<>(Operation.class);
    private final AtomicLong bytesWritten = new AtomicLong();
    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();

    private FaultInjectingStorageProvider(StorageProvider delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        for (Operation op : Operation.values()) {
            counts.put(op, new AtomicLong());
        }
    }

    /** A wrapper around {@code delegate}, with no faults yet. */
    public static FaultInjectingStorageProvider wrap(StorageProvider delegate) {
        return new FaultInjectingStorageProvider(delegate);
    }

    /** The wrapped provider. */
    public StorageProvider delegate() {
        return delegate;
    }

    // ---- configuring faults ----

    /** Every writer (to any key) throws an {@link IOException} once more than {@code bytes} were written to it. */
    public FaultInjectingStorageProvider failWritesAfter(long bytes) {
        return failWritesAfter(bytes, key -> true);
    }

    /** Writers to keys matching {@code keys} throw an {@link IOException} once more than {@code bytes} were written. */
    public FaultInjectingStorageProvider failWritesAfter(long bytes, Predicate<String> keys) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
        }
        rules.add(new FaultRule(Kind.WRITE, keys, -1, bytes, null));
        return this;
    }

    /** {@link BlobWriter#commit()} of keys matching {@code keys} throws an {@link IOException}; nothing becomes visible. */
    public FaultInjectingStorageProvider failCommits(Predicate<String> keys) {
        return failCommits(keys, -1);
    }

    /** The first {@code times} commits of keys matching {@code keys} fail as {@link #failCommits(Predicate)} says. */
    public FaultInjectingStorageProvider failCommits(Predicate<String> keys, int times) {
        return add(Kind.COMMIT, keys, times == -1 ? -1 : FaultRule.checkTimes(times));
    }

    /** Whole and ranged gets of keys matching {@code keys} fail. */
    public FaultInjectingStorageProvider failGets(Predicate<String> keys) {
        return failGets(keys, -1);
    }

    /** The next {@code times} gets of keys matching {@code keys} fail; then they succeed. */
    public FaultInjectingStorageProvider failGets(Predicate<String> keys, int times) {
        return add(Kind.GET, keys, FaultRule.checkTimes(times));
    }

    /** Heads (and so {@code exists}) of keys matching {@code keys} fail. */
    public FaultInjectingStorageProvider failHeads(Predicate<String> keys) {
        return add(Kind.HEAD, keys, -1);
    }

    /** Listings whose prefix matches {@code prefixes} fail. */
    public FaultInjectingStorageProvider failLists(Predicate<String> prefixes) {
        return failLists(prefixes, -1);
    }

    /** The next {@code times} listings whose prefix matches {@code prefixes} fail; then they succeed. */
    public FaultInjectingStorageProvider failLists(Predicate<String> prefixes, int times) {
        return add(Kind.LIST, prefixes, FaultRule.checkTimes(times));
    }

    /** Deletes of keys matching {@code keys} fail (also inside {@link #deleteAll}). */
    public FaultInjectingStorageProvider failDeletes(Predicate<String> keys) {
        return add(Kind.DELETE, keys, -1);
    }

    /**
     * Gets, heads and lists (by prefix) of keys matching {@code keys} throw what {@code exception}
     * makes from the key (for example a {@link io.kbackup.StorageDeniedException}).
     */
    public FaultInjectingStorageProvider failReads(Predicate<String> keys,
            Function<String, ? extends RuntimeException> exception) {
        Objects.requireNonNull(exception, "exception");
        for (Kind kind : List.of(Kind.GET, Kind.HEAD, Kind.LIST)) {
            rules.add(new FaultRule(kind, keys, -1, 0, exception));
        }
        return this;
    }

    private FaultInjectingStorageProvider add(Kind kind, Predicate<String> keys, int times) {
        rules.add(new FaultRule(kind, keys, times, 0, null));
        return this;
    }

    /** Removes every fault; the counts stay. */
    public FaultInjectingStorageProvider reset() {
        rules.clear();
        return this;
    }

    // ---- counts ----

    /** How many times {@code operation} was called (including calls that failed). */
    public long calls(Operation operation) {
        return counts.get(operation).get();
    }

    /** Bytes written to all writers, committed or not. */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    /** Sets every count to zero. */
    public void resetCounts() {
        counts.values().forEach(c -> c.set(0));
        bytesWritten.set(0);
    }

    // ---- StorageProvider ----

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public BlobWriter openWriter(String key) {
        return openWriter(key, null);
    }

    /** Subject to the write and commit faults for {@code key}, as {@link #openWriter(String)}. */
    @Override
    public BlobWriter openWriter(String key, Retention retention) {
        count(Operation.OPEN_WRITER);
        long limit = -1;
        for (FaultRule r : rules) {
            if (r.kind == Kind.WRITE && r.matches(key)) {
                limit = limit < 0 ? r.bytes : Math.min(limit, r.bytes);
            }
        }
        return new FaultyWriter(key, retention == null ? delegate.openWriter(key) : delegate.openWriter(key, retention), limit);
    }

    @Override
    public boolean objectLockEnabled() {
        return delegate.objectLockEnabled();
    }

    /** Neither counted nor subject to faults. */
    @Override
    public Optional<Retention> retention(String key) {
        return delegate.retention(key);
    }

    /** Subject to the delete faults for {@code key}. */
    @Override
    public void purge(String key) {
        count(Operation.DELETE);
        check(Kind.DELETE, key, "purge");
        delegate.purge(key);
    }

    @Override
    public InputStream get(String key) {
        count(Operation.GET);
        check(Kind.GET, key, "get");
        return delegate.get(key);
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        count(Operation.GET_RANGE);
        check(Kind.GET, key, "ranged get");
        return delegate.get(key, offset, length);
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        count(Operation.HEAD);
        check(Kind.HEAD, key, "head");
        return delegate.head(key);
    }

    @Override
    public ListPage list(String prefix, String delimiter, String continuationToken, int pageSize) {
        count(Operation.LIST);
        check(Kind.LIST, prefix, "list");
        return delegate.list(prefix, delimiter, continuationToken, pageSize);
    }

    @Override
    public void delete(String key) {
        count(Operation.DELETE);
        check(Kind.DELETE, key, "delete");
        delegate.delete(key);
    }

    /** Checks every key against the delete faults first, then lets the wrapped provider delete them all. */
    @Override
    public void deleteAll(Collection<String> keys) {
        count(Operation.DELETE_ALL);
        for (String key : keys) {
            check(Kind.DELETE, key, "delete");
        }
        delegate.deleteAll(keys);
    }

    /** Subject to the commit faults for {@code key}, checked before the wrapped provider is called. */
    @Override
    public boolean createIfAbsent(String key, byte[] data) {
        count(Operation.CREATE_IF_ABSENT);
        check(Kind.COMMIT, key, "exclusive create");
        return delegate.createIfAbsent(key, data);
    }

    @Override
    public int sweepIncompleteUploads(String prefix, Instant startedBefore) {
        count(Operation.SWEEP);
        check(Kind.LIST, prefix, "sweep");
        return delegate.sweepIncompleteUploads(prefix, startedBefore);
    }

    @Override
    public ValidationResult validate() {
        count(Operation.VALIDATE);
        return delegate.validate();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "FaultInjecting[" + delegate + ", faults=" + rules.size() + "]";
    }

    // ---- internals ----

    private void count(Operation op) {
        counts.get(op).incrementAndGet();
    }

    private void check(Kind kind, String key, String action) {
        for (FaultRule r : rules) {
            if (r.kind == kind && r.fire(key)) {
                throw r.exception != null
                        ? r.exception.apply(key)
                        : new StorageUnreachableException(MARKER + ": " + action + " of '" + key + "' failed", null);
            }
        }
    }

    private final class FaultyWriter extends BlobWriter {
        private final String key;
        private final BlobWriter delegateWriter;
        private final long limit;
        private long written;

        FaultyWriter(String key, BlobWriter delegateWriter, long limit) {
            this.key = key;
            this.delegateWriter = delegateWriter;
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            allow(1);
            delegateWriter.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (limit >= 0 && written + len > limit) {
                int allowed = (int) Math.max(0, limit - written);
                delegateWriter.write(b, off, allowed);
                written += allowed;
                bytesWritten.addAndGet(allowed);
                throw writeFault();
            }
            delegateWriter.write(b, off, len);
            written += len;
            bytesWritten.addAndGet(len);
        }

        @Override
        public void flush() throws IOException {
            delegateWriter.flush();
        }

        @Override
        public BlobInfo commit() throws IOException {
            count(Operation.COMMIT);
            for (FaultRule r : rules) {
                if (r.kind == Kind.COMMIT && r.fire(key)) {
                    delegateWriter.abort();
                    throw new IOException(MARKER + ": commit of '" + key + "' failed");
                }
            }
            return delegateWriter.commit();
        }

        @Override
        public void abort() throws IOException {
            count(Operation.ABORT);
            delegateWriter.abort();
        }

        @Override
        public boolean committed() {
            return delegateWriter.committed();
        }

        private void allow(int n) throws IOException {
            if (limit >= 0 && written + n > limit) {
                throw writeFault();
            }
            written += n;
            bytesWritten.addAndGet(n);
        }

        private IOException writeFault() {
            return new IOException(MARKER + ": writing '" + key + "' failed after " + written + " bytes");
        }
    }
}
