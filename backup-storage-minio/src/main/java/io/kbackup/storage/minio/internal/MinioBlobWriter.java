package io.kbackup.storage.minio.internal;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import io.kbackup.ObjectLock;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.Retention;
import io.kbackup.spi.support.PartBufferedBlobWriter;
import io.kbackup.storage.s3protocol.S3Keys;
import io.minio.ObjectWriteResponse;
import io.minio.PutObjectArgs;
import io.minio.UploadPartResponse;
import io.minio.messages.Part;
import io.minio.messages.RetentionMode;
import java.io.ByteArrayInputStream;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Upload of unknown length through the MinIO client: a blob that fits in one part is one PutObject
 * at commit, a larger one a multipart upload whose parts are sent as each fills. Memory is about one
 * part (the client may copy a part while signing it). Not thread-safe.
 */
final class MinioBlobWriter extends PartBufferedBlobWriter {

    static final String CONTENT_TYPE = "application/octet-stream";

    private final KbMinioClient client;
    private final MinioSettings settings;
    private final String key;
    /** The lock to store the blob under, or null. */
    private final Retention retention;
    private String uploadId;
    private final List<Part> parts = new ArrayList<>();

    MinioBlobWriter(KbMinioClient client, MinioSettings settings, String key, Retention retention) {
        super(S3Keys.path(settings.bucket(), key), settings.partSize());
        this.client = client;
        this.settings = settings;
        this.key = key;
        this.retention = retention;
    }

    @Override
    protected BlobInfo putWhole(byte[] data, int length) {
        try {
            PutObjectArgs.Builder args = PutObjectArgs.builder().bucket(settings.bucket()).region(settings.region())
                    .object(key).stream(new ByteArrayInputStream(data, 0, length), length, -1).contentType(CONTENT_TYPE);
            if (retention != null) {
                args.retention(new io.minio.messages.Retention(mode(retention), S3Keys.lockUntil(retention.retainUntil()).atZone(ZoneOffset.UTC)));
            }
            ObjectWriteResponse r = client.putObject(args.build()).get();
            return new BlobInfo(key, length, null, S3Keys.etag(r.etag()));
        } catch (Exception e) {
            throw MinioErrors.map(e, "store", target(), null);
        }
    }

    @Override
    protected void sendPart(int partNumber, byte[] data, int length) {
        try {
            if (uploadId == null) {
                Multimap<String, String> headers = HashMultimap.create();
                headers.put("Content-Type", CONTENT_TYPE);
                if (retention != null) {
                    headers.put("x-amz-object-lock-mode", mode(retention).name());
                    headers.put("x-amz-object-lock-retain-until-date",
                            S3Keys.lockUntil(retention.retainUntil()).toString());
                }
                uploadId = client.createMultipartUploadAsync(settings.bucket(), settings.region(), key, headers, null)
                        .get().result().uploadId();
            }
            UploadPartResponse r = client.uploadPartAsync(settings.bucket(), settings.region(), key,
                    new ByteArrayInputStream(data, 0, length), length, uploadId, partNumber, null, null).get();
            parts.add(new Part(partNumber, r.etag()));
        } catch (Exception e) {
            throw MinioErrors.map(e, "store part " + partNumber + " of", target(), null);
        }
    }

    @Override
    protected BlobInfo completeParts(long totalBytes, int partCount) {
        try {
            ObjectWriteResponse r = client.completeMultipartUploadAsync(settings.bucket(), settings.region(), key, uploadId,
                    parts.toArray(new Part[0]), null, null).get();
            return new BlobInfo(key, totalBytes, null, S3Keys.etag(r.etag()));
        } catch (Exception e) {
            throw MinioErrors.map(e, "store", target(), null);
        }
    }

    @Override
    protected void abortParts() {
        String id = uploadId;
        uploadId = null;
        try {
            client.abortMultipartUploadAsync(settings.bucket(), settings.region(), key, id, null, null).get();
        } catch (Exception e) {
            throw MinioErrors.map(e, "abort the upload to", target() + " (upload id " + id
                    + "; a lifecycle rule for incomplete multipart uploads removes such leftovers)", null);
        }
    }

    /** MinIO's lock mode for a retention. */
    static RetentionMode mode(Retention retention) {
        return retention.mode() == ObjectLock.COMPLIANCE ? RetentionMode.COMPLIANCE : RetentionMode.GOVERNANCE;
    }

    private String target() {
        return S3Keys.path(settings.bucket(), key);
    }
}
