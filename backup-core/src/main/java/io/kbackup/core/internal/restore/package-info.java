/**
 * The DirectEngine restore: any backup in Velero's layout (ours or one Velero wrote) into the
 * engine's cluster, checked before anything is applied, in Velero's order, with Velero's filters
 * and transforms.
 *
 * <ul>
 *   <li>{@link io.kbackup.core.internal.restore.RestoreSource} - the backup, opened and checked
 *       (exists, restorable phase, manifest).</li>
 *   <li>{@link io.kbackup.core.internal.restore.ArchiveIndex} - the check pass: one streaming read
 *       of the tarball by {@code internal.layout.ArchiveReader} (SHA-256 and size against
 *       {@code kbackup-manifest.json} when present; safe entry names, regular files only, size
 *       limits, strict JSON). Verified items go to a spool
 *       file on local disk; memory keeps a compact index (about 130 bytes an item, measured), so
 *       100k items cost about 13 MB. The apply pass reads the spool, never the bucket again, so
 *       what is applied is exactly what was checked.</li>
 *   <li>{@link io.kbackup.core.internal.restore.RestoreSelection} - namespace and resource filters,
 *       label selector, never-restored kinds, ClusterWideMode ({@code includeClusterResources}),
 *       PersistentVolume rules, skip rules: one {@link io.kbackup.core.internal.restore.RestoreDecision}
 *       per item, with its reason.</li>
 *   <li>{@link io.kbackup.core.internal.restore.RestorePipeline} - archive, decisions and transforms,
 *       built once for a restore or a preview.</li>
 *   <li>{@link io.kbackup.core.internal.restore.RestoreOrder} - Velero's restore priorities; one tier
 *       per group-resource, items within a tier in parallel.</li>
 *   <li>{@link io.kbackup.core.internal.restore.ItemTransforms} - metadata/status reset and the
 *       kind-specific changes of Velero's restore item actions (Service, Pod, Job, PVC, PV, Secret,
 *       ServiceAccount, bindings, CRD, webhooks), namespace mapping.</li>
 *   <li>{@link io.kbackup.core.internal.restore.ExistingObject} - Velero's comparison of an existing
 *       object (reset, then equality) and its merge patch to the backup's version.</li>
 *   <li>{@link io.kbackup.core.internal.restore.ClusterApplier} - create, and for existing objects
 *       leave (equal, or NONE with a warning when different), merge-patch to the backup's version
 *       (UPDATE), or merge a ServiceAccount; CRD readiness: condition
 *       Established, or, on servers that set no CRD conditions at all, served in discovery.</li>
 *   <li>{@link io.kbackup.core.internal.restore.RestoreReport} - {@code restores/<name>/} log,
 *       results and resource list in Velero's shapes.</li>
 *   <li>{@link io.kbackup.core.internal.restore.TierApplier} - applies the selected items tier by tier;
 *       {@link io.kbackup.core.internal.restore.RestorePreviewer} - what a restore would do.</li>
 *   <li>{@link io.kbackup.core.internal.restore.RestoreRunner} - the whole run, the handle, the preview.</li>
 * </ul>
 */
package io.kbackup.core.internal.restore;
