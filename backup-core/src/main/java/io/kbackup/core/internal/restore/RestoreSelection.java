package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.ClusterWideMode;
import io.kbackup.InvalidPlanException;
import io.kbackup.RestorePlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which items of a backup a restore applies, with Velero's rules (FORMAT.md section 3):
 * namespace and resource filters, label selector, the never-restored kinds, the cluster-wide mode
 * ({@code includeClusterResources}), PersistentVolume rules and the skip rules (finished pods,
 * completed jobs, mirror pods).
 *
 * <p>It observes every item while the archive is checked ({@link ArchiveIndex.Observer}) and keeps
 * only the few facts the rules need ({@link SelectionFacts}: labels match, skip rule, and the links
 * PVC -> PV, Pod -> PriorityClass, ClusterRoleBinding -> ServiceAccounts/ClusterRole); then
 * {@link #decide} marks each item, with the plan's filters ({@link PlanFilters}). Under
 * {@link ClusterWideMode#AUTO} with a namespace filter, cluster-scoped items come back only when an included item needs them: the PV of an included PVC (or whose claimRef names
 * one), the CRD of included custom resources, ClusterRoleBindings with an included ServiceAccount
 * as subject and the ClusterRoles they reference, the PriorityClass of an included pod, the
 * IngressClass of an included Ingress. Those pulled-in items pass the resource filter but not the
 * label selector (as Velero's additional items); and Velero's additional items come back past the
 * label selector in any mode: the claims a selected pod's volumes name, their PVs, the pod's
 * PriorityClass and an Ingress's IngressClass. Namespaces are not "cluster resources" here (as in Velero): the Namespace of every
 * restored item is restored (from the backup's object when it has one, else a bare one), whatever
 * the mode, selector or resource filter.
 */
final class RestoreSelection implements ArchiveIndex.Observer {

    /** Kinds Velero never restores. */
    static final Set<String> NEVER_RESTORED = Set.of("nodes", "events", "events.events.k8s.io", "backups.velero.io",
            "restores.velero.io", "resticrepositories.velero.io", "csinodes.storage.k8s.io",
            "volumeattachments.storage.k8s.io", "backuprepositories.velero.io");

    static final String ENDPOINT_SLICES = "endpointslices.discovery.k8s.io";
    static final String ENDPOINT_SLICE_MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    static final String ENDPOINT_SLICE_CONTROLLER = "endpointslice-controller.k8s.io";
    static final String API_SERVICES = "apiservices.apiregistration.k8s.io";
    static final String AUTOMANAGED_API_SERVICE = "kube-aggregator.kubernetes.io/automanaged";
    static final String IP_ADDRESSES = "ipaddresses.networking.k8s.io";
    static final String SERVICE_CIDRS = "servicecidrs.networking.k8s.io";

    static final String NAMESPACES = "namespaces";
    static final String PODS = "pods";
    static final String SECRETS = "secrets";
    static final String SA_NAME_ANNOTATION = "kubernetes.io/service-account.name";
    static final String JOBS = "jobs.batch";
    static final String PVS = "persistentvolumes";
    static final String PVCS = "persistentvolumeclaims";
    static final String SERVICE_ACCOUNTS = "serviceaccounts";
    static final String CRDS = "customresourcedefinitions.apiextensions.k8s.io";
    static final String CLUSTER_ROLES = "clusterroles.rbac.authorization.k8s.io";
    static final String CLUSTER_ROLE_BINDINGS = "clusterrolebindings.rbac.authorization.k8s.io";
    static final String PRIORITY_CLASSES = "priorityclasses.scheduling.k8s.io";
    static final String INGRESSES = "ingresses.networking.k8s.io";
    static final String INGRESS_CLASSES = "ingressclasses.networking.k8s.io";

    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

    private final RestorePlan plan;
    private final PlanFilters filters;
    private final SelectionFacts facts;
    private final Set<String> restoredPvs = new HashSet<>();

    RestoreSelection(RestorePlan plan) {
        this.plan = plan;
        this.filters = new PlanFilters(plan);
        this.facts = new SelectionFacts(plan, filters);
    }

    @Override
    public void observe(IndexedItem item, ObjectNode object) {
        facts.observe(item, object);
    }

    /** A rule applied after selection that takes an item out again (snapshots), or null for none. */
    interface LaterExclusion {
        /** Why the selected item is left out after all, or null when it stays. */
        String reason(IndexedItem item);
    }

    /** As {@link #decide(List, LaterExclusion)} with no later exclusion. */
    List<IndexedItem> decide(List<IndexedItem> items) {
        return decide(items, item -> null);
    }

    /**
     * Decides every item ({@link IndexedItem#decision}, with its reason), and returns the Namespace
     * items to add because restored items need a namespace the backup has no object for. The only
     * place that decides.
     *
     * @param later a rule that takes selected items out again (the namespaces they need still come back)
     * @throws InvalidPlanException when a name in the plan matches nothing in the backup
     */
    List<IndexedItem> decide(List<IndexedItem> items, LaterExclusion later) {
        PlanNameCheck.refuseNamesMatchingNothing(plan, items);
        facts.applyLegacyTokenRule();
        boolean partialAuto = plan.clusterWideMode() == ClusterWideMode.AUTO && !plan.coversAllNamespaces();
        int n = items.size();
        boolean[] selected = new boolean[n];
        String[] excludedBecause = new String[n];
        List<Integer> pending = new ArrayList<>();
        // left out by the label selector alone: Velero's restore item actions still add them as additional items
        List<Integer> unlabelled = new ArrayList<>();
        Map<String, Integer> namespaceItems = new HashMap<>();
        for (int at = 0; at < n; at++) {
            IndexedItem item = items.get(at);
            String reason = baseReason(item);
            if (reason == PENDING) {
                if (partialAuto) {
                    pending.add(at);
                    excludedBecause[at] = "cluster-scoped, and clusterWideMode AUTO restores such items only when all namespaces"
                            + " are restored or an included item needs them";
                } else {
                    selected[at] = true;
                }
            } else {
                excludedBecause[at] = reason;
                selected[at] = reason == null;
                if (reason == LABELS_DIFFER) {
                    unlabelled.add(at);
                }
            }
            if (item.groupResource.equals(NAMESPACES)) {
                namespaceItems.put(item.name, at);
            }
        }
        // Velero's additional items of selected pods: their claims (AddPVCFromPodAction), whatever the label selector says
        Set<String> podClaimKeys = new HashSet<>();
        for (int at = 0; at < n; at++) {
            IndexedItem item = items.get(at);
            if (selected[at] && item.skipRule == null && item.groupResource.equals(PODS)) {
                podClaimKeys.addAll(facts.podClaims.getOrDefault(item.key(), List.of()));
            }
        }
        for (int at : unlabelled) {
            IndexedItem item = items.get(at);
            if (item.groupResource.equals(PVCS) && podClaimKeys.contains(item.key())) {
                selected[at] = true;
                excludedBecause[at] = null;
                item.additional = "a claim of a restored pod (Velero's AddPVCFromPodAction)";
            }
        }
        // what the selected namespaced items need
        Set<String> neededNamespaces = new TreeSet<>();
        Set<String> neededPvs = new HashSet<>();
        Set<String> selectedPvcs = new HashSet<>();
        Set<String> neededCrds = new HashSet<>();
        Set<String> selectedSas = new HashSet<>();
        Set<String> neededPriorityClasses = new HashSet<>();
        Set<String> neededIngressClasses = new HashSet<>();
        for (int at = 0; at < n; at++) {
            IndexedItem item = items.get(at);
            if (!selected[at] || item.skipRule != null || item.namespace == null) {
                continue;
            }
            neededNamespaces.add(item.namespace);
            switch (item.groupResource) {
                case PVCS -> {
                    selectedPvcs.add(item.key());
                    String v = facts.pvcVolume.get(item.key());
                    if (v != null) {
                        neededPvs.add(v);
                    }
                }
                case SERVICE_ACCOUNTS -> selectedSas.add(item.key());
                case PODS -> {
                    String pc = facts.podPriorityClass.get(item.key());
                    if (pc != null) {
                        neededPriorityClasses.add(pc);
                    }
                }
                case INGRESSES -> {
                    String ic = facts.ingressClass.get(item.key());
                    if (ic != null) {
                        neededIngressClasses.add(ic);
                    }
                }
                default -> {
                    if (item.groupResource.indexOf('.') > 0) {
                        neededCrds.add(item.groupResource);
                    }
                }
            }
        }
        if (!pending.isEmpty()) {
            Set<String> neededCrbs = new HashSet<>();
            Set<String> neededClusterRoles = new HashSet<>();
            facts.crbs.forEach((name, crb) -> {
                if (crb.serviceAccounts().stream().anyMatch(selectedSas::contains)) {
                    neededCrbs.add(name);
                    if (crb.clusterRole() != null) {
                        neededClusterRoles.add(crb.clusterRole());
                    }
                }
            });
            for (int at : pending) {
                IndexedItem item = items.get(at);
                boolean needed = switch (item.groupResource) {
                    case PVS -> neededPvs.contains(item.name) || selectedPvcs.contains(facts.pvs.get(item.name).claimKey());
                    case CRDS -> neededCrds.contains(item.name);
                    case CLUSTER_ROLE_BINDINGS -> neededCrbs.contains(item.name);
                    case CLUSTER_ROLES -> neededClusterRoles.contains(item.name);
                    case PRIORITY_CLASSES -> neededPriorityClasses.contains(item.name);
                    case INGRESS_CLASSES -> neededIngressClasses.contains(item.name);
                    default -> false;
                };
                if (needed) {
                    selected[at] = true;
                    excludedBecause[at] = null;
                }
            }
        }
        // Velero's additional items the label selector left out: a claim's PV, a pod's PriorityClass, an Ingress's IngressClass
        for (int at : unlabelled) {
            IndexedItem item = items.get(at);
            String why = switch (item.groupResource) {
                case PVS -> neededPvs.contains(item.name) || selectedPvcs.contains(facts.pvs.get(item.name).claimKey())
                        ? "the volume of a restored claim (Velero's PVC action)" : null;
                case PRIORITY_CLASSES -> neededPriorityClasses.contains(item.name) ? "the PriorityClass of a restored pod (Velero's pod action)"
                        : null;
                case INGRESS_CLASSES -> neededIngressClasses.contains(item.name)
                        ? "the IngressClass of a restored Ingress (Velero's AddIngressClassFromIngAction)" : null;
                default -> null;
            };
            if (why != null && !selected[at]) {
                selected[at] = true;
                excludedBecause[at] = null;
                item.additional = why;
            }
        }
        for (int at = 0; at < n; at++) {
            if (selected[at] && items.get(at).groupResource.equals(PVS)) {
                restoredPvs.add(items.get(at).name);
            }
        }
        // every restored namespaced item's namespace comes back: the backup's object, or a bare one
        List<IndexedItem> synthetic = new ArrayList<>();
        for (String ns : neededNamespaces) {
            Integer at = namespaceItems.get(ns);
            if (at != null) {
                if (!selected[at]) {
                    selected[at] = true;
                    excludedBecause[at] = null;
                }
            } else {
                IndexedItem bare = new IndexedItem(NAMESPACES, null, ns, "v1", "Namespace", -1, 0);
                bare.synthetic = true;
                bare.decision = RestoreDecision.APPLY;
                synthetic.add(bare);
            }
        }
        for (int at = 0; at < n; at++) {
            IndexedItem item = items.get(at);
            String laterReason = selected[at] ? later.reason(item) : null;
            if (!selected[at] || laterReason != null) {
                String why = item.skipRule != null ? item.skipRule : (selected[at] ? laterReason : excludedBecause[at]);
                item.decision = RestoreDecision.excluded(why);
            } else if (item.skipRule != null) {
                item.decision = RestoreDecision.skipRule(item.skipRule);
            } else {
                item.decision = RestoreDecision.APPLY;
            }
        }
        return synthetic;
    }

    /** Whether the PV with this name (in the backup) is restored, so its claim keeps its volumeName. */
    boolean pvRestored(String pvName) {
        return restoredPvs.contains(pvName);
    }

    /**
     * Marks a cluster-scoped item that AUTO mode restores only when a selected item needs it. A
     * distinct instance, compared by identity, so that no reason text can be mistaken for it.
     */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String PENDING = new String("pending");

    /** Why an item the label selector alone leaves out is excluded; compared by identity (see {@link #PENDING}). */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String LABELS_DIFFER = new String("labels do not match the label selector");

    /** Null when selected, {@link #PENDING} when a cluster-scoped item depends on what else is selected, else why not. */
    private String baseReason(IndexedItem item) {
        if (NEVER_RESTORED.contains(item.groupResource)) {
            return "never restored (" + item.groupResource + " is on Velero's list of resources it does not restore)";
        }
        if (!filters.resourceIncluded(item)) {
            return "excluded by the resource filter (includedResources/excludedResources)";
        }
        if (item.namespace != null) {
            if (!filters.namespaceIncluded(item.namespace)) {
                return "namespace '" + item.namespace + "' is not selected (includedNamespaces/excludedNamespaces)";
            }
            return item.labelsMatch ? null : LABELS_DIFFER;
        }
        if (item.groupResource.equals(NAMESPACES)) {
            if (!filters.namespaceIncluded(item.name)) {
                return "namespace '" + item.name + "' is not selected (includedNamespaces/excludedNamespaces)";
            }
            return item.labelsMatch ? null : LABELS_DIFFER;
        }
        if (item.groupResource.equals(PVS)) {
            if (!plan.restorePersistentVolumes()) {
                return "PersistentVolumes are not restored (restorePersistentVolumes is false); claims get new volumes";
            }
            SelectionFacts.PvFacts pv = facts.pvs.get(item.name);
            if (pv == null || !pv.retain()) {
                return "its reclaim policy is not Retain and no snapshot of its data comes with the backup;"
                        + " its claim is restored to get a new volume";
            }
        }
        switch (plan.clusterWideMode()) {
            case NEVER:
                return "cluster-scoped, and clusterWideMode is NEVER";
            case ALWAYS:
                return item.labelsMatch ? null : LABELS_DIFFER;
            default:
                if (plan.coversAllNamespaces()) {
                    return item.labelsMatch ? null : LABELS_DIFFER;
                }
                return PENDING;
        }
    }
}
