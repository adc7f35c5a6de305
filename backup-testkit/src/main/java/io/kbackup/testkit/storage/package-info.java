/**
 * Storage for tests: the {@link io.kbackup.testkit.storage.StorageProviderContract} every
 * {@link io.kbackup.spi.StorageProvider} passes, the in-memory provider (id {@code memory}) that
 * passes it on every build, and a {@link io.kbackup.testkit.storage.FaultInjectingStorageProvider}
 * to prove failures part-way are handled.
 */
package io.kbackup.testkit.storage;
