package io.kbackup.storage.minio.internal;

import io.kbackup.spi.support.PageLimit;
import io.minio.ListObjectsV2Response;
import io.minio.MinioAsyncClient;
import java.util.concurrent.CompletableFuture;

/** Opens the MinIO client's one-page ListObjectsV2 call, which it keeps protected. */
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
}
