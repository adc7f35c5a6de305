package io.kbackup.storage.minio.internal;

import io.kbackup.NotFoundException;
import io.kbackup.ObjectLock;
import io.kbackup.StorageDeniedException;
import io.kbackup.StorageException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.ListPage;
import io.kbackup.spi.Retention;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.support.PageLimit;
import io.kbackup.storage.s3protocol.S3ErrorTable;
import io.kbackup.storage.s3protocol.S3Keys;
import io.kbackup.storage.s3protocol.S3UploadListing;
import io.minio.GetObjectArgs;
import io.minio.GetObjectLockConfigurationArgs;
import io.minio.ListObjectsArgs;
import io.minio.ListObjectsV2Response;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.messages.Item;
import io.minio.messages.ListBucketResultV2;
import io.minio.messages.Prefix;
import io.minio.messages.RetentionMode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/** The {@code minio} storage provider: one bucket through the MinIO Java client. Thread-safe. */
public final class MinioStorageProvider implements StorageProvider {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration READ_WRITE_TIMEOUT = Duration.ofSeconds(60);
    static final Duration VALIDATE_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration VALIDATE_CALL_TIMEOUT = Duration.ofSeconds(10);
    /** The multi-object delete takes at most this many keys per request. */
    static final int DELETE_BATCH = 1000;
    /** Attempts of an exclusive create while the server answers 409 (a racing conditional write in flight). */
    private static final int CONFLICT_ATTEMPTS = 10;

    private final MinioSettings settings;
    private final KbMinioClient client;
    private final KbMinioClient validateClient;

    public MinioStorageProvider(MinioSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        OkHttpClient http = MinioClients.httpClient(settings, CONNECT_TIMEOUT, READ_WRITE_TIMEOUT, Duration.ZERO);
        this.client = MinioClients.client(settings, http);
        this.validateClient = MinioClients.client(settings,
                http.newBuilder().connectTimeout(VALIDATE_CONNECT_TIMEOUT).readTimeout(VALIDATE_CALL_TIMEOUT)
                        .callTimeout(VALIDATE_CALL_TIMEOUT).retryOnConnectionFailure(false).build());
    }

    @Override
    public String id() {
        return "minio";
    }

    public MinioSettings settings() {
        return settings;
    }

    @Override
    public BlobWriter openWriter(String key) {
        return new MinioBlobWriter(client, settings, checkKey(key), null);
    }

    /** The blob is written with S3 Object Lock headers (mode and retain-until date), on PutObject or the multipart upload's start. */
    @Override
    public BlobWriter openWriter(String key, Retention retention) {
        return new MinioBlobWriter(client, settings, checkKey(key), retention);
    }

    /** GetObjectLockConfiguration: a bucket made without object lock answers ObjectLockConfigurationNotFoundError. */
    @Override
    public boolean objectLockEnabled() {
        try {
            client.getObjectLockConfiguration(GetObjectLockConfigurationArgs.builder().bucket(settings.bucket())
                    .region(settings.region()).build()).get();
            return true;
        } catch (Exception e) {
            Throwable t = MinioErrors.unwrap(e);
            if (t instanceof ErrorResponseException er && "ObjectLockConfigurationNotFoundError".equals(MinioErrors.code(er))) {
                return false;
            }
            throw MinioErrors.map(e, "read the object lock configuration of", "s3://" + settings.bucket(), null);
        }
    }

    /** StatObject's lock headers. */
    @Override
    public Optional<Retention> retention(String key) {
        checkKey(key);
        try {
            StatObjectResponse r = client.statObject(StatObjectArgs.builder().bucket(settings.bucket())
                    .region(settings.region()).object(key).build()).get();
            if (r.retentionMode() == null || r.retentionRetainUntilDate() == null) {
                return Optional.empty();
            }
            return Optional.of(new Retention(r.retentionMode() == RetentionMode.COMPLIANCE ? ObjectLock.COMPLIANCE
                    : ObjectLock.GOVERNANCE, r.retentionRetainUntilDate().toInstant()));
        } catch (Exception e) {
            Throwable t = MinioErrors.unwrap(e);
            if (t instanceof ErrorResponseException er && !"NoSuchBucket".equals(MinioErrors.code(er))
                    && (MinioErrors.status(er) == 404 || "NoSuchKey".equals(MinioErrors.code(er)))) {
                return Optional.empty();
            }
            throw MinioErrors.map(e, "read the retention of", path(key), null);
        }
    }

    /**
     * Lists the versions under the key, then deletes every version and delete marker of exactly
     * that key by version id. A version still locked is refused by the server (AccessDenied).
     */
    @Override
    public void purge(String key) {
        checkKey(key);
        List<DeleteObject> versions = new ArrayList<>();
        try {
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(settings.bucket())
                    .region(settings.region()).prefix(key).recursive(true).includeVersions(true).build())) {
                Item item = result.get();
                if (key.equals(item.objectName())) {
                    versions.add(new DeleteObject(key, item.versionId()));
                }
            }
        } catch (Exception e) {
            throw MinioErrors.map(e, "list the versions of", path(key), null);
        }
        List<DeleteError> failed = new ArrayList<>();
        for (int from = 0; from < versions.size(); from += DELETE_BATCH) {
            try {
                for (Result<DeleteError> result : client.removeObjects(RemoveObjectsArgs.builder().bucket(settings.bucket())
                        .region(settings.region()).objects(versions.subList(from, Math.min(versions.size(), from + DELETE_BATCH)))
                        .build())) {
                    failed.add(result.get());
                }
            } catch (Exception e) {
                throw MinioErrors.map(e, "delete the versions of", path(key), null);
            }
        }
        if (!failed.isEmpty()) {
            DeleteError first = failed.get(0);
            String message = "Could not delete " + failed.size() + " of " + versions.size() + " versions of " + path(key)
                    + " (MinIO said: " + first.code() + ": " + first.message() + ").";
            if ("AccessDenied".equals(first.code()) || "InvalidRequest".equals(first.code())) {
                throw new StorageDeniedException(message + " A version under object lock cannot be deleted before its"
                        + " retention ends; else grant s3:DeleteObjectVersion on the bucket.", null);
            }
            throw new StorageException(message, null, failed.stream().allMatch(err -> S3ErrorTable.RETRYABLE_CODES.contains(err.code())));
        }
    }

    @Override
    public InputStream get(String key) {
        checkKey(key);
        try {
            return client.getObject(GetObjectArgs.builder().bucket(settings.bucket()).region(settings.region())
                    .object(key).build()).get();
        } catch (Exception e) {
            throw MinioErrors.map(e, "read", path(key), key);
        }
    }

    @Override
    public InputStream get(String key, long offset, long length) {
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
            return client.getObject(GetObjectArgs.builder().bucket(settings.bucket()).region(settings.region())
                    .object(key).offset(offset).length(length).build()).get();
        } catch (Exception e) {
            Throwable t = MinioErrors.unwrap(e);
            if (t instanceof ErrorResponseException er && (MinioErrors.status(er) == 416
                    || "InvalidRange".equals(MinioErrors.code(er)))) {
                // the range starts at or after the end: nothing to read
                return InputStream.nullInputStream();
            }
            throw MinioErrors.map(e, "read", path(key), key);
        }
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        checkKey(key);
        try {
            StatObjectResponse r = client.statObject(StatObjectArgs.builder().bucket(settings.bucket())
                    .region(settings.region()).object(key).build()).get();
            return Optional.of(new BlobInfo(key, r.size(), r.lastModified() == null ? null : r.lastModified().toInstant(),
                    S3Keys.etag(r.etag())));
        } catch (Exception e) {
            Throwable t = MinioErrors.unwrap(e);
            if (t instanceof ErrorResponseException er && !"NoSuchBucket".equals(MinioErrors.code(er))
                    && (MinioErrors.status(er) == 404 || "NoSuchKey".equals(MinioErrors.code(er))
                            || "NoSuchObject".equals(MinioErrors.code(er)))) {
                return Optional.empty();
            }
            throw MinioErrors.map(e, "read metadata of", path(key), null);
        }
    }

    @Override
    public ListPage list(String prefix, String delimiter, String continuationToken, int pageSize) {
        Objects.requireNonNull(prefix, "prefix");
        if (pageSize <= 0) {
            throw new IllegalArgumentException("pageSize must be > 0, was " + pageSize);
        }
        ListBucketResultV2 r;
        try {
            ListObjectsV2Response response = client.listPage(settings.bucket(), settings.region(), prefix,
                    delimiter == null || delimiter.isEmpty() ? null : delimiter, continuationToken,
                    Math.min(pageSize, 1000)).get();
            r = response.result();
        } catch (Exception e) {
            throw MinioErrors.map(e, "list", path(prefix) + "*", null);
        }
        List<BlobInfo> blobs = new ArrayList<>();
        for (Item o : r.contents()) {
            Instant modified = o.lastModified() == null ? null : o.lastModified().toInstant();
            blobs.add(new BlobInfo(o.objectName(), o.size(), modified, S3Keys.etag(o.etag())));
        }
        List<String> prefixes = new ArrayList<>();
        for (Prefix p : r.commonPrefixes()) {
            prefixes.add(p.toItem().objectName());
        }
        String next = r.isTruncated() ? r.nextContinuationToken() : null;
        return PageLimit.limit(blobs, prefixes, next, pageSize);
    }

    @Override
    public void delete(String key) {
        checkKey(key);
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(settings.bucket()).region(settings.region())
                    .object(key).build()).get();
        } catch (Exception e) {
            Throwable t = MinioErrors.unwrap(e);
            if (t instanceof ErrorResponseException er && "NoSuchKey".equals(MinioErrors.code(er))) {
                return;
            }
            throw MinioErrors.map(e, "delete", path(key), null);
        }
    }

    /** The multi-object delete, 1000 keys per request; keys that do not exist are not an error. */
    @Override
    public void deleteAll(Collection<String> keys) {
        List<String> all = new ArrayList<>(new LinkedHashSet<>(keys));
        for (int from = 0; from < all.size(); from += DELETE_BATCH) {
            List<DeleteObject> batch = new ArrayList<>();
            for (String key : all.subList(from, Math.min(all.size(), from + DELETE_BATCH))) {
                batch.add(new DeleteObject(checkKey(key)));
            }
            List<DeleteError> failed = new ArrayList<>();
            try {
                for (Result<DeleteError> result : client.removeObjects(RemoveObjectsArgs.builder()
                        .bucket(settings.bucket()).region(settings.region()).objects(batch).build())) {
                    DeleteError err = result.get();
                    if (!"NoSuchKey".equals(err.code())) {
                        failed.add(err);
                    }
                }
            } catch (Exception e) {
                throw MinioErrors.map(e, "delete " + batch.size() + " blobs in", "s3://" + settings.bucket(), null);
            }
            if (!failed.isEmpty()) {
                DeleteError first = failed.get(0);
                String message = "Could not delete " + failed.size() + " of " + batch.size() + " blobs in s3://"
                        + settings.bucket() + "; first: " + first.objectName() + " (MinIO said: " + first.code() + ": "
                        + first.message() + ").";
                if ("AccessDenied".equals(first.code())) {
                    throw new StorageDeniedException(message + " Grant s3:DeleteObject on the bucket.", null);
                }
                boolean retry = failed.stream().allMatch(err -> S3ErrorTable.RETRYABLE_CODES.contains(err.code()));
                throw new StorageException(message, null, retry);
            }
        }
    }

    /**
     * PutObject with {@code If-None-Match: *}: the server answers 412 when the key exists (MinIO
     * honours it since RELEASE.2024-08; tested on the real server), 409 while a racing conditional
     * write to the key is in flight (retried a few times, until that one has settled).
     */
    @Override
    public boolean createIfAbsent(String key, byte[] data) {
        checkKey(key);
        for (int attempt = 1; ; attempt++) {
            try {
                client.putObject(PutObjectArgs.builder().bucket(settings.bucket()).region(settings.region()).object(key)
                        .stream(new ByteArrayInputStream(data), data.length, -1).contentType(MinioBlobWriter.CONTENT_TYPE)
                        .headers(Map.of("If-None-Match", "*")).build()).get();
                return true;
            } catch (Exception e) {
                Throwable t = MinioErrors.unwrap(e);
                int status = t instanceof ErrorResponseException er ? MinioErrors.status(er) : 0;
                if (status == 412) {
                    return false;
                }
                if (status != 409 || attempt >= CONFLICT_ATTEMPTS) {
                    throw MinioErrors.map(e, "create", path(key), null);
                }
            }
            try {
                Thread.sleep(50L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw MinioErrors.map(e, "create", path(key), null);
            }
        }
    }

    /**
     * ListMultipartUploads under the prefix, then AbortMultipartUpload of each one initiated before
     * the time. The MinIO server lists unfinished uploads only for an exact key: pass the key of the
     * large blob (e.g. {@code backups/<name>/<name>.tar.gz}); a folder prefix finds none. MinIO also
     * drops unfinished uploads itself after 24 h ({@code api stale_uploads_expiry}).
     */
    @Override
    public int sweepIncompleteUploads(String prefix, Instant startedBefore) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(startedBefore, "startedBefore");
        return S3UploadListing.sweep((keyMarker, uploadIdMarker) -> {
            try {
                return client.listUploadsPage(settings.bucket(), settings.region(), prefix, keyMarker, uploadIdMarker)
                        .get();
            } catch (Exception e) {
                throw MinioErrors.map(e, "list the unfinished uploads under", path(prefix) + "*", null);
            }
        }, this::abort, startedBefore);
    }

    private boolean abort(String key, String uploadId) {
        try {
            client.abortMultipartUploadAsync(settings.bucket(), settings.region(), key, uploadId, null, null).get();
            return true;
        } catch (Exception e) {
            Throwable t = MinioErrors.unwrap(e);
            if (t instanceof ErrorResponseException er && MinioErrors.status(er) == 404) {
                return false; // completed or aborted meanwhile
            }
            throw MinioErrors.map(e, "abort the unfinished upload " + uploadId + " to", path(key), null);
        }
    }

    @Override
    public ValidationResult validate() {
        try {
            validateClient.listPage(settings.bucket(), settings.region(), settings.keyPrefix(), null, null, 1)
                    .get(VALIDATE_CALL_TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS);
            return ValidationResult.ok();
        } catch (java.util.concurrent.TimeoutException e) {
            return ValidationResult.failed(ValidationResult.Kind.UNREACHABLE, "No answer from " + settings.where()
                    + " within " + VALIDATE_CALL_TIMEOUT.toSeconds() + " s.", "Check the endpoint URL (scheme, host,"
                    + " port), DNS, firewall and proxy, and that the server is running.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ValidationResult.failed(ValidationResult.Kind.OTHER, "Interrupted while checking " + settings.where()
                    + ".", "Try again.");
        } catch (Exception e) {
            return ValidationResult.of(List.of(MinioErrors.problem(e, settings)));
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : List.of(client, validateClient)) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Override
    public String toString() {
        return "MinioStorageProvider[" + settings.where() + ", credentials=" + settings.credentials().kind() + "]";
    }

    private String path(String key) {
        return S3Keys.path(settings.bucket(), key);
    }

    private static String checkKey(String key) {
        return S3Keys.checkKey(key);
    }
}
