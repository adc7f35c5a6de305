/**
 * The embedded storage provider: a folder of the local file system (provider id {@code local},
 * {@link io.kbackup.BackupLocation#localFolder(java.nio.file.Path)}), registered for
 * {@link java.util.ServiceLoader}.
 */
package io.kbackup.core.storage;
