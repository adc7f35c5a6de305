package io.kbackup.storage.s3.internal;

import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Upload of unknown length: bytes are buffered up to one part; a blob that fits in one part is
 * one PutObject at commit, a larger one a multipart upload whose parts are sent as each fills.
 * Memory is at most one part. Not thread-safe.
 */
final class S3BlobWriter extends BlobWriter {

    private static final Logger LOG = LoggerFactory.getLogger(S3BlobWriter.class);
    private static final int INITIAL_BUFFER = 64 * 1024;
    private static final String CONTENT_TYPE = "application/octet-stream";

    private final S3Client s3;
    private final S3Settings settings;
    private final String key;
    private final int partSize;
    private byte[] buffer = new byte[0];
    private int count;
    private long total;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private boolean committed;
    private boolean aborted;

    S3BlobWriter(S3Client s3, S3Settings settings, String key) {
        this.s3 = s3;
        this.settings = settings;
        this.key = key;
        this.partSize = settings.partSize();
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (count == partSize) {
            uploadPart();
        }
        ensureCapacity(count + 1);
        buffer[count++] = (byte) b;
        total++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (count == partSize) {
                uploadPart();
            }
            int n = Math.min(len, partSize - count);
            ensureCapacity(count + n);
            System.arraycopy(b, off, buffer, count, n);
            count += n;
            total += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public BlobInfo commit() throws IOException {
        ensureOpen();
        try {
            String etag;
            if (uploadId == null) {
                PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(settings.bucket()).key(key)
                        .contentLength((long) count).contentType(CONTENT_TYPE);
                if (settings.serverSideEncryption() != null) {
                    req.serverSideEncryption(settings.serverSideEncryption()).ssekmsKeyId(settings.kmsKeyId());
                }
                if (settings.checksumAlgorithm() != null) {
                    req.checksumAlgorithm(settings.checksumAlgorithm());
                }
                PutObjectResponse r = s3.putObject(req.build(), body());
                etag = r.eTag();
            } else {
                if (count > 0) {
                    uploadPart();
                }
                CompleteMultipartUploadResponse r = s3.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(key)
                        .uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
                etag = r.eTag();
                LOG.debug("completed multipart upload of {} bytes in {} parts to s3://{}/{}", total, parts.size(),
                        settings.bucket(), key);
            }
            committed = true;
            buffer = null;
            return new BlobInfo(key, total, null, S3StorageProvider.etag(etag));
        } catch (SdkException e) {
            throw S3Errors.map(e, "store", "s3://" + settings.bucket() + "/" + key, null);
        }
    }

    @Override
    public void abort() throws IOException {
        if (committed || aborted) {
            return;
        }
        aborted = true;
        buffer = null;
        if (uploadId != null) {
            String id = uploadId;
            uploadId = null;
            try {
                s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(id));
                LOG.debug("aborted multipart upload to s3://{}/{}", settings.bucket(), key);
            } catch (SdkException e) {
                throw S3Errors.map(e, "abort the upload to", "s3://" + settings.bucket() + "/" + key
                        + " (upload id " + id + "; a bucket lifecycle rule for incomplete multipart uploads removes"
                        + " such leftovers)", null);
            }
        }
    }

    @Override
    public boolean committed() {
        return committed;
    }

    private void uploadPart() {
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
                uploadId = s3.createMultipartUpload(req.build()).uploadId();
            }
            int partNumber = parts.size() + 1;
            UploadPartRequest.Builder req = UploadPartRequest.builder().bucket(settings.bucket()).key(key)
                    .uploadId(uploadId).partNumber(partNumber).contentLength((long) count);
            if (settings.checksumAlgorithm() != null) {
                req.checksumAlgorithm(settings.checksumAlgorithm());
            }
            UploadPartResponse r = s3.uploadPart(req.build(), body());
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(r.eTag())
                    .checksumCRC32(r.checksumCRC32()).checksumCRC32C(r.checksumCRC32C())
                    .checksumSHA1(r.checksumSHA1()).checksumSHA256(r.checksumSHA256()).build());
            count = 0;
        } catch (SdkException e) {
            throw S3Errors.map(e, "store part " + (parts.size() + 1) + " of", "s3://" + settings.bucket() + "/" + key, null);
        }
    }

    /** The buffered bytes, without copying; a fresh stream per attempt so that retries resend them. */
    private RequestBody body() {
        byte[] data = buffer;
        int length = count;
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, length), length, CONTENT_TYPE);
    }

    private void ensureCapacity(int needed) {
        if (needed > buffer.length) {
            int size = Math.max(INITIAL_BUFFER, buffer.length);
            while (size < needed) {
                size = size > partSize / 2 ? partSize : size * 2;
            }
            buffer = Arrays.copyOf(buffer, Math.min(size, partSize));
        }
    }

    private void ensureOpen() throws IOException {
        if (committed) {
            throw new IOException("The upload to s3://" + settings.bucket() + "/" + key + " is already committed.");
        }
        if (aborted) {
            throw new IOException("The upload to s3://" + settings.bucket() + "/" + key + " was aborted.");
        }
    }
}
