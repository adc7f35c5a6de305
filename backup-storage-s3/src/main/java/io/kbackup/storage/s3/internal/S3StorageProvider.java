package io.kbackup.storage.s3.internal;

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
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
import software.amazon.awssdk.services.s3.model.S3Object;

/** The {@code s3} storage provider: one bucket through the AWS SDK v2. Thread-safe. */
public final class S3StorageProvider extends S3ProtocolStorageProvider {

    private final S3Settings settings;
    private final S3Clients clients;
    private final S3Client s3;

    public S3StorageProvider(S3Settings settings) {
        super(Objects.requireNonNull(settings, "settings").bucket(), "S3");
        this.settings = settings;
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

    /** The blob is written with S3 Object Lock headers (mode and retain-until date), (none when null), on PutObject or CreateMultipartUpload. */
    @Override
    public BlobWriter openWriter(String key, Retention retention) {
        return new S3BlobWriter(s3, settings, checkKey(key), retention);
    }

    @Override
    protected int status(Exception e) {
        return e instanceof AwsServiceException a ? a.statusCode() : 0;
    }

    @Override
    protected String code(Exception e) {
        return e instanceof AwsServiceException a ? S3Errors.code(a) : null;
    }

    @Override
    protected RuntimeException error(Exception e, String operation, String where, String key) {
        return S3Errors.failure(e, operation, where, key);
    }

    @Override
    protected boolean readObjectLockEnabled() {
        GetObjectLockConfigurationResponse r = s3.getObjectLockConfiguration(b -> b.bucket(settings.bucket()));
        return r.objectLockConfiguration() != null && r.objectLockConfiguration().objectLockEnabled() == ObjectLockEnabled.ENABLED;
    }

    @Override
    protected Optional<Retention> readRetention(String key) {
        HeadObjectResponse r = s3.headObject(b -> b.bucket(settings.bucket()).key(key));
        if (r.objectLockRetainUntilDate() == null || r.objectLockMode() == null
                || r.objectLockMode() == ObjectLockMode.UNKNOWN_TO_SDK_VERSION) {
            return Optional.empty();
        }
        return Optional.of(new Retention(r.objectLockMode() == ObjectLockMode.COMPLIANCE ? ObjectLock.COMPLIANCE
                : ObjectLock.GOVERNANCE, r.objectLockRetainUntilDate()));
    }

    /** ListObjectVersions under the key, keeping the versions and delete markers of exactly that key. */
    @Override
    protected List<String> listVersionIds(String key) {
        List<String> versions = new ArrayList<>();
        for (ListObjectVersionsResponse page : s3.listObjectVersionsPaginator(b -> b.bucket(settings.bucket()).prefix(key))) {
            page.versions().stream().filter(v -> key.equals(v.key())).forEach(v -> versions.add(v.versionId()));
            page.deleteMarkers().stream().filter(m -> key.equals(m.key())).forEach(m -> versions.add(m.versionId()));
        }
        return versions;
    }

    @Override
    protected List<DeleteFailure> deleteVersions(String key, List<String> versionIds) {
        return deleteObjects(versionIds.stream().map(v -> ObjectIdentifier.builder().key(key).versionId(v).build()).toList());
    }

    @Override
    protected List<DeleteFailure> removeBatch(List<String> keys) {
        return deleteObjects(keys.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList());
    }

    private List<DeleteFailure> deleteObjects(List<ObjectIdentifier> objects) {
        DeleteObjectsResponse r = s3.deleteObjects(b -> b.bucket(settings.bucket())
                .delete(Delete.builder().objects(objects).quiet(true).build()));
        return r.errors().stream().map(e -> new DeleteFailure(e.key(), e.versionId(), e.code(), e.message())).toList();
    }

    @Override
    protected InputStream open(String key) {
        return s3.getObject(GetObjectRequest.builder().bucket(settings.bucket()).key(key).build());
    }

    @Override
    protected InputStream openRange(String key, long offset, long length) {
        long last = offset + length - 1 < 0 ? Long.MAX_VALUE : offset + length - 1;
        return s3.getObject(GetObjectRequest.builder().bucket(settings.bucket()).key(key)
                .range("bytes=" + offset + "-" + last).build());
    }

    @Override
    protected BlobInfo stat(String key) {
        HeadObjectResponse r = s3.headObject(b -> b.bucket(settings.bucket()).key(key));
        return new BlobInfo(key, r.contentLength() == null ? 0 : r.contentLength(), r.lastModified(), S3Keys.etag(r.eTag()));
    }

    @Override
    protected ListPage listPage(String prefix, String delimiter, String continuationToken, int maxKeys, int pageSize) {
        ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(settings.bucket()).maxKeys(maxKeys);
        if (!prefix.isEmpty()) {
            req.prefix(prefix);
        }
        if (delimiter != null) {
            req.delimiter(delimiter);
        }
        String startAfter = PageLimit.startAfter(continuationToken);
        if (startAfter != null) {
            req.startAfter(startAfter);
        } else if (continuationToken != null) {
            req.continuationToken(continuationToken);
        }
        ListObjectsV2Response r = s3.listObjectsV2(req.build());
        List<BlobInfo> blobs = new ArrayList<>(r.contents().size());
        for (S3Object o : r.contents()) {
            blobs.add(new BlobInfo(o.key(), o.size() == null ? 0 : o.size(), o.lastModified(), S3Keys.etag(o.eTag())));
        }
        List<String> prefixes = r.commonPrefixes().stream().map(CommonPrefix::prefix).toList();
        String next = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
        return PageLimit.limit(blobs, prefixes, next, pageSize);
    }

    @Override
    protected void remove(String key) {
        s3.deleteObject(b -> b.bucket(settings.bucket()).key(key));
    }

    @Override
    protected void putIfNoneMatch(String key, byte[] data) {
        s3.putObject(S3BlobWriter.putRequest(settings, key, data.length).ifNoneMatch("*").build(), RequestBody.fromBytes(data));
    }

    /** Moto reports a fixed initiation time in 2010, so every upload looks old there. */
    @Override
    protected S3UploadListing listUploads(String prefix, String keyMarker, String uploadIdMarker) {
        ListMultipartUploadsRequest.Builder req = ListMultipartUploadsRequest.builder().bucket(settings.bucket())
                .keyMarker(keyMarker).uploadIdMarker(uploadIdMarker);
        if (!prefix.isEmpty()) {
            req.prefix(prefix);
        }
        ListMultipartUploadsResponse r = s3.listMultipartUploads(req.build());
        return new S3UploadListing(r.uploads().stream().map(u -> new S3UploadListing.Upload(u.key(), u.uploadId(),
                u.initiated())).toList(), Boolean.TRUE.equals(r.isTruncated()), r.nextKeyMarker(), r.nextUploadIdMarker());
    }

    @Override
    protected void abortUpload(String key, String uploadId) {
        s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId));
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
}
