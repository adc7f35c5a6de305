package io.kbackup.storage.s3.internal;

import io.kbackup.NotFoundException;
import io.kbackup.ObjectLock;
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
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The {@code s3} storage provider: one bucket through the AWS SDK v2. Thread-safe. */
public final class S3StorageProvider implements StorageProvider {

    /** DeleteObjects takes at most this many keys per call. */
    static final int DELETE_BATCH = 1000;
    /** Attempts of an exclusive create while S3 answers 409 (a racing conditional write in flight). */
    private static final int CONFLICT_ATTEMPTS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(S3StorageProvider.class);

    private final S3Settings settings;
    private final S3Clients clients;
    private final S3Client s3;

    public S3StorageProvider(S3Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clients = S3Clients.create(settings);
        this.s3 = clients.s3();
    }

    @Override
    public String id() {
        return "s3";
    }

    /** The settings this provider was made with. */
    public S3Settings settings() {
        return settings;
    }

    /** The SDK clients, for tests and diagnostics. */
    public S3Clients clients() {
        return clients;
    }

    @Override
    public BlobWriter openWriter(String key) {
        return new S3BlobWriter(s3, settings, checkKey(key), null);
    }

    /** The blob is written with S3 Object Lock headers (mode and retain-until date), on PutObject or CreateMultipartUpload. */
    @Override
    public BlobWriter openWriter(String key, Retention retention) {
        return new S3BlobWriter(s3, settings, checkKey(key), retention);
    }

    /** GetObjectLockConfiguration: {@code ObjectLockEnabled=Enabled}; a bucket without one answers 404. */
    @Override
    public boolean objectLockEnabled() {
        try {
            GetObjectLockConfigurationResponse r = s3.getObjectLockConfiguration(b -> b.bucket(settings.bucket()));
            return r.objectLockConfiguration() != null
                    && r.objectLockConfiguration().objectLockEnabled() == ObjectLockEnabled.ENABLED;
        } catch (AwsServiceException e) {
            if ("ObjectLockConfigurationNotFoundError".equals(S3Errors.code(e))
                    || (e.statusCode() == 404 && !"NoSuchBucket".equals(S3Errors.code(e)))) {
                return false;
            }
            throw S3Errors.map(e, "read the object lock configuration of", "s3://" + settings.bucket(), null);
        } catch (SdkException e) {
            throw S3Errors.map(e, "read the object lock configuration of", "s3://" + settings.bucket(), null);
        }
    }

    /** HeadObject's lock headers (present when the credentials may read them, s3:GetObjectRetention). */
    @Override
    public Optional<Retention> retention(String key) {
        checkKey(key);
        try {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(settings.bucket()).key(key));
            if (r.objectLockRetainUntilDate() == null || r.objectLockMode() == null
                    || r.objectLockMode() == ObjectLockMode.UNKNOWN_TO_SDK_VERSION) {
                return Optional.empty();
            }
            return Optional.of(new Retention(r.objectLockMode() == ObjectLockMode.COMPLIANCE ? ObjectLock.COMPLIANCE
                    : ObjectLock.GOVERNANCE, r.objectLockRetainUntilDate()));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(S3Errors.code(e))) {
                return Optional.empty();
            }
            throw S3Errors.map(e, "read the retention of", path(key), null);
        } catch (SdkException e) {
            throw S3Errors.map(e, "read the retention of", path(key), null);
        }
    }

    /**
     * ListObjectVersions under the key, then DeleteObjects of every version and delete marker of
     * exactly that key (by version id). A version still locked is refused by S3 (AccessDenied).
     */
    @Override
    public void purge(String key) {
        checkKey(key);
        List<ObjectIdentifier> versions = new ArrayList<>();
        try {
            for (ListObjectVersionsResponse page : s3.listObjectVersionsPaginator(b -> b.bucket(settings.bucket()).prefix(key))) {
                page.versions().stream().filter(v -> key.equals(v.key()))
                        .forEach(v -> versions.add(ObjectIdentifier.builder().key(key).versionId(v.versionId()).build()));
                page.deleteMarkers().stream().filter(m -> key.equals(m.key()))
                        .forEach(m -> versions.add(ObjectIdentifier.builder().key(key).versionId(m.versionId()).build()));
            }
        } catch (SdkException e) {
            throw S3Errors.map(e, "list the versions of", path(key), null);
        }
        if (versions.isEmpty()) {
            return;
        }
        for (int from = 0; from < versions.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = versions.subList(from, Math.min(versions.size(), from + DELETE_BATCH));
            DeleteObjectsResponse r;
            try {
                r = s3.deleteObjects(b -> b.bucket(settings.bucket()).delete(Delete.builder().objects(batch).quiet(true).build()));
            } catch (SdkException e) {
                throw S3Errors.map(e, "delete the versions of", path(key), null);
            }
            if (!r.errors().isEmpty()) {
                S3Error first = r.errors().get(0);
                String message = "Could not delete " + r.errors().size() + " of " + batch.size() + " versions of "
                        + path(key) + "; first: version " + first.versionId() + " (S3 said: " + first.code() + ": "
                        + first.message() + ").";
                if ("AccessDenied".equals(first.code()) || "InvalidRequest".equals(first.code())) {
                    throw new io.kbackup.StorageDeniedException(message + " A version under object lock cannot be deleted"
                            + " before its retention ends; else grant s3:DeleteObjectVersion on the bucket.", null);
                }
                throw new io.kbackup.StorageException(message, null,
                        r.errors().stream().allMatch(err -> S3ErrorTable.RETRYABLE_CODES.contains(err.code())));
            }
        }
        LOG.debug("purged {} versions of {}", versions.size(), path(key));
    }

    @Override
    public InputStream get(String key) {
        checkKey(key);
        try {
            return s3.getObject(GetObjectRequest.builder().bucket(settings.bucket()).key(key).build());
        } catch (SdkException e) {
            throw S3Errors.map(e, "read", path(key), key);
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
        long last = offset + length - 1 < 0 ? Long.MAX_VALUE : offset + length - 1;
        try {
            return s3.getObject(GetObjectRequest.builder().bucket(settings.bucket()).key(key)
                    .range("bytes=" + offset + "-" + last).build());
        } catch (AwsServiceException e) {
            if (e.statusCode() == 416) {
                // the range starts at or after the end: nothing to read
                return InputStream.nullInputStream();
            }
            throw S3Errors.map(e, "read", path(key), key);
        } catch (SdkException e) {
            throw S3Errors.map(e, "read", path(key), key);
        }
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        checkKey(key);
        try {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(settings.bucket()).key(key));
            return Optional.of(new BlobInfo(key, r.contentLength() == null ? 0 : r.contentLength(), r.lastModified(),
                    S3Keys.etag(r.eTag())));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(S3Errors.code(e))) {
                return Optional.empty();
            }
            throw S3Errors.map(e, "read metadata of", path(key), null);
        } catch (SdkException e) {
            throw S3Errors.map(e, "read metadata of", path(key), null);
        }
    }

    @Override
    public ListPage list(String prefix, String delimiter, String continuationToken, int pageSize) {
        Objects.requireNonNull(prefix, "prefix");
        if (pageSize <= 0) {
            throw new IllegalArgumentException("pageSize must be > 0, was " + pageSize);
        }
        ListObjectsV2Request.Builder req = ListObjectsV2Request.builder()
                .bucket(settings.bucket())
                .maxKeys(Math.min(pageSize, 1000));
        if (!prefix.isEmpty()) {
            req.prefix(prefix);
        }
        if (delimiter != null && !delimiter.isEmpty()) {
            req.delimiter(delimiter);
        }
        String startAfter = PageLimit.startAfter(continuationToken);
        if (startAfter != null) {
            req.startAfter(startAfter);
        } else if (continuationToken != null) {
            req.continuationToken(continuationToken);
        }
        ListObjectsV2Response r;
        try {
            r = s3.listObjectsV2(req.build());
        } catch (SdkException e) {
            throw S3Errors.map(e, "list", path(prefix) + "*", null);
        }
        List<BlobInfo> blobs = new ArrayList<>(r.contents().size());
        for (S3Object o : r.contents()) {
            blobs.add(new BlobInfo(o.key(), o.size() == null ? 0 : o.size(), o.lastModified(), S3Keys.etag(o.eTag())));
        }
        List<String> prefixes = new ArrayList<>(r.commonPrefixes().size());
        for (CommonPrefix p : r.commonPrefixes()) {
            prefixes.add(p.prefix());
        }
        String next = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
        return PageLimit.limit(blobs, prefixes, next, pageSize);
    }

    @Override
    public void delete(String key) {
        checkKey(key);
        try {
            s3.deleteObject(b -> b.bucket(settings.bucket()).key(key));
        } catch (AwsServiceException e) {
            if ("NoSuchKey".equals(S3Errors.code(e))) {
                return;
            }
            throw S3Errors.map(e, "delete", path(key), null);
        } catch (SdkException e) {
            throw S3Errors.map(e, "delete", path(key), null);
        }
    }

    /** DeleteObjects in batches of 1000; keys that do not exist are not an error. */
    @Override
    public void deleteAll(Collection<String> keys) {
        List<String> all = new ArrayList<>(new LinkedHashSet<>(keys));
        for (int from = 0; from < all.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = new ArrayList<>();
            for (String key : all.subList(from, Math.min(all.size(), from + DELETE_BATCH))) {
                batch.add(ObjectIdentifier.builder().key(checkKey(key)).build());
            }
            DeleteObjectsResponse r;
            try {
                r = s3.deleteObjects(b -> b.bucket(settings.bucket()).delete(Delete.builder().objects(batch).quiet(true).build()));
            } catch (SdkException e) {
                throw S3Errors.map(e, "delete " + batch.size() + " blobs in", "s3://" + settings.bucket(), null);
            }
            List<S3Error> failed = r.errors().stream().filter(err -> !"NoSuchKey".equals(err.code())).toList();
            if (!failed.isEmpty()) {
                S3Error first = failed.get(0);
                boolean retry = failed.stream().allMatch(err -> S3ErrorTable.RETRYABLE_CODES.contains(err.code()));
                String message = "Could not delete " + failed.size() + " of " + batch.size() + " blobs in s3://"
                        + settings.bucket() + "; first: " + first.key() + " (S3 said: " + first.code() + ": "
                        + first.message() + ").";
                if ("AccessDenied".equals(first.code())) {
                    throw new io.kbackup.StorageDeniedException(message + " Grant s3:DeleteObject on the bucket.", null);
                }
                throw new io.kbackup.StorageException(message, null, retry);
            }
            LOG.debug("deleted {} keys from s3://{}", batch.size(), settings.bucket());
        }
    }

    /**
     * PutObject with {@code If-None-Match: *}: S3 answers 412 when the key exists, and 409 while a
     * racing conditional write to the key is in flight (retried here, a few times, until that one
     * has settled). MinIO and moto honour the header (tested on both).
     */
    @Override
    public boolean createIfAbsent(String key, byte[] data) {
        checkKey(key);
        for (int attempt = 1; ; attempt++) {
            try {
                s3.putObject(S3BlobWriter.putRequest(settings, key, data.length).ifNoneMatch("*").build(),
                        RequestBody.fromBytes(data));
                return true;
            } catch (AwsServiceException e) {
                if (e.statusCode() == 412) {
                    return false;
                }
                if (e.statusCode() != 409 || attempt >= CONFLICT_ATTEMPTS) {
                    throw S3Errors.map(e, "create", path(key), null);
                }
            } catch (SdkException e) {
                throw S3Errors.map(e, "create", path(key), null);
            }
            pause(attempt);
        }
    }

    /**
     * ListMultipartUploads under the prefix, then AbortMultipartUpload of each one initiated before
     * the time. On a MinIO server the listing finds uploads only by exact key (see the minio
     * provider); moto reports a fixed initiation time in 2010, so every upload looks old there.
     */
    @Override
    public int sweepIncompleteUploads(String prefix, Instant startedBefore) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(startedBefore, "startedBefore");
        return S3UploadListing.sweep((keyMarker, uploadIdMarker) -> {
            try {
                ListMultipartUploadsRequest.Builder req = ListMultipartUploadsRequest.builder().bucket(settings.bucket())
                        .keyMarker(keyMarker).uploadIdMarker(uploadIdMarker);
                if (!prefix.isEmpty()) {
                    req.prefix(prefix);
                }
                ListMultipartUploadsResponse r = s3.listMultipartUploads(req.build());
                return new S3UploadListing(r.uploads().stream().map(u -> new S3UploadListing.Upload(u.key(),
                        u.uploadId(), u.initiated())).toList(), Boolean.TRUE.equals(r.isTruncated()),
                        r.nextKeyMarker(), r.nextUploadIdMarker());
            } catch (SdkException e) {
                throw S3Errors.map(e, "list the unfinished uploads under", path(prefix) + "*", null);
            }
        }, this::abort, startedBefore);
    }

    private boolean abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId));
            LOG.debug("aborted the unfinished upload {} to {}", uploadId, path(key));
            return true;
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return false; // completed or aborted meanwhile
            }
            throw S3Errors.map(e, "abort the unfinished upload " + uploadId + " to", path(key), null);
        } catch (SdkException e) {
            throw S3Errors.map(e, "abort the unfinished upload " + uploadId + " to", path(key), null);
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(50L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("Interrupted while retrying an exclusive create.", e, true);
        }
    }

    @Override
    public ValidationResult validate() {
        try {
            clients.credentialsProvider().resolveCredentials();
        } catch (SdkException e) {
            return ValidationResult.of(List.of(S3Errors.problem(e, settings)));
        } catch (RuntimeException e) {
            return ValidationResult.failed(ValidationResult.Kind.BAD_CREDENTIALS,
                    "Could not obtain credentials: " + S3Errors.rootMessage(e) + ".",
                    "Check the credentials of the backup location.");
        }
        try {
            ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(settings.bucket()).maxKeys(1);
            if (!settings.keyPrefix().isEmpty()) {
                req.prefix(settings.keyPrefix());
            }
            clients.validateS3().listObjectsV2(req.build());
            return ValidationResult.ok();
        } catch (SdkException e) {
            return ValidationResult.of(List.of(S3Errors.problem(e, settings)));
        }
    }

    @Override
    public void close() {
        clients.close();
    }

    @Override
    public String toString() {
        return "S3StorageProvider[" + settings.where() + ", credentials=" + settings.credentials().kind() + "]";
    }

    private String path(String key) {
        return S3Keys.path(settings.bucket(), key);
    }

    private static String checkKey(String key) {
        return S3Keys.checkKey(key);
    }
}
