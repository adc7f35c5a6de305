package io.kbackup.storage.minio.internal;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.minio.ObjectWriteResponse;
import io.minio.PutObjectArgs;
import io.minio.UploadPartResponse;
import io.minio.messages.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Upload of unknown length through the MinIO client: bytes are buffered up to one part; a blob
 * that fits in one part is one PutObject at commit, a larger one a multipart upload whose parts are
 * sent as each fills. Memory is about one part (the client may copy a part while signing it). Not
 * thread-safe.
 */
final class MinioBlobWriter extends BlobWriter {

    private static final int INITIAL_BUFFER = 64 * 1024;
    private static final String CONTENT_TYPE = "application/octet-stream";

    private final KbMinioClient client;
    private final MinioSettings settings;
    private final String key;
    private final int partSize;
    private byte[] buffer = new byte[0];
    private int count;
    private long total;
    private String uploadId;
    private final List<Part> parts = new ArrayList<>();
    private boolean committed;
    private boolean aborted;

    MinioBlobWriter(KbMinioClient client, MinioSettings settings, String key) {
        this.client = client;
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
        Objects.checkFromIndexSize(off, len, b.length);
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
            ObjectWriteResponse r;
            if (uploadId == null) {
                r = client.putObject(PutObjectArgs.builder().bucket(settings.bucket()).region(settings.region())
                        .object(key).stream(new ByteArrayInputStream(buffer, 0, count), count, -1)
                        .contentType(CONTENT_TYPE).build()).get();
            } else {
                if (count > 0) {
                    uploadPart();
                }
                r = client.completeMultipartUploadAsync(settings.bucket(), settings.region(), key, uploadId,
                        parts.toArray(new Part[0]), null, null).get();
            }
            committed = true;
            buffer = null;
            return new BlobInfo(key, total, null, MinioStorageProvider.etag(r.etag()));
        } catch (Exception e) {
            throw MinioErrors.map(e, "store", "s3://" + settings.bucket() + "/" + key, null);
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
                client.abortMultipartUploadAsync(settings.bucket(), settings.region(), key, id, null, null).get();
            } catch (Exception e) {
                throw MinioErrors.map(e, "abort the upload to", "s3://" + settings.bucket() + "/" + key
                        + " (upload id " + id + "; a lifecycle rule for incomplete multipart uploads removes such"
                        + " leftovers)", null);
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
                Multimap<String, String> headers = HashMultimap.create();
                headers.put("Content-Type", CONTENT_TYPE);
                uploadId = client.createMultipartUploadAsync(settings.bucket(), settings.region(), key, headers, null)
                        .get().result().uploadId();
            }
            int partNumber = parts.size() + 1;
            UploadPartResponse r = client.uploadPartAsync(settings.bucket(), settings.region(), key,
                    new ByteArrayInputStream(buffer, 0, count), count, uploadId, partNumber, null, null).get();
            parts.add(new Part(partNumber, r.etag()));
            count = 0;
        } catch (Exception e) {
            throw MinioErrors.map(e, "store part " + (parts.size() + 1) + " of", "s3://" + settings.bucket() + "/" + key,
                    null);
        }
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
