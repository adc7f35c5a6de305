package io.kbackup.storage.s3protocol;

import io.kbackup.NotFoundException;
import io.kbackup.StorageDeniedException;
import io.kbackup.StorageException;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.ListPage;
import io.kbackup.spi.Retention;
import io.kbackup.spi.StorageProvider;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an S3 storage provider does whatever its client library: argument checks, which answers mean
 * "no such key" or "nothing to read", the batching of multi-object deletes and the report of what a
 * batch could not delete, the retries of an exclusive create, the sweep of unfinished uploads.
 * A subclass makes the single protocol calls with its client and says what a failure was
 * ({@link #status}, {@link #code}, {@link #error}). Thread-safe when the subclass is.
 */
public abstract class S3ProtocolStorageProvider implements StorageProvider {

    /** The multi-object delete takes at most this many keys per request. */
    public static final int DELETE_BATCH = 1000;
    /** Attempts of an exclusive create while the server answers 409 (a racing conditional write in flight). */
    static final int CONFLICT_ATTEMPTS = 10;
    /** Connect timeout of the data client. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Read (and write) timeout of the data client. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    /** Connect timeout of the client {@code validate()} uses: fails fast on a dead endpoint. */
    public static final Duration VALIDATE_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** Whole-call timeout of a {@code validate()} request (made once, not retried). */
    public static final Duration VALIDATE_CALL_TIMEOUT = Duration.ofSeconds(10);

    private final String bucket;
    private final String service;

    /**
     * @param bucket  the bucket, for messages
     * @param service how messages name the server's answers ({@code S3}, {@code MinIO})
     */
    protected S3ProtocolStorageProvider(String bucket, String service) {
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.service = Objects.requireNonNull(service, "service");
    }

    /** A key one multi-object delete could not delete, with the server's code and message. */
    public record DeleteFailure(String key, String versionId, String code, String message) {}

    /** The HTTP status of a failed call; 0 when it is not a service answer. */
    protected abstract int status(Exception e);

    /** The S3 error code of a failed call; {@code null} when it has none. */
    protected abstract String code(Exception e);

    /**
     * The exception to throw for a failed call.
     *
     * @param key the key, for {@link NotFoundException#name()}; {@code null} when not about a key
     */
    protected abstract RuntimeException error(Exception e, String operation, String where, String key);

    /** GetObjectLockConfiguration: whether object lock is enabled (a bucket without one may fail instead). */
    protected abstract boolean readObjectLockEnabled() throws Exception;

    /** HeadObject's lock headers; empty when the object has none. */
    protected abstract Optional<Retention> readRetention(String key) throws Exception;

    /** The version ids of every version and delete marker of exactly {@code key}. */
    protected abstract List<String> listVersionIds(String key) throws Exception;

    /** A multi-object delete of these versions of {@code key}; what it could not delete. */
    protected abstract List<DeleteFailure> deleteVersions(String key, List<String> versionIds) throws Exception;

    /** GetObject of the whole blob. */
    protected abstract InputStream open(String key) throws Exception;

    /** GetObject of {@code length > 0} bytes from {@code offset}. */
    protected abstract InputStream openRange(String key, long offset, long length) throws Exception;

    /** HeadObject. */
    protected abstract BlobInfo stat(String key) throws Exception;

    /**
     * ListObjectsV2 of one page.
     *
     * @param delimiter null for none
     * @param maxKeys   at most 1000
     */
    protected abstract ListPage listPage(String prefix, String delimiter, String continuationToken, int maxKeys, int pageSize)
            throws Exception;

    /** DeleteObject. */
    protected abstract void remove(String key) throws Exception;

    /** A multi-object delete of these keys; what it could not delete ({@code NoSuchKey} included). */
    protected abstract List<DeleteFailure> removeBatch(List<String> keys) throws Exception;

    /** PutObject with {@code If-None-Match: *}. */
    protected abstract void putIfNoneMatch(String key, byte[] data) throws Exception;

    /** One page of ListMultipartUploads under {@code prefix} (empty for all). */
    protected abstract S3UploadListing listUploads(String prefix, String keyMarker, String uploadIdMarker) throws Exception;

    /** AbortMultipartUpload. */
    protected abstract void abortUpload(String key, String uploadId) throws Exception;

    /** A writer without a lock: {@code openWriter(key, null)}. */
    @Override
    public final BlobWriter openWriter(String key) {
        return openWriter(key, null);
    }

    /** Whether a failed call said that the key (not the bucket) is missing. */
    protected final boolean missingKey(Exception e) {
        String code = code(e);
        return !"NoSuchBucket".equals(code) && (status(e) == 404 || "NoSuchKey".equals(code) || "NoSuchObject".equals(code));
    }

    /** GetObjectLockConfiguration; a bucket without one answers ObjectLockConfigurationNotFoundError (or 404). */
    @Override
    public final boolean objectLockEnabled() {
        try {
            return readObjectLockEnabled();
        } catch (Exception e) {
            if ("ObjectLockConfigurationNotFoundError".equals(code(e)) || (status(e) == 404 && !"NoSuchBucket".equals(code(e)))) {
                return false;
            }
            throw error(e, "read the object lock configuration of", "s3://" + bucket, null);
        }
    }

    /** HeadObject's lock headers (present when the credentials may read them, s3:GetObjectRetention). */
    @Override
    public final Optional<Retention> retention(String key) {
        checkKey(key);
        try {
            return readRetention(key);
        } catch (Exception e) {
            if (missingKey(e)) {
                return Optional.empty();
            }
            throw error(e, "read the retention of", path(key), null);
        }
    }

    /**
     * Lists the versions under the key, then deletes every version and delete marker of exactly
     * that key by version id, {@value #DELETE_BATCH} a request. A version still locked is refused by
     * the server (AccessDenied).
     */
    @Override
    public final void purge(String key) {
        checkKey(key);
        List<String> versions;
        try {
            versions = listVersionIds(key);
        } catch (Exception e) {
            throw error(e, "list the versions of", path(key), null);
        }
        for (int from = 0; from < versions.size(); from += DELETE_BATCH) {
            List<String> batch = versions.subList(from, Math.min(versions.size(), from + DELETE_BATCH));
            List<DeleteFailure> failed;
            try {
                failed = deleteVersions(key, batch);
            } catch (Exception e) {
                throw error(e, "delete the versions of", path(key), null);
            }
            if (!failed.isEmpty()) {
                DeleteFailure first = failed.get(0);
                String message = "Could not delete " + failed.size() + " of " + batch.size() + " versions of " + path(key)
                        + (first.versionId() == null ? "" : "; first: version " + first.versionId()) + " (" + service + " said: " + first.code() + ": "
                        + first.message() + ").";
                if ("AccessDenied".equals(first.code()) || "InvalidRequest".equals(first.code())) {
                    throw new StorageDeniedException(message + " A version under object lock cannot be deleted before its"
                            + " retention ends; else grant s3:DeleteObjectVersion on the bucket.", null);
                }
                throw new StorageException(message, null, retryable(failed));
            }
        }
    }

    @Override
    public final InputStream get(String key) {
        checkKey(key);
        try {
            return open(key);
        } catch (Exception e) {
            throw error(e, "read", path(key), key);
        }
    }

    @Override
    public final InputStream get(String key, long offset, long length) {
        checkKey(key);
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0, were " + offset + " and " + length);
        }
        if (length == 0) {
            if (head(key).isEmpty()) {
                throw new NotFoundException(key, "No blob " + path(key) + ".");
            }
            return InputStream.nullInputStream();
        }
        try {
            return openRange(key, offset, length);
        } catch (Exception e) {
            if (status(e) == 416 || "InvalidRange".equals(code(e))) {
                // the range starts at or after the end: nothing to read
                return InputStream.nullInputStream();
            }
            throw error(e, "read", path(key), key);
        }
    }

    @Override
    public final Optional<BlobInfo> head(String key) {
        checkKey(key);
        try {
            return Optional.of(stat(key));
        } catch (Exception e) {
            if (missingKey(e)) {
                return Optional.empty();
            }
            throw error(e, "read metadata of", path(key), null);
        }
    }

    @Override
    public final ListPage list(String prefix, String delimiter, String continuationToken, int pageSize) {
        Objects.requireNonNull(prefix, "prefix");
        if (pageSize <= 0) {
            throw new IllegalArgumentException("pageSize must be > 0, was " + pageSize);
        }
        try {
            return listPage(prefix, delimiter == null || delimiter.isEmpty() ? null : delimiter, continuationToken,
                    Math.min(pageSize, 1000), pageSize);
        } catch (Exception e) {
            throw error(e, "list", path(prefix) + "*", null);
        }
    }

    @Override
    public final void delete(String key) {
        checkKey(key);
        try {
            remove(key);
        } catch (Exception e) {
            if ("NoSuchKey".equals(code(e))) {
                return;
            }
            throw error(e, "delete", path(key), null);
        }
    }

    /** The multi-object delete, {@value #DELETE_BATCH} keys a request; keys that do not exist are not an error. */
    @Override
    public final void deleteAll(Collection<String> keys) {
        List<String> all = new ArrayList<>(new LinkedHashSet<>(keys));
        for (int from = 0; from < all.size(); from += DELETE_BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + DELETE_BATCH));
            batch.forEach(S3Keys::checkKey);
            List<DeleteFailure> failed;
            try {
                failed = removeBatch(batch).stream().filter(f -> !"NoSuchKey".equals(f.code())).toList();
            } catch (Exception e) {
                throw error(e, "delete " + batch.size() + " blobs in", "s3://" + bucket, null);
            }
            if (!failed.isEmpty()) {
                DeleteFailure first = failed.get(0);
                String message = "Could not delete " + failed.size() + " of " + batch.size() + " blobs in s3://" + bucket
                        + "; first: " + first.key() + " (" + service + " said: " + first.code() + ": " + first.message() + ").";
                if ("AccessDenied".equals(first.code())) {
                    throw new StorageDeniedException(message + " Grant s3:DeleteObject on the bucket.", null);
                }
                throw new StorageException(message, null, retryable(failed));
            }
        }
    }

    private static boolean retryable(List<DeleteFailure> failed) {
        return failed.stream().allMatch(f -> S3ErrorTable.RETRYABLE_CODES.contains(f.code()));
    }

    /**
     * PutObject with {@code If-None-Match: *}: the server answers 412 when the key exists, and 409
     * while a racing conditional write to the key is in flight (retried here, a few times, until that
     * one has settled). AWS, MinIO (since RELEASE.2024-08) and moto honour the header (tested on each).
     */
    @Override
    public final boolean createIfAbsent(String key, byte[] data) {
        checkKey(key);
        for (int attempt = 1; ; attempt++) {
            try {
                putIfNoneMatch(key, data);
                return true;
            } catch (Exception e) {
                int status = status(e);
                if (status == 412) {
                    return false;
                }
                if (status != 409 || attempt >= CONFLICT_ATTEMPTS) {
                    throw error(e, "create", path(key), null);
                }
            }
            try {
                Thread.sleep(50L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("Interrupted while retrying an exclusive create.", e, true);
            }
        }
    }

    /** ListMultipartUploads under the prefix, then AbortMultipartUpload of each one initiated before the time. */
    @Override
    public int sweepIncompleteUploads(String prefix, Instant startedBefore) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(startedBefore, "startedBefore");
        return S3UploadListing.sweep((keyMarker, uploadIdMarker) -> {
            try {
                return listUploads(prefix, keyMarker, uploadIdMarker);
            } catch (Exception e) {
                throw error(e, "list the unfinished uploads under", path(prefix) + "*", null);
            }
        }, this::abort, startedBefore);
    }

    private boolean abort(String key, String uploadId) {
        try {
            abortUpload(key, uploadId);
            return true;
        } catch (Exception e) {
            if (status(e) == 404) {
                return false; // completed or aborted meanwhile
            }
            throw error(e, "abort the unfinished upload " + uploadId + " to", path(key), null);
        }
    }

    /** {@code s3://bucket/key}, for messages. */
    protected final String path(String key) {
        return S3Keys.path(bucket, key);
    }

    /** Checks that {@code key} is usable as an object key; returns it. */
    protected static String checkKey(String key) {
        return S3Keys.checkKey(key);
    }

}
