package io.kbackup.storage.minio.internal;

import io.kbackup.ObjectLock;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.ListPage;
import io.kbackup.spi.Retention;
import io.kbackup.spi.support.PageLimit;
import io.kbackup.storage.s3protocol.S3Keys;
import io.kbackup.storage.s3protocol.S3ProtocolStorageProvider;
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
import io.minio.messages.RetentionMode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/** The {@code minio} storage provider: one bucket through the MinIO Java client. Thread-safe. */
public final class MinioStorageProvider extends S3ProtocolStorageProvider {

    private final MinioSettings settings;
    private final KbMinioClient client;
    private final KbMinioClient validateClient;

    public MinioStorageProvider(MinioSettings settings) {
        super(Objects.requireNonNull(settings, "settings").bucket(), "MinIO");
        this.settings = settings;
        OkHttpClient http = MinioClients.httpClient(settings, CONNECT_TIMEOUT, READ_TIMEOUT, Duration.ZERO);
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

    /** The blob is written with S3 Object Lock headers (mode and retain-until date), (none when null), on PutObject or the multipart upload's start. */
    @Override
    public BlobWriter openWriter(String key, Retention retention) {
        return new MinioBlobWriter(client, settings, checkKey(key), retention);
    }

    @Override
    protected int status(Exception e) {
        return MinioErrors.unwrap(e) instanceof ErrorResponseException er ? MinioErrors.status(er) : 0;
    }

    @Override
    protected String code(Exception e) {
        return MinioErrors.unwrap(e) instanceof ErrorResponseException er ? MinioErrors.code(er) : null;
    }

    @Override
    protected RuntimeException error(Exception e, String operation, String where, String key) {
        return MinioErrors.map(e, operation, where, key);
    }

    /** A bucket made without object lock answers ObjectLockConfigurationNotFoundError. */
    @Override
    protected boolean readObjectLockEnabled() throws Exception {
        client.getObjectLockConfiguration(GetObjectLockConfigurationArgs.builder().bucket(settings.bucket())
                .region(settings.region()).build()).get();
        return true;
    }

    /** StatObject's lock headers. */
    @Override
    protected Optional<Retention> readRetention(String key) throws Exception {
        StatObjectResponse r = client.statObject(StatObjectArgs.builder().bucket(settings.bucket())
                .region(settings.region()).object(key).build()).get();
        if (r.retentionMode() == null || r.retentionRetainUntilDate() == null) {
            return Optional.empty();
        }
        return Optional.of(new Retention(r.retentionMode() == RetentionMode.COMPLIANCE ? ObjectLock.COMPLIANCE
                : ObjectLock.GOVERNANCE, r.retentionRetainUntilDate().toInstant()));
    }

    @Override
    protected List<String> listVersionIds(String key) throws Exception {
        List<String> versions = new ArrayList<>();
        for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(settings.bucket())
                .region(settings.region()).prefix(key).recursive(true).includeVersions(true).build())) {
            Item item = result.get();
            if (key.equals(item.objectName())) {
                versions.add(item.versionId());
            }
        }
        return versions;
    }

    @Override
    protected List<DeleteFailure> deleteVersions(String key, List<String> versionIds) throws Exception {
        return removeObjects(versionIds.stream().map(v -> new DeleteObject(key, v)).toList());
    }

    @Override
    protected List<DeleteFailure> removeBatch(List<String> keys) throws Exception {
        return removeObjects(keys.stream().map(DeleteObject::new).toList());
    }

    private List<DeleteFailure> removeObjects(List<DeleteObject> objects) throws Exception {
        List<DeleteFailure> failed = new ArrayList<>();
        for (Result<DeleteError> result : client.removeObjects(RemoveObjectsArgs.builder().bucket(settings.bucket())
                .region(settings.region()).objects(objects).build())) {
            DeleteError err = result.get();
            failed.add(new DeleteFailure(err.objectName(), null, err.code(), err.message()));
        }
        return failed;
    }

    @Override
    protected InputStream open(String key) throws Exception {
        return client.getObject(GetObjectArgs.builder().bucket(settings.bucket()).region(settings.region())
                .object(key).build()).get();
    }

    @Override
    protected InputStream openRange(String key, long offset, long length) throws Exception {
        return client.getObject(GetObjectArgs.builder().bucket(settings.bucket()).region(settings.region())
                .object(key).offset(offset).length(length).build()).get();
    }

    @Override
    protected BlobInfo stat(String key) throws Exception {
        StatObjectResponse r = client.statObject(StatObjectArgs.builder().bucket(settings.bucket())
                .region(settings.region()).object(key).build()).get();
        return new BlobInfo(key, r.size(), r.lastModified() == null ? null : r.lastModified().toInstant(), S3Keys.etag(r.etag()));
    }

    @Override
    protected ListPage listPage(String prefix, String delimiter, String continuationToken, int maxKeys, int pageSize)
            throws Exception {
        ListObjectsV2Response response = client.listPage(settings.bucket(), settings.region(), prefix, delimiter,
                continuationToken, maxKeys).get();
        ListBucketResultV2 r = response.result();
        List<BlobInfo> blobs = new ArrayList<>();
        for (Item o : r.contents()) {
            Instant modified = o.lastModified() == null ? null : o.lastModified().toInstant();
            blobs.add(new BlobInfo(o.objectName(), o.size(), modified, S3Keys.etag(o.etag())));
        }
        List<String> prefixes = r.commonPrefixes().stream().map(p -> p.toItem().objectName()).toList();
        String next = r.isTruncated() ? r.nextContinuationToken() : null;
        return PageLimit.limit(blobs, prefixes, next, pageSize);
    }

    @Override
    protected void remove(String key) throws Exception {
        client.removeObject(RemoveObjectArgs.builder().bucket(settings.bucket()).region(settings.region())
                .object(key).build()).get();
    }

    @Override
    protected void putIfNoneMatch(String key, byte[] data) throws Exception {
        client.putObject(PutObjectArgs.builder().bucket(settings.bucket()).region(settings.region()).object(key)
                .stream(new ByteArrayInputStream(data), data.length, -1).contentType(MinioBlobWriter.CONTENT_TYPE)
                .headers(Map.of("If-None-Match", "*")).build()).get();
    }

    /**
     * The MinIO server lists unfinished uploads only for an exact key: pass the key of the large
     * blob (e.g. {@code backups/<name>/<name>.tar.gz}); a folder prefix finds none. MinIO also drops
     * unfinished uploads itself after 24 h ({@code api stale_uploads_expiry}).
     */
    @Override
    protected S3UploadListing listUploads(String prefix, String keyMarker, String uploadIdMarker) throws Exception {
        return client.listUploadsPage(settings.bucket(), settings.region(), prefix, keyMarker, uploadIdMarker).get();
    }

    @Override
    protected void abortUpload(String key, String uploadId) throws Exception {
        client.abortMultipartUploadAsync(settings.bucket(), settings.region(), key, uploadId, null, null).get();
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
}
