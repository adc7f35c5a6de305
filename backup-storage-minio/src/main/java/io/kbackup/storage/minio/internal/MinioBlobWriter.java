package io.kbackup.storage.minio.internal;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import io.kbackup.ObjectLock;
import io.kbackup.spi.Retention;
import io.kbackup.storage.s3protocol.S3Keys;
import io.kbackup.storage.s3protocol.S3PartWriter;
import io.minio.PutObjectArgs;
import io.minio.messages.Part;
import io.minio.messages.RetentionMode;
import java.io.ByteArrayInputStream;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Upload of unknown length through the MinIO client ({@link S3PartWriter}). Memory is about one
 * part (the client may copy a part while signing it). Not thread-safe.
 */
final class MinioBlobWriter extends S3PartWriter<Part> {

    private final KbMinioClient client;
    private final MinioSettings settings;

    MinioBlobWriter(KbMinioClient client, MinioSettings settings, String key, Retention retention) {
        super(settings.bucket(), key, retention, settings.partSize());
        this.client = client;
        this.settings = settings;
    }

    @Override
    protected String putObject(String key, byte[] data, int length, Retention retention) throws Exception {
        PutObjectArgs.Builder args = PutObjectArgs.builder().bucket(settings.bucket()).region(settings.region())
                .object(key).stream(new ByteArrayInputStream(data, 0, length), length, -1).contentType(CONTENT_TYPE);
        if (retention != null) {
            args.retention(new io.minio.messages.Retention(mode(retention), S3Keys.lockUntil(retention.retainUntil()).atZone(ZoneOffset.UTC)));
        }
        return client.putObject(args.build()).get().etag();
    }

    @Override
    protected String createUpload(String key, Retention retention) throws Exception {
        Multimap<String, String> headers = HashMultimap.create();
        headers.put("Content-Type", CONTENT_TYPE);
        if (retention != null) {
            headers.put("x-amz-object-lock-mode", mode(retention).name());
            headers.put("x-amz-object-lock-retain-until-date", S3Keys.lockUntil(retention.retainUntil()).toString());
        }
        return client.createMultipartUploadAsync(settings.bucket(), settings.region(), key, headers, null).get().result().uploadId();
    }

    @Override
    protected Part uploadPart(String key, String uploadId, int partNumber, byte[] data, int length) throws Exception {
        return new Part(partNumber, client.uploadPartAsync(settings.bucket(), settings.region(), key,
                new ByteArrayInputStream(data, 0, length), length, uploadId, partNumber, null, null).get().etag());
    }

    @Override
    protected String completeUpload(String key, String uploadId, List<Part> parts) throws Exception {
        return client.completeMultipartUploadAsync(settings.bucket(), settings.region(), key, uploadId,
                parts.toArray(new Part[0]), null, null).get().etag();
    }

    @Override
    protected void abortUpload(String key, String uploadId) throws Exception {
        client.abortMultipartUploadAsync(settings.bucket(), settings.region(), key, uploadId, null, null).get();
    }

    @Override
    protected RuntimeException error(Exception e, String operation, String where) {
        return MinioErrors.map(e, operation, where, null);
    }

    /** MinIO's lock mode for a retention. */
    static RetentionMode mode(Retention retention) {
        return retention.mode() == ObjectLock.COMPLIANCE ? RetentionMode.COMPLIANCE : RetentionMode.GOVERNANCE;
    }
}
