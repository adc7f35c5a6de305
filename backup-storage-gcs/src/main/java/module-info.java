/**
 * The Google Cloud Storage provider (provider id {@code gcs}), registered for
 * {@link java.util.ServiceLoader}. Also the Google Cloud KMS key provider (id {@code gcp-kms}) for
 * encrypted backups. Only {@code io.kbackup.storage.gcs} (the factory, the configuration keys, the
 * key provider) is exported.
 */
module io.kbackup.storage.gcs {
    requires transitive io.kbackup.api;
    requires google.cloud.storage;
    requires google.cloud.core;
    requires google.cloud.core.http;
    requires com.google.api.services.cloudkms;
    requires google.api.client;
    requires com.google.api.client;
    requires com.google.api.client.json.gson;
    requires gax;
    requires com.google.api.apicommon;
    requires com.google.auth;
    requires com.google.auth.oauth2;
    requires org.slf4j;

    exports io.kbackup.storage.gcs;

    provides io.kbackup.spi.StorageProviderFactory with io.kbackup.storage.gcs.GcsStorageProviderFactory;
    provides io.kbackup.spi.KeyProvider with io.kbackup.storage.gcs.GcpKmsKeyProvider;
}
