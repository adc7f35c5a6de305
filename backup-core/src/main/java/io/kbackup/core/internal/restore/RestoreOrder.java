package io.kbackup.core.internal.restore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Velero's restore order ({@code pkg/cmd/server/server.go} defaultRestorePriorities): a fixed list
 * of high-priority resources first, then every other resource alphabetically by group-resource,
 * then a few cluster-API/carvel kinds last. Each group-resource is a tier: tiers run one after the
 * other, items within a tier may run in parallel.
 */
final class RestoreOrder {

    /** Velero's high priorities, as group-resources. */
    static final List<String> HIGH = List.of(
            "customresourcedefinitions.apiextensions.k8s.io",
            "namespaces",
            "storageclasses.storage.k8s.io",
            "volumesnapshotclasses.snapshot.storage.k8s.io",
            "volumesnapshotcontents.snapshot.storage.k8s.io",
            "volumesnapshots.snapshot.storage.k8s.io",
            "datauploads.velero.io",
            "persistentvolumes",
            "persistentvolumeclaims",
            "clusterroles.rbac.authorization.k8s.io",
            "roles.rbac.authorization.k8s.io",
            "serviceaccounts",
            "clusterrolebindings.rbac.authorization.k8s.io",
            "rolebindings.rbac.authorization.k8s.io",
            "secrets",
            "configmaps",
            "limitranges",
            "priorityclasses.scheduling.k8s.io",
            "pods",
            "replicasets.apps",
            "clusterclasses.cluster.x-k8s.io",
            "endpoints",
            "services");

    /** Velero's low priorities: restored after everything else, in this order. */
    static final List<String> LOW = List.of(
            "clusterbootstraps.run.tanzu.vmware.com",
            "clusters.cluster.x-k8s.io",
            "clusterresourcesets.addons.cluster.x-k8s.io");

    /** One group-resource's items, in a stable order (namespace, then name). */
    record Tier(String groupResource, List<IndexedItem> items) {}

    private RestoreOrder() {}

    /** Sort key: high priorities by position, then the rest alphabetically, then the low ones. */
    static Comparator<String> groupResourceOrder() {
        return Comparator.<String>comparingInt(RestoreOrder::band).thenComparingInt(RestoreOrder::position)
                .thenComparing(Comparator.naturalOrder());
    }

    private static int band(String gr) {
        if (HIGH.contains(gr)) {
            return 0;
        }
        return LOW.contains(gr) ? 2 : 1;
    }

    private static int position(String gr) {
        int h = HIGH.indexOf(gr);
        if (h >= 0) {
            return h;
        }
        int l = LOW.indexOf(gr);
        return Math.max(l, 0);
    }

    /** The tiers of the given items, in restore order. */
    static List<Tier> tiers(Iterable<IndexedItem> items) {
        Map<String, List<IndexedItem>> byGr = new TreeMap<>(groupResourceOrder());
        for (IndexedItem item : items) {
            byGr.computeIfAbsent(item.groupResource, k -> new ArrayList<>()).add(item);
        }
        List<Tier> tiers = new ArrayList<>();
        Comparator<IndexedItem> within = Comparator.comparing((IndexedItem i) -> i.namespace == null ? "" : i.namespace)
                .thenComparing(i -> i.name);
        byGr.forEach((gr, list) -> {
            list.sort(within);
            tiers.add(new Tier(gr, List.copyOf(list)));
        });
        return tiers;
    }
}
