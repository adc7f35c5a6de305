package io.kbackup.spi;

import io.kbackup.NotFoundException;
import io.kbackup.StorageException;
import io.kbackup.ValidationResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Blob storage for one backup location: a bucket or container, or a local folder.
 *
 * <p>Providers are dumb on purpose (as Velero's {@code ObjectStore}): they store and list opaque
 * blobs by key and never see the backup format. Keys are {@code /}-separated and relative to the
 * bucket; the location's prefix is applied by the caller. Every method is safe to call from
 * several threads at once, except on one {@link BlobWriter}.
 *
 * <p>Errors are the SDK's typed exceptions: {@link NotFoundException} for a missing key,
 * {@link io.kbackup.StorageDeniedException}, {@link io.kbackup.StorageUnreachableException} and
 * {@link io.kbackup.StorageException} (with {@code retryable()} set) for the rest.
 */
public interface StorageProvider extends AutoCloseable {

    /** The provider id this instance was made by ({@code s3}, {@code azure}, {@code local}, ...). */
    String id();

    /** Opens a streaming upload of unknown length to {@code key}; see {@link BlobWriter}. */
    BlobWriter openWriter(String key);

    /** Reads the whole blob as a stream. The caller closes it. */
    InputStream get(String key);

    /**
     * Reads {@code length} bytes from {@code offset} (fewer if the blob ends first).
     *
     * @throws IllegalArgumentException when offset or length is negative
     */
    InputStream get(String key, long offset, long length);

    /** Metadata of the blob, or empty when there is none under that key. */
    Optional<BlobInfo> head(String key);

    /**
     * One page of blobs whose key starts with {@code prefix}, in key order.
     *
     * @param prefix            the key prefix; {@code ""} for all
     * @param delimiter         {@code "/"} to group deeper keys into {@link ListPage#commonPrefixes()},
     *                          or {@code null} for a flat listing
     * @param continuationToken {@code null} for the first page, else the previous page's token
     * @param pageSize          the most entries (blobs plus prefixes) the caller wants on the page;
     *                          providers may return fewer
     */
    ListPage list(String prefix, String delimiter, String continuationToken, int pageSize);

    /** Deletes the blob. Deleting a key that does not exist is not an error. */
    void delete(String key);

    /** Checks that the location is usable: bucket present, credentials accepted, reachable. */
    ValidationResult validate();

    /**
     * Stores a small blob under {@code key} only if no blob is there yet, as one atomic step of the
     * store: of several callers racing on one key (in any number of processes), exactly one gets
     * {@code true}. A backup name is claimed this way. Providers implement it with the store's own
     * primitive: S3 {@code PutObject} with {@code If-None-Match: *}, Azure {@code If-None-Match: *},
     * GCS {@code ifGenerationMatch=0}, an exclusive file create ({@code CREATE_NEW}) on a folder.
     *
     * <p>Not retried inside: after a retryable failure the blob may or may not have been stored,
     * so a caller that retries and then gets {@code false} reads the blob back to tell whether it
     * is its own (put something unique in it, such as a random claim id).
     *
     * @return {@code true} when this call stored the blob; {@code false} when a blob already
     *         existed under {@code key} (it is left as it was, nothing is written)
     * @throws StorageException on any other failure, and (not retryable) from a provider that
     *         cannot create exclusively: this default, so that no provider claims a name with a
     *         check-then-write race
     */
    default boolean createIfAbsent(String key, byte[] data) {
        throw new StorageException("The '" + id() + "' storage provider offers no exclusive create, so '" + key
                + "' cannot be claimed safely. Use a provider that implements StorageProvider.createIfAbsent.",
                null, false);
    }

    /**
     * Removes what interrupted uploads left under {@code prefix} that were started before
     * {@code startedBefore}: incomplete multipart uploads on S3 and MinIO (aborted, which frees
     * their parts), a folder provider's temporary files. Uploads started later are left alone, as
     * they may belong to a writer still running; pass a time well in the past (an hour or more) to
     * spare slow uploads. Such leftovers never appear in {@link #list} and never hide a blob.
     * Some servers find unfinished uploads only by their exact key (MinIO): a caller that knows
     * the keys of its large blobs (a backup's tarball) passes each key as the prefix as well.
     *
     * <p>The default, for stores whose unfinished uploads leave nothing a caller pays for or can
     * reclaim (Azure drops uncommitted blocks after a week, GCS resumable sessions expire), finds
     * nothing and returns 0.
     *
     * @param prefix        the key prefix, {@code ""} for the whole bucket
     * @param startedBefore only leftovers started before this instant are removed
     * @return how many leftovers were removed
     */
    default int sweepIncompleteUploads(String prefix, Instant startedBefore) {
        return 0;
    }

    // ---- object lock (immutable backups); the defaults are for stores without it ----

    /**
     * Opens a streaming upload as {@link #openWriter(String)} whose blob is stored under
     * {@code retention}: it can be neither deleted nor overwritten before
     * {@link Retention#retainUntil()} (S3 Object Lock, Azure version-level immutability, GCS object
     * retention). With {@code retention} null this is {@link #openWriter(String)}.
     *
     * @throws StorageException (not retryable) from a provider without object lock: this default
     */
    default BlobWriter openWriter(String key, Retention retention) {
        if (retention == null) {
            return openWriter(key);
        }
        throw new StorageException("The '" + id() + "' storage provider cannot lock objects, so '" + key
                + "' cannot be stored under retention. Use a location without object lock, or a provider that has it"
                + " (s3, minio, azure, gcs).", null, false);
    }

    /**
     * Whether the bucket can keep blobs under {@link Retention}: asks the service (S3: the bucket's
     * object lock configuration says {@code Enabled}). {@code false} by default.
     *
     * @throws StorageException when the service could not be asked
     */
    default boolean objectLockEnabled() {
        return false;
    }

    /**
     * The lock on the blob under {@code key}, or empty when it has none (or none the caller may
     * read, or there is no blob). Whether the lock still holds is the caller's to tell
     * ({@link Retention#holdsAt}). The default, for stores without object lock, is empty.
     */
    default Optional<Retention> retention(String key) {
        return Optional.empty();
    }

    /**
     * Deletes the blob and, on a store that keeps versions (a bucket with object lock keeps them
     * all), every older version of it and its delete markers too, so that nothing of it is left to
     * pay for. A plain {@link #delete} there leaves the data as a non-current version. Fails (as the
     * store refuses) while a version is locked. The default is {@link #delete}.
     */
    default void purge(String key) {
        delete(key);
    }

    /** Releases clients and connections. */
    @Override
    default void close() {}

    // ---- conveniences built on the methods above; providers may override for speed ----

    /** Whether a blob exists under {@code key}. */
    default boolean exists(String key) {
        return head(key).isPresent();
    }

    /**
     * Stores a small blob from memory. A failure that is {@link io.kbackup.KBackupException#retryable()
     * retryable} is retried (up to {@value #SMALL_PUT_ATTEMPTS} attempts in all, 0.2 s then 1 s apart):
     * one transient failure of a small write must not discard a whole backup. Writing the same bytes
     * again is harmless.
     */
    default BlobInfo put(String key, byte[] data) {
        return put(key, data, null);
    }

    /**
     * As {@link #put(String, byte[])}, the blob stored under {@code retention} when that is not null
     * (see {@link #openWriter(String, Retention)}).
     */
    default BlobInfo put(String key, byte[] data, Retention retention) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (retention != null) {
                    try (BlobWriter w = openWriter(key, retention)) {
                        w.write(data);
                        return w.commit();
                    } catch (IOException e) {
                        throw new StorageException("Could not store " + key + ": " + e.getMessage(), e, true);
                    }
                }
                return put(key, new ByteArrayInputStream(data));
            } catch (StorageException e) {
                if (!e.retryable() || attempt >= SMALL_PUT_ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(attempt == 1 ? 200 : 1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Attempts of {@link #put(String, byte[])} in all when failures are retryable. */
    int SMALL_PUT_ATTEMPTS = 3;

    /** Stores a blob streamed from {@code in} (read to its end, not closed). */
    default BlobInfo put(String key, InputStream in) {
        try (BlobWriter w = openWriter(key)) {
            in.transferTo(w);
            return w.commit();
        } catch (IOException e) {
            throw new StorageException("Could not store " + key + ": " + e.getMessage(), e, true);
        }
    }

    /** Reads a small blob into memory. */
    default byte[] getBytes(String key) {
        try (InputStream in = get(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StorageException("Could not read " + key + ": " + e.getMessage(), e, true);
        }
    }

    /** Deletes many blobs; missing keys are ignored. Providers with a batch call override this. */
    default void deleteAll(Collection<String> keys) {
        for (String key : keys) {
            delete(key);
        }
    }

    /** Every blob under {@code prefix}, flat, fetched page by page as the stream is consumed. */
    default Stream<BlobInfo> listAll(String prefix) {
        Iterator<BlobInfo> it = new Iterator<>() {
            private List<BlobInfo> page = List.of();
            private int index;
            private String token;
            private boolean last;

            @Override
            public boolean hasNext() {
                while (index >= page.size() && !last) {
                    ListPage p = list(prefix, null, token, 1000);
                    page = p.blobs();
                    index = 0;
                    token = p.continuationToken();
                    last = token == null;
                }
                return index < page.size();
            }

            @Override
            public BlobInfo next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.get(index++);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED), false);
    }

    /** Every common prefix one level below {@code prefix} for {@code delimiter}, all pages. */
    default List<String> listPrefixes(String prefix, String delimiter) {
        List<String> out = new ArrayList<>();
        String token = null;
        do {
            ListPage p = list(prefix, delimiter, token, 1000);
            out.addAll(p.commonPrefixes());
            token = p.continuationToken();
        } while (token != null);
        return out;
    }
}
