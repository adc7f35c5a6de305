package io.kbackup.core.internal.restore;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.CorruptBackupException;
import io.kbackup.core.internal.kube.KubeRetry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a verified archive's items against the target cluster's discovery before anything is
 * applied: where the cluster serves an item's resource in its API version, the item's kind must be
 * that resource's kind, and its path's scope (namespaced or cluster) the resource's scope, as
 * Velero writes them. A {@code configmaps} folder holding a ClusterRoleBinding, or a namespaced
 * object at a cluster-scoped path, refuses the whole restore ({@link CorruptBackupException}).
 * Resources the cluster does not serve (yet: CRDs of the same restore) are left to the apply, which
 * fails them. One discovery call per API version of the archive.
 */
final class ScopeCheck {
    private ScopeCheck() {}

    static void check(KubernetesClient client, KubeRetry retry, String backupName, List<IndexedItem> items) {
        Map<String, Map<String, APIResource>> served = new HashMap<>();
        Set<String> checked = new HashSet<>();
        for (IndexedItem item : items) {
            if (!checked.add(item.groupResource + " " + item.apiVersion + " " + item.kind + " " + (item.namespace != null))) {
                continue;
            }
            APIResource resource = served.computeIfAbsent(item.apiVersion, v -> discover(client, retry, v)).get(item.plural());
            if (resource == null) {
                continue;
            }
            if (!item.kind.equals(resource.getKind())) {
                throw refused(backupName, item, "is a " + item.kind + ", but " + item.plural() + " in " + item.apiVersion + " are "
                        + resource.getKind() + " objects");
            }
            boolean namespaced = Boolean.TRUE.equals(resource.getNamespaced());
            if (namespaced != (item.namespace != null)) {
                throw refused(backupName, item, namespaced ? "is at a cluster-scoped path, but " + resource.getKind() + " is namespaced"
                        : "is at a namespaced path, but " + resource.getKind() + " is cluster-scoped");
            }
        }
    }

    private static CorruptBackupException refused(String backupName, IndexedItem item, String what) {
        return new CorruptBackupException(backupName, "Backup '" + backupName + "' failed its checks: item " + item.describe() + " "
                + what + " (Velero writes each object under its own resource and scope). Nothing was restored.");
    }

    /** The resources the cluster serves in an API version by plural; empty when it serves none or cannot say. */
    private static Map<String, APIResource> discover(KubernetesClient client, KubeRetry retry, String apiVersion) {
        Map<String, APIResource> out = new HashMap<>();
        try {
            APIResourceList list = retry.call("discover " + apiVersion, () -> client.getApiResources(apiVersion));
            if (list != null && list.getResources() != null) {
                for (APIResource r : list.getResources()) {
                    if (r.getName() != null && !r.getName().contains("/")) {
                        out.put(r.getName(), r);
                    }
                }
            }
        } catch (KubernetesClientException e) {
            // not served, or discovery refused: the apply says what fails
        }
        return out;
    }
}
