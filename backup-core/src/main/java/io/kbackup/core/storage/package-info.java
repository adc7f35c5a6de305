/**
 * The embedded storage provider: a folder of the local file system (provider id {@code local}).
 * Start with {@link io.kbackup.BackupLocation#localFolder(java.nio.file.Path)}; the factory,
 * {@link io.kbackup.core.storage.LocalFolderStorageFactory}, is registered for
 * {@link java.util.ServiceLoader} and may also be passed explicitly with
 * {@code StorageProviders.with(...)}.
 */
package io.kbackup.core.storage;
