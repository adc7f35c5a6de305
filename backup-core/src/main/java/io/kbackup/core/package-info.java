/**
 * The entry point of {@code backup-core}: {@link io.kbackup.core.KBackup} makes a
 * {@link io.kbackup.BackupClient} for a fabric8 {@code KubernetesClient}, carried out by the
 * DirectEngine ({@code io.kbackup.core.direct}, no Velero needed) or the VeleroEngine
 * ({@code io.kbackup.core.velero}). Scheduling is in {@code io.kbackup.core.schedule}, groups of
 * clusters in {@code io.kbackup.core.fleet}, the local-folder storage provider in
 * {@code io.kbackup.core.storage}. Packages under {@code io.kbackup.core.internal} are not exported.
 */
package io.kbackup.core;
