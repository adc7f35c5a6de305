package io.kbackup;

/**
 * Whether a restore also deletes what the backup does not have, making its selection equal to the
 * backup: a <em>reset</em>. Set with {@link RestorePlan.Builder#prune(PrunePolicy)};
 * {@link RestorePlan.Builder#reset()} sets it together with {@link ExistingResourcePolicy#UPDATE}.
 *
 * <h2>What a reset does</h2>
 * It lists the live objects of the plan's selection (one paged list per resource type and target
 * namespace) and compares them with the backup, then acts on the differences only, so that it
 * costs what changed since the backup, not the size of the namespaces:
 * <ul>
 *   <li>an object the backup has and the cluster has with the same {@code uid} and
 *       {@code resourceVersion} is unchanged: no request at all;</li>
 *   <li>one the cluster lacks is created (as a restore creates it);</li>
 *   <li>one that differs is compared with the backed-up object (server-set metadata and
 *       {@code status} aside) and, when it differs, patched back to it (with
 *       {@link ExistingResourcePolicy#UPDATE}; with {@code NONE} it is left, with a warning);</li>
 *   <li>one the backup does not have is deleted (background propagation), unless it is never
 *       pruned (below).</li>
 * </ul>
 * A reset sets no {@code velero.io/backup-name} / {@code velero.io/restore-name} labels: the objects
 * it creates or reverts equal the backed-up ones.
 *
 * <h2>What is pruned</h2>
 * Objects of the plan's selection that are not in the backup: namespaced objects in the plan's
 * namespaces (mapped by its namespace mapping; in every namespace but the excluded ones when the
 * plan names none), of the resource types its resource filters select, with the labels of its label
 * selector. Cluster-scoped objects only with {@link ClusterWideMode#ALWAYS} and a label selector
 * (the plan is refused otherwise: a cluster has many cluster-scoped objects of its own).
 *
 * <h2>What a reset never touches</h2>
 * Neither deleted, nor created, nor reverted, whether the backup has them or not:
 * <ul>
 *   <li>objects owned by a controller (an {@code ownerReference} with {@code controller: true}, e.g.
 *       a Deployment's ReplicaSets and their Pods, a Service's EndpointSlices): their controller makes
 *       them follow their reverted owner;</li>
 *   <li>Events ({@code events}, {@code events.events.k8s.io}) and Leases
 *       ({@code leases.coordination.k8s.io});</li>
 *   <li>Endpoints and EndpointSlices ({@code endpoints}, {@code endpointslices.discovery.k8s.io}):
 *       the endpoints controllers keep them for their Services;</li>
 *   <li>the {@code default} ServiceAccount and the {@code kube-root-ca.crt} ConfigMap of each
 *       namespace, and service-account token Secrets ({@code kubernetes.io/service-account-token}):
 *       the API server's controllers make them;</li>
 *   <li>mirror pods (annotation {@code kubernetes.io/config.mirror}), objects already being deleted
 *       ({@code deletionTimestamp} set), and the kinds a restore never restores (nodes, Velero's own
 *       resources, CSINodes, VolumeAttachments);</li>
 *   <li>Namespaces: a reset recreates or reverts a selected namespace's object, never deletes one.</li>
 * </ul>
 * {@link BackupClient#preview} of a pruning plan lists each object it would delete
 * ({@link RestorePreview.Action#DELETE}) with the reason, and those it leaves because they are never
 * touched. Only the DirectEngine prunes; the VeleroEngine refuses a pruning plan (Velero has no prune).
 */
public enum PrunePolicy {
    /** Delete nothing: a restore only creates (and, with {@link ExistingResourcePolicy#UPDATE}, updates). The default. */
    NONE,
    /** Reset: delete the selection's objects the backup does not have, as described above. */
    PRUNE
}
