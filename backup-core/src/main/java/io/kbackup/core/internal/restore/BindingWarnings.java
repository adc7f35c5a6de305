package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.RestorePlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Says, before anything is applied, which restored bindings grant access beyond the restored
 * namespaces: a RoleBinding or ClusterRoleBinding whose subjects include {@code system:anonymous}
 * or {@code system:unauthenticated} (anyone who reaches the API server) is restored only with a
 * warning naming it and its role; a ClusterRoleBinding that a namespace-only restore brings along
 * because one of its subjects is a restored ServiceAccount is named too (a warning when it grants
 * {@code cluster-admin} or to anonymous users, else an info line), since it grants its role in
 * the whole cluster.
 */
final class BindingWarnings {
    static final String ROLE_BINDINGS = "rolebindings.rbac.authorization.k8s.io";
    private static final List<String> ANYONE = List.of("system:anonymous", "system:unauthenticated");

    private BindingWarnings() {}

    static void report(RestorePlan plan, RestorePipeline pipeline, RestoreReport report) {
        for (IndexedItem item : pipeline.selected()) {
            boolean crb = item.groupResource.equals(RestoreSelection.CLUSTER_ROLE_BINDINGS);
            if (item.synthetic || !(crb || item.groupResource.equals(ROLE_BINDINGS))) {
                continue;
            }
            ObjectNode binding = pipeline.index.read(item);
            JsonNode roleRef = binding.path("roleRef");
            String role = roleRef.path("kind").asText("role") + " " + roleRef.path("name").asText("?");
            List<String> anyone = new ArrayList<>();
            List<String> serviceAccounts = new ArrayList<>();
            for (JsonNode s : binding.path("subjects")) {
                String name = s.path("name").asText("");
                if (ANYONE.contains(name)) {
                    anyone.add(s.path("kind").asText("") + " " + name);
                } else if ("ServiceAccount".equals(s.path("kind").asText())) {
                    serviceAccounts.add(s.path("namespace").asText("") + "/" + name);
                }
            }
            String where = pipeline.where(item);
            String ns = pipeline.targetNamespace(item);
            if (!anyone.isEmpty()) {
                report.warning(ns, where + " grants " + role + " to " + String.join(" and ", anyone)
                        + ", that is to anyone who can reach the API server; it is restored as the backup has it: check it is meant");
            }
            if (crb && !plan.coversAllNamespaces() && !serviceAccounts.isEmpty()) {
                String message = where + " comes with this namespace-only restore because its subjects include the ServiceAccount"
                        + (serviceAccounts.size() > 1 ? "s " : " ") + String.join(", ", serviceAccounts) + "; it grants " + role
                        + " in the whole cluster";
                if (!anyone.isEmpty() || "cluster-admin".equals(roleRef.path("name").asText())) {
                    report.warning(null, message);
                } else {
                    report.info(message);
                }
            }
        }
    }
}
