/**
 * Velero's bucket layout and backup format, the one package that knows it; both engines use it and
 * nothing else writes or parses the format: keys ({@link io.kbackup.core.internal.layout.BucketLayout}),
 * tarball entry names, writer and reader ({@link io.kbackup.core.internal.layout.ArchivePaths},
 * {@link io.kbackup.core.internal.layout.ArchiveOutput}, {@link io.kbackup.core.internal.layout.EntryPath},
 * {@link io.kbackup.core.internal.layout.TarArchiveReader}, {@link io.kbackup.core.internal.layout.ArchiveReader}),
 * the Backup document ({@link io.kbackup.core.internal.layout.BackupDocument}) and its phases
 * ({@link io.kbackup.core.internal.layout.VeleroPhases}), the side files
 * ({@link io.kbackup.core.internal.layout.BackupSideFiles}, {@link io.kbackup.core.internal.layout.OperationResults},
 * {@link io.kbackup.core.internal.layout.ResourceList}, {@link io.kbackup.core.internal.layout.RestoreResourceList},
 * {@link io.kbackup.core.internal.layout.VolumeInfo}), Velero's labels and annotations
 * ({@link io.kbackup.core.internal.layout.VeleroKeys}) and our integrity manifest
 * ({@link io.kbackup.core.internal.layout.BackupManifest}).
 */
package io.kbackup.core.internal.layout;
