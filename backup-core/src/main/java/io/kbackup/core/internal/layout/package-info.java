/**
 * Velero's bucket layout and backup format, the one copy both engines use: keys
 * ({@link io.kbackup.core.internal.layout.BucketLayout}), tarball entry names and writer
 * ({@link io.kbackup.core.internal.layout.ArchivePaths}, {@link io.kbackup.core.internal.layout.ArchiveOutput}),
 * the Backup document ({@link io.kbackup.core.internal.layout.BackupDocument}), the side files and our
 * integrity manifest ({@link io.kbackup.core.internal.layout.BackupManifest}).
 */
package io.kbackup.core.internal.layout;
