package io.kbackup.core.internal.snapshot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.ClusterRefusedException;
import io.kbackup.InvalidPlanException;
import io.kbackup.core.internal.EngineContext;
import io.kbackup.core.internal.kube.ApiResource;
import io.kbackup.core.internal.kube.KubeRetry;
import io.kbackup.core.internal.kube.NodeMaintenance;
import io.kbackup.core.internal.kube.PagedLister;
import io.kbackup.core.internal.layout.VolumeInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pre-flight of a backup that includes all disks, before anything is created: the
 * {@code snapshot.storage.k8s.io/v1} resources must be served; every included claim is looked at
 * (bound? CSI volume? used by a pod on a node in maintenance mode?) and gets its
 * VolumeSnapshotClass ({@link SnapshotClassSelector}); a driver without a class refuses the backup
 * or skips its volumes ({@code DirectOptions.snapshotMissingClassPolicy}); a class whose
 * deletionPolicy is not {@code Retain} is a warning, or refuses the backup
 * ({@code DirectOptions.strictSnapshotDeletionPolicy}). The result is the {@link CsiSnapshotBackup}
 * that takes the snapshots.
 */
public final class SnapshotPreflight {
    private static final ApiResource PVCS = new ApiResource("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim",
            "persistentvolumeclaim", true, Set.of("list"), List.of("pvc"));
    private static final ApiResource PVS = new ApiResource("", "v1", "persistentvolumes", "PersistentVolume",
            "persistentvolume", false, Set.of("list"), List.of("pv"));
    private static final ApiResource PODS = new ApiResource("", "v1", "pods", "Pod", "pod", true, Set.of("list"), List.of("po"));

    private SnapshotPreflight() {}

    /**
     * Checks the cluster and decides what to snapshot; creates nothing.
     *
     * @throws InvalidPlanException when the snapshot API is not served, a driver has no class (policy
     *                              FAIL) or a class does not retain its snapshots (strict mode)
     * @throws ClusterRefusedException when the cluster cannot be read
     */
    public static CsiSnapshotBackup check(EngineContext context, String backupName, CsiSnapshotBackup.ClaimScope scope) {
        try {
            return decide(context, backupName, scope);
        } catch (KubernetesClientException e) {
            throw KubeRetry.refused("Include all disks: could not read the cluster's volumes and snapshot classes for the"
                    + " snapshot pre-flight (nothing was created)", e);
        }
    }

    private static CsiSnapshotBackup decide(EngineContext context, String backupName, CsiSnapshotBackup.ClaimScope scope) {
        KubernetesClient client = context.client();
        Set<String> missing = SnapshotApi.missingResources(client);
        if (!missing.isEmpty()) {
            throw new InvalidPlanException("BackupPlan: include all disks needs CSI volume snapshots, but the cluster does not serve "
                    + SnapshotApi.API_VERSION + " " + String.join(", ", missing) + ". Install the external-snapshotter CRDs and"
                    + " snapshot controller (and a VolumeSnapshotClass per CSI driver), or set includeAllDisks(false).");
        }
        KubeRetry retry = context.retry();
        PagedLister lister = new PagedLister(client, retry, context.backup().pageSize());
        List<GenericKubernetesResource> claims = new ArrayList<>();
        List<String> namespaces = scope.namespaces();
        for (String ns : namespaces == null ? java.util.Collections.<String>singletonList(null) : namespaces) {
            list(lister, PVCS, ns, page -> page.stream().filter(scope::includes).forEach(claims::add));
        }
        List<ObjectNode> skipped = new ArrayList<>();
        List<String[]> warnings = new ArrayList<>();
        List<CsiSnapshotBackup.Volume> volumes = new ArrayList<>();
        if (claims.isEmpty()) {
            return new CsiSnapshotBackup(context, backupName, volumes, skipped, warnings);
        }
        Map<String, GenericKubernetesResource> pvs = new HashMap<>();
        Set<String> wantedPvs = new java.util.HashSet<>();
        claims.forEach(c -> {
            String v = SnapshotApi.text(c.get("spec", "volumeName"));
            if (v != null) {
                wantedPvs.add(v);
            }
        });
        list(lister, PVS, null, page -> page.stream().filter(p -> wantedPvs.contains(p.getMetadata().getName()))
                .forEach(p -> pvs.put(p.getMetadata().getName(), p)));
        Map<String, String> maintenance = maintenanceUsers(client, context.backup().maintenanceLabel(), retry, lister, claims);
        List<GenericKubernetesResource> classes = retry.call("list volumesnapshotclasses",
                () -> SnapshotApi.classes(client).list().getItems());
        SnapshotClassSelector selector = new SnapshotClassSelector(classes);
        List<String> refusals = new ArrayList<>();
        for (GenericKubernetesResource claim : claims) {
            ObjectMeta m = claim.getMetadata();
            String ns = m.getNamespace();
            String where = ns + "/" + m.getName();
            String pvName = SnapshotApi.text(claim.get("spec", "volumeName"));
            GenericKubernetesResource pv = pvName == null ? null : pvs.get(pvName);
            String reason = null;
            String driver = null;
            SnapshotClassSelector.Choice choice = null;
            if (pvName == null || !"Bound".equals(claim.get("status", "phase"))) {
                reason = "the claim is not bound to a volume (phase " + claim.get("status", "phase") + ")";
            } else if (pv == null) {
                reason = "its PersistentVolume " + pvName + " does not exist";
            } else if ((driver = SnapshotApi.text(pv.get("spec", "csi", "driver"))) == null) {
                reason = "its PersistentVolume " + pvName + " is not a CSI volume (no spec.csi.driver), so it cannot be snapshotted";
            } else if (maintenance.containsKey(where)) {
                reason = maintenance.get(where);
            } else {
                try {
                    choice = selector.choose(m.getAnnotations(), driver);
                } catch (SnapshotClassSelector.NoClass e) {
                    if (!context.snapshots().skipVolumesWithoutClass()) {
                        refusals.add("volume " + where + " (driver " + driver + "): " + e.getMessage());
                        continue;
                    }
                    reason = "no VolumeSnapshotClass: " + e.getMessage();
                }
            }
            if (reason != null) {
                String msg = "Volume " + where + " (PV " + (pvName == null ? "none" : pvName) + ") is skipped, its data is NOT backed up: "
                        + reason + ".";
                warnings.add(new String[] {ns, msg});
                skipped.add(VolumeInfo.skipped(CsiSnapshotBackup.claimInfo(ns, m.getName(), pvName, pv), reason));
                continue;
            }
            if (!"Retain".equals(choice.deletionPolicy())) {
                String msg = "VolumeSnapshotClass " + choice.name() + " (for volume " + where + ") has deletionPolicy '"
                        + choice.deletionPolicy() + "', not Retain: deleting its VolumeSnapshot objects (by anyone) deletes the"
                        + " snapshot data. Use a class with deletionPolicy Retain.";
                if (context.snapshots().strictDeletionPolicy()) {
                    refusals.add(msg);
                    continue;
                }
                warnings.add(new String[] {ns, "WARNING: " + msg});
            }
            volumes.add(new CsiSnapshotBackup.Volume(ns, m.getName(), pvName, driver, choice, pv));
        }
        if (!refusals.isEmpty()) {
            throw new InvalidPlanException("BackupPlan: include all disks cannot snapshot every volume; nothing was created. "
                    + String.join("; ", refusals) + ". Add the VolumeSnapshotClasses (deletionPolicy Retain), or set DirectOptions"
                    + " snapshotMissingClassPolicy(SKIP) / strictSnapshotDeletionPolicy(false) to go on with warnings.");
        }
        return new CsiSnapshotBackup(context, backupName, volumes, skipped, warnings);
    }

    /** Claim ({@code ns/name}) -> why it is skipped, for claims used by a pod on a node in maintenance mode. */
    private static Map<String, String> maintenanceUsers(KubernetesClient client, String maintenanceLabel, KubeRetry retry,
            PagedLister lister, List<GenericKubernetesResource> claims) {
        Set<String> namespaces = new java.util.TreeSet<>();
        Set<String> claimKeys = new java.util.HashSet<>();
        for (GenericKubernetesResource c : claims) {
            namespaces.add(c.getMetadata().getNamespace());
            claimKeys.add(c.getMetadata().getNamespace() + "/" + c.getMetadata().getName());
        }
        Map<String, String> nodeState = new HashMap<>();
        Map<String, String> out = new HashMap<>();
        for (String ns : namespaces) {
            list(lister, PODS, ns, page -> {
                for (GenericKubernetesResource pod : page) {
                    String node = SnapshotApi.text(pod.get("spec", "nodeName"));
                    if (node == null || !(pod.get("spec", "volumes") instanceof List<?> vols)) {
                        continue;
                    }
                    for (Object vol : vols) {
                        if (!(vol instanceof Map<?, ?> m) || !(m.get("persistentVolumeClaim") instanceof Map<?, ?> pvc)) {
                            continue;
                        }
                        String key = ns + "/" + pvc.get("claimName");
                        if (!claimKeys.contains(key) || out.containsKey(key)) {
                            continue;
                        }
                        String state = nodeState.computeIfAbsent(node, n -> maintenance(client, maintenanceLabel, retry, n));
                        if (!state.isEmpty()) {
                            out.put(key, "it is used by pod " + pod.getMetadata().getName() + " on node " + node
                                    + ", which is in maintenance mode (" + state + ")");
                        }
                    }
                }
            });
        }
        return out;
    }

    /** Why a node is in maintenance mode, or "" when it is not (or does not exist). */
    private static String maintenance(KubernetesClient client, String maintenanceLabel, KubeRetry retry, String nodeName) {
        var node = retry.call("get node " + nodeName, () -> client.nodes().withName(nodeName).get());
        if (node == null) {
            return "";
        }
        String why = NodeMaintenance.reason(node.getSpec() == null ? null : node.getSpec().getUnschedulable(),
                node.getMetadata().getLabels(), maintenanceLabel);
        return why == null ? "" : why;
    }

    private interface Page {
        void accept(List<GenericKubernetesResource> items);
    }

    private static void list(PagedLister lister, ApiResource r, String ns, Page page) {
        try {
            lister.list(r, ns, null, page::accept);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not list " + r.groupResource() + ": " + e, e);
        }
    }
}
