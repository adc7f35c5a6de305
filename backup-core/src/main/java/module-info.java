/**
 * The two engines ({@code io.kbackup.core.direct}, {@code io.kbackup.core.velero}), the entry point
 * {@link io.kbackup.core.KBackup}, scheduling, fleets and the local-folder storage provider. Everything
 * under {@code io.kbackup.core.internal} is not exported. The caller hands in a fabric8
 * {@code KubernetesClient}, so the fabric8 client API is read transitively.
 */
module io.kbackup.core {
    requires transitive io.kbackup.api;
    requires transitive kubernetes.client.api;
    requires kubernetes.model.core;
    requires kubernetes.model.common;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires com.google.crypto.tink;

    exports io.kbackup.core;
    exports io.kbackup.core.direct;
    exports io.kbackup.core.fleet;
    exports io.kbackup.core.keys;
    exports io.kbackup.core.schedule;
    exports io.kbackup.core.storage;
    exports io.kbackup.core.velero;

    provides io.kbackup.spi.StorageProviderFactory with io.kbackup.core.storage.LocalFolderStorageFactory;
    provides io.kbackup.spi.KeyProvider with io.kbackup.core.keys.StaticKeyProvider;
}
