/**
 * Storage for tests: the {@link io.kbackup.testkit.storage.StorageProviderContract} every
 * {@link io.kbackup.spi.StorageProvider} passes, the in-memory provider (id {@code memory}) that
 * passes it on every build, and a {@link io.kbackup.testkit.storage.FaultInjectingStorageProvider}
 * to prove failures part-way are handled. S3-compatible providers also pass the
 * {@link io.kbackup.testkit.storage.MinioServerSuites} on a real MinIO server (among them the
 * {@link io.kbackup.testkit.storage.S3CompatibleMultipartContract} and the
 * {@link io.kbackup.testkit.storage.S3CompatibleValidateContract}) and the
 * {@link io.kbackup.testkit.storage.S3MockProviderContract} on S3Mock.
 */
package io.kbackup.testkit.storage;
