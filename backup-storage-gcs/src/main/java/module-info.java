/**
 * The Google Cloud Storage provider (provider id {@code gcs}), registered for
 * {@link java.util.ServiceLoader}. Only {@code io.kbackup.storage.gcs} (the factory and the
 * configuration keys) is exported.
 */
module io.kbackup.storage.gcs {
    requires transitive io.kbackup.api;
    requires google.cloud.storage;
    requires google.cloud.core;
    requires google.cloud.core.http;
    requires gax;
    requires com.google.api.apicommon;
    requires com.google.auth;
    requires com.google.auth.oauth2;
    requires org.slf4j;

    exports io.kbackup.storage.gcs;

    provides io.kbackup.spi.StorageProviderFactory with io.kbackup.storage.gcs.GcsStorageProviderFactory;
}
