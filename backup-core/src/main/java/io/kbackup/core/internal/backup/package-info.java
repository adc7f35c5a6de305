/**
 * DirectEngine backups: {@link io.kbackup.core.internal.backup.BackupRunner} checks a plan and starts
 * a run; a run lists the cluster (discovery, paged lists on several threads), applies Velero's
 * selection rules (namespaces, resources, labels, ClusterWideMode with related cluster-scoped
 * objects) and streams the objects into a Velero-format tarball in the backup location.
 */
package io.kbackup.core.internal.backup;
