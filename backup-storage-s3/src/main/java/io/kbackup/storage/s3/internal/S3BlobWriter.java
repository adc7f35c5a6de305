package io.kbackup.storage.s3.internal;

import io.kbackup.ObjectLock;
import io.kbackup.spi.Retention;
import io.kbackup.storage.s3protocol.S3Keys;
import io.kbackup.storage.s3protocol.S3PartWriter;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Upload of unknown length through the AWS SDK ({@link S3PartWriter}), with the location's
 * server-side encryption and checksum. Memory is at most one part. Not thread-safe.
 */
final class S3BlobWriter extends S3PartWriter<CompletedPart> {

    private static final Logger LOG = LoggerFactory.getLogger(S3BlobWriter.class);

    private final S3Client s3;
    private final S3Settings settings;

    S3BlobWriter(S3Client s3, S3Settings settings, String key, Retention retention) {
        super(settings.bucket(), key, retention, settings.partSize());
        this.s3 = s3;
        this.settings = settings;
    }

    @Override
    protected String putObject(String key, byte[] data, int length, Retention retention) {
        PutObjectRequest.Builder req = putRequest(settings, key, length);
        if (retention != null) {
            req.objectLockMode(lockMode(retention)).objectLockRetainUntilDate(S3Keys.lockUntil(retention.retainUntil()));
        }
        return s3.putObject(req.build(), body(data, length)).eTag();
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
    protected String createUpload(String key, Retention retention) {
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
        return s3.createMultipartUpload(req.build()).uploadId();
    }

    @Override
    protected CompletedPart uploadPart(String key, String uploadId, int partNumber, byte[] data, int length) {
        UploadPartRequest.Builder req = UploadPartRequest.builder().bucket(settings.bucket()).key(key)
                .uploadId(uploadId).partNumber(partNumber).contentLength((long) length);
        if (settings.checksumAlgorithm() != null) {
            req.checksumAlgorithm(settings.checksumAlgorithm());
        }
        UploadPartResponse r = s3.uploadPart(req.build(), body(data, length));
        return CompletedPart.builder().partNumber(partNumber).eTag(r.eTag())
                .checksumCRC32(r.checksumCRC32()).checksumCRC32C(r.checksumCRC32C())
                .checksumSHA1(r.checksumSHA1()).checksumSHA256(r.checksumSHA256()).build();
    }

    @Override
    protected String completeUpload(String key, String uploadId, List<CompletedPart> parts) {
        String etag = s3.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts))).eTag();
        LOG.debug("completed multipart upload of {} parts to {}", parts.size(), S3Keys.path(settings.bucket(), key));
        return etag;
    }

    @Override
    protected void abortUpload(String key, String uploadId) {
        s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId));
        LOG.debug("aborted multipart upload to {}", S3Keys.path(settings.bucket(), key));
    }

    @Override
    protected RuntimeException error(Exception e, String operation, String where) {
        return S3Errors.failure(e, operation, where, null);
    }

    /** S3's lock mode for a retention. */
    static ObjectLockMode lockMode(Retention retention) {
        return retention.mode() == ObjectLock.COMPLIANCE ? ObjectLockMode.COMPLIANCE : ObjectLockMode.GOVERNANCE;
    }

    /** The buffered bytes, without copying; a fresh stream per attempt so that retries resend them. */
    private static RequestBody body(byte[] data, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, length), length, CONTENT_TYPE);
    }
}
