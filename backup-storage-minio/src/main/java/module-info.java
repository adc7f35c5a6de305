/**
 * The MinIO (S3-compatible) storage provider (provider id {@code minio}) on the MinIO Java client,
 * registered for {@link java.util.ServiceLoader}. Only {@code io.kbackup.storage.minio} (the factory
 * and the configuration keys) is exported.
 */
module io.kbackup.storage.minio {
    requires transitive io.kbackup.api;
    requires io.kbackup.storage.s3protocol;
    requires minio;
    requires okhttp3;
    requires com.google.common;
    requires org.slf4j;

    exports io.kbackup.storage.minio;

    provides io.kbackup.spi.StorageProviderFactory with io.kbackup.storage.minio.MinioStorageProviderFactory;
}
