package io.kbackup.storage.minio.internal;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.support.PartBufferedBlobWriter;
import io.kbackup.storage.s3protocol.S3Keys;
import io.minio.ObjectWriteResponse;
import io.minio.PutObjectArgs;
import io.minio.UploadPartResponse;
import io.minio.messages.Part;
import java.io.ByteArrayInputStream;
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
    private String uploadId;
    private final List<Part> parts = new ArrayList<>();

    MinioBlobWriter(KbMinioClient client, MinioSettings settings, String key) {
        super(S3Keys.path(settings.bucket(), key), settings.partSize());
        this.client = client;
        this.settings = settings;
        this.key = key;
    }

    @Override
    protected BlobInfo putWhole(byte[] data, int length) {
        try {
            ObjectWriteResponse r = client.putObject(PutObjectArgs.builder().bucket(settings.bucket()).region(settings.region())
                    .object(key).stream(new ByteArrayInputStream(data, 0, length), length, -1)
                    .contentType(CONTENT_TYPE).build()).get();
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

    private String target() {
        return S3Keys.path(settings.bucket(), key);
    }
}
