package io.kbackup.testkit.storage;

import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.ListPage;
import io.kbackup.spi.StorageProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link StorageProvider} that keeps blobs in the JVM's memory: provider id {@code memory}, the
 * test kit's counterpart of jclouds' "transient" provider. Thread-safe.
 *
 * <p>A bucket is a named store shared by every instance with that bucket name in the JVM, so two
 * engines (or a backup and a later restore) can share a "bucket" by name. Buckets live until
 * {@link #deleteBucket(String)} or {@link #clearAll()}; tests that reuse a name call
 * {@link #clear(String)} first.
 *
 * <pre>{@code
 * StorageProvider storage = InMemoryStorageProvider.create("it-bucket");
 * BackupLocation location = BackupLocation.builder().provider("memory").bucket("it-bucket").build();
 * }</pre>
 *
 * <p>Everything written is held in memory until deleted: keep test data small. Operations on a
 * bucket that does not exist throw {@link NotFoundException} naming the bucket (and
 * {@link #validate()} reports {@link ValidationResult.Kind#BUCKET_MISSING}).
 */
public final class InMemoryStorageProvider implements StorageProvider {

    /** The provider id. */
    public static final String ID = "memory";

    private static final Map<String, Bucket> BUCKETS = new ConcurrentHashMap<>();
    private static final AtomicLong GENERATION = new AtomicLong();

    private final String bucket;

    private InMemoryStorageProvider(String bucket) {
        this.bucket = bucket;
    }

    /** A provider on the bucket {@code name}, creating the bucket when it does not exist yet. */
    public static InMemoryStorageProvider create(String name) {
        requireName(name);
        BUCKETS.computeIfAbsent(name, n -> new Bucket());
        return new InMemoryStorageProvider(name);
    }

    /**
     * A provider on the bucket {@code name} without creating it: when the bucket does not exist,
     * {@link #validate()} reports it and every operation throws {@link NotFoundException}.
     */
    public static InMemoryStorageProvider attach(String name) {
        requireName(name);
        return new InMemoryStorageProvider(name);
    }

    /** Whether a bucket of that name exists. */
    public static boolean bucketExists(String name) {
        return BUCKETS.containsKey(name);
    }

    /** Removes every blob of the bucket {@code name}; the bucket stays. Does nothing when it does not exist. */
    public static void clear(String name) {
        Bucket b = BUCKETS.get(name);
        if (b != null) {
            b.blobs.clear();
        }
    }

    /** Removes the bucket {@code name} and its blobs. */
    public static void deleteBucket(String name) {
        BUCKETS.remove(name);
    }

    /** Removes every in-memory bucket of the JVM. */
    public static void clearAll() {
        BUCKETS.clear();
    }

    /** The bucket this provider works on. */
    public String bucket() {
        return bucket;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public BlobWriter openWriter(String key) {
        requireKey(key);
        store();
        return new MemoryWriter(key);
    }

    @Override
    public InputStream get(String key) {
        Blob blob = blob(key);
        return new ByteArrayInputStream(blob.data);
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0, were " + offset + " and " + length);
        }
        Blob blob = blob(key);
        int from = (int) Math.min(offset, blob.data.length);
        int len = (int) Math.min(length, blob.data.length - from);
        return new ByteArrayInputStream(blob.data, from, len);
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        requireKey(key);
        Blob blob = store().get(key);
        return blob == null ? Optional.empty() : Optional.of(blob.info(key));
    }

    @Override
    public ListPage list(String prefix, String delimiter, String continuationToken, int pageSize) {
        Objects.requireNonNull(prefix, "prefix");
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be >= 1, was " + pageSize);
        }
        if (delimiter != null && delimiter.isEmpty()) {
            throw new IllegalArgumentException("delimiter must be null or non-empty");
        }
        ConcurrentSkipListMap<String, Blob> blobs = store();
        List<BlobInfo> infos = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String last = null;
        String from = continuationToken != null && continuationToken.compareTo(prefix) > 0 ? continuationToken : prefix;
        String cursor = from;
        boolean inclusive = continuationToken == null || continuationToken.compareTo(prefix) <= 0;
        while (true) {
            Map.Entry<String, Blob> e = inclusive ? blobs.ceilingEntry(cursor) : blobs.higherEntry(cursor);
            inclusive = false;
            if (e == null || !e.getKey().startsWith(prefix)) {
                return new ListPage(infos, prefixes, null);
            }
            String key = e.getKey();
            String entry = key;
            if (delimiter != null) {
                int i = key.indexOf(delimiter, prefix.length());
                if (i >= 0) {
                    entry = key.substring(0, i + delimiter.length());
                }
            }
            if ((continuationToken != null && entry.compareTo(continuationToken) <= 0) || entry.equals(last)) {
                cursor = entry.equals(key) ? key : entry + Character.MAX_VALUE;
                continue;
            }
            if (infos.size() + prefixes.size() >= pageSize) {
                return new ListPage(infos, prefixes, last);
            }
            if (entry.equals(key)) {
                infos.add(e.getValue().info(key));
                cursor = key;
            } else {
                prefixes.add(entry);
                // skip the rest of this group: the last possible key starting with entry
                cursor = entry + Character.MAX_VALUE;
            }
            last = entry;
        }
    }

    @Override
    public void delete(String key) {
        requireKey(key);
        store().remove(key);
    }

    /** {@link ConcurrentSkipListMap#putIfAbsent}: atomic within this JVM. */
    @Override
    public boolean createIfAbsent(String key, byte[] data) {
        requireKey(key);
        Blob blob = new Blob(data.clone(), Instant.now(), "\"" + GENERATION.incrementAndGet() + "\"");
        return store().putIfAbsent(key, blob) == null;
    }

    @Override
    public ValidationResult validate() {
        if (!BUCKETS.containsKey(bucket)) {
            return ValidationResult.failed(ValidationResult.Kind.BUCKET_MISSING,
                    "In-memory bucket '" + bucket + "' does not exist.",
                    "Create it with InMemoryStorageProvider.create(\"" + bucket
                            + "\"), or leave the location's config 'createBucket' at its default (true).");
        }
        return ValidationResult.ok();
    }

    @Override
    public String toString() {
        return "InMemoryStorageProvider[bucket=" + bucket + "]";
    }

    private Blob blob(String key) {
        requireKey(key);
        Blob blob = store().get(key);
        if (blob == null) {
            throw new NotFoundException(key, "No blob '" + key + "' in in-memory bucket '" + bucket
                    + "'. Check the key, or list the bucket to see what is there.");
        }
        return blob;
    }

    private ConcurrentSkipListMap<String, Blob> store() {
        Bucket b = BUCKETS.get(bucket);
        if (b == null) {
            throw new NotFoundException(bucket, "In-memory bucket '" + bucket + "' does not exist. Create it with"
                    + " InMemoryStorageProvider.create(\"" + bucket + "\").");
        }
        return b.blobs;
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidPlanException("In-memory bucket name is required and must not be blank.");
        }
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidPlanException("Blob key is required and must not be empty.");
        }
    }

    private static final class Bucket {
        final ConcurrentSkipListMap<String, Blob> blobs = new ConcurrentSkipListMap<>();
    }

    /** One stored blob; its array is never changed after it is stored. */
    private record Blob(byte[] data, Instant lastModified, String etag) {
        BlobInfo info(String key) {
            return new BlobInfo(key, data.length, lastModified, etag);
        }
    }

    private final class MemoryWriter extends BlobWriter {
        private final String key;
        private byte[] buf = new byte[256];
        private int count;
        private boolean committed;
        private boolean aborted;

        MemoryWriter(String key) {
            this.key = key;
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            grow(1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ensureOpen();
            grow(len);
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        @Override
        public BlobInfo commit() throws IOException {
            ensureOpen();
            byte[] data = Arrays.copyOf(buf, count);
            buf = null;
            Blob blob = new Blob(data, Instant.now(), "\"" + GENERATION.incrementAndGet() + "\"");
            store().put(key, blob);
            committed = true;
            return blob.info(key);
        }

        @Override
        public void abort() {
            aborted = true;
            buf = null;
        }

        @Override
        public boolean committed() {
            return committed;
        }

        private void ensureOpen() throws IOException {
            if (committed || aborted) {
                throw new IOException("Writer for '" + key + "' is already " + (committed ? "committed" : "aborted") + ".");
            }
        }

        private void grow(int more) throws IOException {
            long needed = (long) count + more;
            if (needed > Integer.MAX_VALUE - 16) {
                throw new IOException("In-memory blobs are limited to 2 GiB; '" + key + "' is larger.");
            }
            if (needed > buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, 2L * buf.length)));
            }
        }
    }
}
