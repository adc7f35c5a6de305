package io.kbackup.storage.minio.internal;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import io.kbackup.spi.support.PageLimit;
import io.kbackup.storage.s3protocol.S3UploadListing;
import io.minio.ListObjectsV2Response;
import io.minio.MinioAsyncClient;
import io.minio.http.Method;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import okhttp3.Headers;
import okhttp3.ResponseBody;

/**
 * Opens the MinIO client's one-page ListObjectsV2 call, which it keeps protected, and reads
 * ListMultipartUploads itself (the client's reader refuses the MinIO server's empty StorageClass).
 */
final class KbMinioClient extends MinioAsyncClient {

    KbMinioClient(MinioAsyncClient client) {
        super(client);
    }

    /** One ListObjectsV2 page, with the service's own continuation token. */
    CompletableFuture<ListObjectsV2Response> listPage(String bucket, String region, String prefix, String delimiter,
            String continuationToken, int maxKeys) throws Exception {
        String startAfter = PageLimit.startAfter(continuationToken);
        return listObjectsV2Async(bucket, region, delimiter, null, startAfter, maxKeys, prefix.isEmpty() ? null : prefix,
                startAfter != null ? null : continuationToken, false, false, null, null);
    }

    /** One ListMultipartUploads page under {@code prefix}, read by {@link S3UploadListing}. */
    CompletableFuture<S3UploadListing> listUploadsPage(String bucket, String region, String prefix, String keyMarker,
            String uploadIdMarker) throws Exception {
        Multimap<String, String> query = HashMultimap.create();
        query.put("uploads", "");
        query.put("max-uploads", "1000");
        if (!prefix.isEmpty()) {
            query.put("prefix", prefix);
        }
        if (keyMarker != null) {
            query.put("key-marker", keyMarker);
        }
        if (uploadIdMarker != null) {
            query.put("upload-id-marker", uploadIdMarker);
        }
        return executeAsync(Method.GET, bucket, null, region, Headers.of(), query, null, 0).thenApply(response -> {
            try (response; ResponseBody body = response.body()) {
                return S3UploadListing.parse(body.byteStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
