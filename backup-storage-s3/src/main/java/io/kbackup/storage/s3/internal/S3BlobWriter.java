package io.kbackup.storage.s3.internal;

import io.kbackup.ObjectLock;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.Retention;
import io.kbackup.spi.support.PartBufferedBlobWriter;
import io.kbackup.storage.s3protocol.S3Keys;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Upload of unknown length: a blob that fits in one part is one PutObject at commit, a larger one a
 * multipart upload whose parts are sent as each fills. Memory is at most one part. Not thread-safe.
 */
final class S3BlobWriter extends PartBufferedBlobWriter {

    private static final Logger LOG = LoggerFactory.getLogger(S3BlobWriter.class);
    private static final String CONTENT_TYPE = "application/octet-stream";

    private final S3Client s3;
    private final S3Settings settings;
    private final String key;
    /** The lock to store the blob under, or null. */
    private final Retention retention;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();

    S3BlobWriter(S3Client s3, S3Settings settings, String key, Retention retention) {
        super(S3Keys.path(settings.bucket(), key), settings.partSize());
        this.s3 = s3;
        this.settings = settings;
        this.key = key;
        this.retention = retention;
    }

    @Override
    protected BlobInfo putWhole(byte[] data, int length) {
        try {
            PutObjectRequest.Builder req = putRequest(settings, key, length);
            if (retention != null) {
                req.objectLockMode(lockMode(retention)).objectLockRetainUntilDate(S3Keys.lockUntil(retention.retainUntil()));
            }
            PutObjectResponse r = s3.putObject(req.build(), body(data, length));
            return new BlobInfo(key, length, null, S3Keys.etag(r.eTag()));
        } catch (SdkException e) {
            throw S3Errors.map(e, "store", target(), null);
        }
    }

    /** A PutObject of {@code length} bytes to {@code key} with the location's encryption and checksum. */
    static PutObjectRequest.Builder putRequest(S3Settings settings, String key, long length) {
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(settings.bucket()).key(key)
                .contentLength(length).contentType(CONTENT_TYPE);
        if (settings.serverSideEncryption() != null) {
            req.serverSideEncryption(settings.serverSideEncryption()).ssekmsKeyId(settings.kmsKeyId());
        }
        if (settings.checksumAlgorithm() != null) {
            req.checksumAlgorithm(settings.checksumAlgorithm());
        }
        return req;
    }

    @Override
    protected void sendPart(int partNumber, byte[] data, int length) {
        try {
            if (uploadId == null) {
                CreateMultipartUploadRequest.Builder req = CreateMultipartUploadRequest.builder().bucket(settings.bucket())
                        .key(key).contentType(CONTENT_TYPE);
                if (settings.serverSideEncryption() != null) {
                    req.serverSideEncryption(settings.serverSideEncryption()).ssekmsKeyId(settings.kmsKeyId());
                }
                if (settings.checksumAlgorithm() != null) {
                    req.checksumAlgorithm(settings.checksumAlgorithm());
                }
                if (retention != null) {
                    req.objectLockMode(lockMode(retention)).objectLockRetainUntilDate(S3Keys.lockUntil(retention.retainUntil()));
                }
                uploadId = s3.createMultipartUpload(req.build()).uploadId();
            }
            UploadPartRequest.Builder req = UploadPartRequest.builder().bucket(settings.bucket()).key(key)
                    .uploadId(uploadId).partNumber(partNumber).contentLength((long) length);
            if (settings.checksumAlgorithm() != null) {
                req.checksumAlgorithm(settings.checksumAlgorithm());
            }
            UploadPartResponse r = s3.uploadPart(req.build(), body(data, length));
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(r.eTag())
                    .checksumCRC32(r.checksumCRC32()).checksumCRC32C(r.checksumCRC32C())
                    .checksumSHA1(r.checksumSHA1()).checksumSHA256(r.checksumSHA256()).build());
        } catch (SdkException e) {
            throw S3Errors.map(e, "store part " + partNumber + " of", target(), null);
        }
    }

    @Override
    protected BlobInfo completeParts(long totalBytes, int partCount) {
        try {
            CompleteMultipartUploadResponse r = s3.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(key)
                    .uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            LOG.debug("completed multipart upload of {} bytes in {} parts to {}", totalBytes, partCount, target());
            return new BlobInfo(key, totalBytes, null, S3Keys.etag(r.eTag()));
        } catch (SdkException e) {
            throw S3Errors.map(e, "store", target(), null);
        }
    }

    @Override
    protected void abortParts() {
        String id = uploadId;
        uploadId = null;
        try {
            s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(id));
            LOG.debug("aborted multipart upload to {}", target());
        } catch (SdkException e) {
            throw S3Errors.map(e, "abort the upload to", target() + " (upload id " + id
                    + "; a bucket lifecycle rule for incomplete multipart uploads removes such leftovers)", null);
        }
    }

    /** S3's lock mode for a retention. */
    static ObjectLockMode lockMode(Retention retention) {
        return retention.mode() == ObjectLock.COMPLIANCE ? ObjectLockMode.COMPLIANCE : ObjectLockMode.GOVERNANCE;
    }

    /** The buffered bytes, without copying; a fresh stream per attempt so that retries resend them. */
    private static RequestBody body(byte[] data, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, length), length, CONTENT_TYPE);
    }

    private String target() {
        return S3Keys.path(settings.bucket(), key);
    }
}
