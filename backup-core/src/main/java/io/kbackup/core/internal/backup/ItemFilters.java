package io.kbackup.core.internal.backup;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.BackupPlan;
import io.kbackup.core.internal.kube.ApiResource;
import io.kbackup.core.internal.kube.KubeRetry;
import io.kbackup.core.internal.kube.NodeMaintenance;
import io.kbackup.core.internal.layout.VeleroKeys;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which listed objects a backup keeps, beyond the list calls' own namespace and label filters:
 * never an object labelled {@code velero.io/exclude-from-backup=true}, nor anything in a Namespace so
 * labelled, nor an object being deleted; cluster-scoped objects when all are wanted (and their
 * labels match) or an included object pulls them in ({@link RelatedItems}); never a node in
 * maintenance mode (a warning). Thread-safe.
 */
final class ItemFilters {
    private final KubernetesClient client;
    private final KubeRetry retry;
    private final BackupPlan plan;
    private final Selection selection;
    private final RelatedItems related;
    private final BackupReport report;
    private final String maintenanceLabel;
    /** Included namespaces labelled {@code velero.io/exclude-from-backup=true}: nothing in them is backed up. */
    private final Set<String> namespacesExcludedByLabel = ConcurrentHashMap.newKeySet();

    ItemFilters(KubernetesClient client, KubeRetry retry, BackupPlan plan, Selection selection, RelatedItems related,
            BackupReport report, String maintenanceLabel) {
        this.client = client;
        this.retry = retry;
        this.plan = plan;
        this.selection = selection;
        this.related = related;
        this.report = report;
        this.maintenanceLabel = maintenanceLabel;
    }

    /**
     * An included namespace the cluster does not have, or an included resource no served type
     * matches, is said in the results as a warning naming it: a selection that matches nothing is
     * never a silent, clean "Completed".
     */
    void warnAboutSelectionsMatchingNothing(List<ApiResource> resources) {
        for (String ns : new TreeSet<>(plan.includedNamespaces())) {
            if (ns.equals("*") || plan.excludedNamespaces().contains(ns)) {
                continue;
            }
            boolean exists;
            try {
                exists = retry.call("get namespace " + ns, () -> client.namespaces().withName(ns).get()) != null;
            } catch (KubernetesClientException e) {
                continue; // cannot tell; listing it will say what went wrong
            }
            if (!exists) {
                report.warning(ns, "includedNamespaces names '" + ns + "', which does not exist in the cluster: nothing was backed up from it.");
            }
        }
        for (String pattern : plan.includedResources()) {
            if (!pattern.equals("*") && resources.stream().noneMatch(r -> r.matches(pattern))) {
                report.warning(null, "includedResources names '" + pattern
                        + "', which matches no resource the cluster serves: nothing was backed up for it.");
            }
        }
    }

    /**
     * As Velero: a Namespace labelled {@code velero.io/exclude-from-backup=true} excludes
     * everything in it, not only the Namespace object.
     */
    void findNamespacesExcludedByLabel() {
        List<io.fabric8.kubernetes.api.model.Namespace> labelled;
        try {
            labelled = retry.call("list namespaces labelled " + VeleroKeys.EXCLUDE_FROM_BACKUP,
                    () -> client.namespaces().withLabel(VeleroKeys.EXCLUDE_FROM_BACKUP, "true").list().getItems());
        } catch (KubernetesClientException e) {
            report.error(null, "Could not list the namespaces labelled " + VeleroKeys.EXCLUDE_FROM_BACKUP + "=true: " + KubeRetry.describe(e));
            return;
        }
        for (var n : labelled) {
            String ns = n.getMetadata().getName();
            if (selection.includesNamespace(ns)) {
                namespacesExcludedByLabel.add(ns);
                report.info("Namespace " + ns + " is labelled " + VeleroKeys.EXCLUDE_FROM_BACKUP + "=true: nothing in it is backed up.");
            }
        }
    }

    /** Labelled to be left out, or being deleted. */
    boolean skippedAlways(GenericKubernetesResource item) {
        ObjectMeta m = item.getMetadata();
        return Selection.excludedByLabel(m.getLabels()) || m.getDeletionTimestamp() != null;
    }

    boolean acceptNamespace(GenericKubernetesResource item) {
        return selection.includesNamespace(item.getMetadata().getName()) && !skippedAlways(item);
    }

    boolean acceptNamespaced(GenericKubernetesResource item) {
        String ns = item.getMetadata().getNamespace();
        return ns != null && selection.includesNamespace(ns) && !namespacesExcludedByLabel.contains(ns) && !skippedAlways(item);
    }

    /**
     * A cluster-scoped object: all of them wanted ({@code all}) and its labels match, or an included
     * object pulls it in. An accepted ClusterRoleBinding pulls in its ClusterRole.
     */
    boolean acceptClusterScoped(ApiResource r, GenericKubernetesResource item, boolean all) {
        if (skippedAlways(item)) {
            return false;
        }
        ObjectMeta m = item.getMetadata();
        boolean crb = r.groupResource().equals(RelatedItems.CRB);
        boolean in = (all && selection.matchesLabels(m.getLabels())) || related.namesOf(r).contains(m.getName())
                || (crb && related.bindsIncludedServiceAccount(item));
        if (!in) {
            return false;
        }
        if (r.group().isEmpty() && r.plural().equals("nodes")) {
            String why = NodeMaintenance.reason(item.get("spec", "unschedulable"), m.getLabels(), maintenanceLabel);
            if (why != null) {
                report.warning(null, "Node " + m.getName() + " skipped: it is in maintenance mode (" + why + ").");
                return false;
            }
        }
        if (crb) {
            related.noteRoleOf(item);
        }
        return true;
    }
}
