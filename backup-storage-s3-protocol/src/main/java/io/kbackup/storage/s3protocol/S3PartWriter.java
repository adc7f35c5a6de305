package io.kbackup.storage.s3protocol;

import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.Retention;
import io.kbackup.spi.support.PartBufferedBlobWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Upload of unknown length over the S3 protocol, whatever the client library: a blob that fits in
 * one part is one PutObject at commit, a larger one a multipart upload (CreateMultipartUpload on the
 * first part, UploadPart as each part fills, CompleteMultipartUpload at commit,
 * AbortMultipartUpload on abort). A subclass makes these calls with its client; this class keeps
 * the upload id, the parts sent and the messages. Not thread-safe.
 *
 * @param <P> the client's record of a part sent (part number and ETag), as CompleteMultipartUpload takes it
 */
public abstract class S3PartWriter<P> extends PartBufferedBlobWriter {

    /** The content type of every blob. */
    public static final String CONTENT_TYPE = "application/octet-stream";

    private final String key;
    private final Retention retention;
    private final String target;
    private final List<P> parts = new ArrayList<>();
    private String uploadId;

    /**
     * @param retention the lock to store the blob under, or null
     * @param partSize  bytes per part
     */
    protected S3PartWriter(String bucket, String key, Retention retention, int partSize) {
        super(S3Keys.path(bucket, key), partSize);
        this.key = key;
        this.retention = retention;
        this.target = S3Keys.path(bucket, key);
    }

    /** PutObject of the whole blob under {@code retention} (or none); returns the ETag as sent. */
    protected abstract String putObject(String key, byte[] data, int length, Retention retention) throws Exception;

    /** CreateMultipartUpload under {@code retention} (or none); returns the upload id. */
    protected abstract String createUpload(String key, Retention retention) throws Exception;

    /** UploadPart; returns what CompleteMultipartUpload needs of it. */
    protected abstract P uploadPart(String key, String uploadId, int partNumber, byte[] data, int length) throws Exception;

    /** CompleteMultipartUpload of these parts; returns the ETag as sent. */
    protected abstract String completeUpload(String key, String uploadId, List<P> parts) throws Exception;

    /** AbortMultipartUpload. */
    protected abstract void abortUpload(String key, String uploadId) throws Exception;

    /** The exception to throw for a failed call. */
    protected abstract RuntimeException error(Exception e, String operation, String where);

    @Override
    protected final BlobInfo putWhole(byte[] data, int length) {
        try {
            return new BlobInfo(key, length, null, S3Keys.etag(putObject(key, data, length, retention)));
        } catch (Exception e) {
            throw error(e, "store", target);
        }
    }

    @Override
    protected final void sendPart(int partNumber, byte[] data, int length) {
        try {
            if (uploadId == null) {
                uploadId = createUpload(key, retention);
            }
            parts.add(uploadPart(key, uploadId, partNumber, data, length));
        } catch (Exception e) {
            throw error(e, "store part " + partNumber + " of", target);
        }
    }

    @Override
    protected final BlobInfo completeParts(long totalBytes, int partCount) {
        try {
            return new BlobInfo(key, totalBytes, null, S3Keys.etag(completeUpload(key, uploadId, parts)));
        } catch (Exception e) {
            throw error(e, "store", target);
        }
    }

    @Override
    protected final void abortParts() {
        String id = uploadId;
        uploadId = null;
        try {
            abortUpload(key, id);
        } catch (Exception e) {
            throw error(e, "abort the upload to", target + " (upload id " + id
                    + "; a bucket lifecycle rule for incomplete multipart uploads removes such leftovers)");
        }
    }
}
