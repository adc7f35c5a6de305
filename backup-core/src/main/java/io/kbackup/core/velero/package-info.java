/**
 * The VeleroEngine: the SDK's API carried out by a Velero server already running in the cluster.
 * Get one with {@code KBackup.velero(client)} or {@code KBackup.velero(client, options)}; see
 * {@link io.kbackup.core.velero.VeleroEngine} for how plans and locations map to Velero's
 * {@code velero.io/v1} objects, and {@link io.kbackup.core.velero.VeleroOptions} for the waits and
 * choices (file-system backup, the every-two-weeks schedule).
 */
package io.kbackup.core.velero;
