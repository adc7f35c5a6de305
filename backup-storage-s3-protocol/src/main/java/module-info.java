/**
 * What the S3 protocol is, whoever serves it: the location settings and their Velero key names, the
 * S3 error-code table, keys and ETags, and the reading of unfinished multipart uploads. Shared by the
 * {@code s3} (AWS SDK) and {@code minio} (MinIO client) providers and exported to them only: it is
 * not an API of its own.
 */
module io.kbackup.storage.s3protocol {
    requires transitive io.kbackup.api;
    requires java.xml;

    exports io.kbackup.storage.s3protocol to io.kbackup.storage.s3, io.kbackup.storage.minio;
}
