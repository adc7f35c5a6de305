package io.kbackup.core.internal.backup;

import io.kbackup.BackupPlan;
import io.kbackup.ClusterWideMode;
import io.kbackup.core.internal.kube.ApiResource;
import io.kbackup.core.internal.layout.VeleroKeys;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a plan selects, with Velero's semantics: namespace include/exclude, resource
 * include/exclude (excludes win; names as plural, plural.group, kind or short name), label
 * selector (matchLabels), and the cluster-scoped rule of {@link ClusterWideMode}. Immutable.
 */
final class Selection {
    static final Set<String> SNAPSHOT_RESOURCES = Set.of(
            "volumesnapshots.snapshot.storage.k8s.io", "volumesnapshotcontents.snapshot.storage.k8s.io");

    private final BackupPlan plan;
    private final boolean allNamespaces;

    Selection(BackupPlan plan) {
        this.plan = plan;
        this.allNamespaces = plan.includedNamespaces().isEmpty() || plan.includedNamespaces().contains("*");
    }

    /** Whether objects of namespace {@code ns} (and the Namespace object itself) are in. */
    boolean includesNamespace(String ns) {
        return (allNamespaces || plan.includedNamespaces().contains(ns)) && !plan.excludedNamespaces().contains(ns);
    }

    /** The namespaces to list one by one, or null when listing across all namespaces is better. */
    List<String> namespacesToList() {
        if (allNamespaces || plan.includedNamespaces().size() > 16) {
            return null;
        }
        return plan.includedNamespaces().stream().filter(this::includesNamespace).sorted().toList();
    }

    /** The resource filters: excluded wins; empty includes (or {@code *}) mean all. */
    boolean includesResource(ApiResource r) {
        for (String ex : plan.excludedResources()) {
            if (r.matches(ex)) {
                return false;
            }
        }
        if (plan.includedResources().isEmpty()) {
            return true;
        }
        for (String in : plan.includedResources()) {
            if (r.matches(in)) {
                return true;
            }
        }
        return false;
    }

    /** The Namespace objects of included namespaces are always in, unless namespaces are explicitly excluded. */
    boolean includesNamespaceObjects(ApiResource namespaces) {
        for (String ex : plan.excludedResources()) {
            if (!ex.equals("*") && namespaces.matches(ex)) {
                return false;
            }
        }
        return true;
    }

    /** Whether any cluster-scoped object (namespaces aside) may be in: not {@link ClusterWideMode#NEVER}. */
    boolean clusterScopedAllowed() {
        return plan.clusterWideMode() != ClusterWideMode.NEVER;
    }

    /** Whether every cluster-scoped object is in (ALWAYS, or AUTO covering all namespaces), else only related ones. */
    boolean allClusterScoped() {
        return plan.clusterWideMode() == ClusterWideMode.ALWAYS
                || (plan.clusterWideMode() == ClusterWideMode.AUTO && plan.coversAllNamespaces());
    }

    /** The label selector as a query string, or null. */
    String labelSelector() {
        if (plan.labelSelector().isEmpty()) {
            return null;
        }
        return plan.labelSelector().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** Whether an object's labels satisfy the selector. */
    boolean matchesLabels(Map<String, String> labels) {
        for (Map.Entry<String, String> e : plan.labelSelector().entrySet()) {
            if (labels == null || !e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static boolean excludedByLabel(Map<String, String> labels) {
        return labels != null && "true".equals(labels.get(VeleroKeys.EXCLUDE_FROM_BACKUP));
    }
}
