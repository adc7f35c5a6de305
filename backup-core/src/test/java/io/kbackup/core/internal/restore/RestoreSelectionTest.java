package io.kbackup.core.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.BackupLocation;
import io.kbackup.ClusterWideMode;
import io.kbackup.RestorePlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class RestoreSelectionTest {

    private static RestorePlan.Builder plan() {
        return RestorePlan.builder().location(BackupLocation.localFolder(Path.of("/tmp/x")).build()).backupName("b1");
    }

    /** A small cluster's backup: two namespaces with related cluster-scoped items, and unrelated ones. */
    private static List<IndexedItem> items(RestoreSelection selection) {
        List<IndexedItem> items = new ArrayList<>();
        add(items, selection, "namespaces", null, "shop", "v1", "Namespace", "{\"metadata\":{\"name\":\"shop\",\"labels\":{\"team\":\"a\"}}}");
        add(items, selection, "namespaces", null, "blog", "v1", "Namespace", "{\"metadata\":{\"name\":\"blog\"}}");
        add(items, selection, "configmaps", "shop", "cfg", "v1", "ConfigMap", "{\"metadata\":{\"name\":\"cfg\",\"labels\":{\"app\":\"web\"}}}");
        add(items, selection, "configmaps", "blog", "cfg", "v1", "ConfigMap", "{\"metadata\":{\"name\":\"cfg\"}}");
        add(items, selection, "persistentvolumeclaims", "shop", "data", "v1", "PersistentVolumeClaim",
                "{\"metadata\":{\"name\":\"data\"},\"spec\":{\"volumeName\":\"pv-shop\"}}");
        add(items, selection, "persistentvolumes", null, "pv-shop", "v1", "PersistentVolume",
                "{\"metadata\":{\"name\":\"pv-shop\"},\"spec\":{\"persistentVolumeReclaimPolicy\":\"Retain\",\"claimRef\":{\"namespace\":\"shop\",\"name\":\"data\"}}}");
        add(items, selection, "persistentvolumes", null, "pv-blog", "v1", "PersistentVolume",
                "{\"metadata\":{\"name\":\"pv-blog\"},\"spec\":{\"persistentVolumeReclaimPolicy\":\"Retain\",\"claimRef\":{\"namespace\":\"blog\",\"name\":\"data\"}}}");
        add(items, selection, "persistentvolumes", null, "pv-deleted", "v1", "PersistentVolume",
                "{\"metadata\":{\"name\":\"pv-deleted\"},\"spec\":{\"persistentVolumeReclaimPolicy\":\"Delete\",\"claimRef\":{\"namespace\":\"shop\",\"name\":\"data\"}}}");
        add(items, selection, "widgets.example.com", "shop", "w1", "example.com/v1", "Widget", "{\"metadata\":{\"name\":\"w1\"}}");
        add(items, selection, "customresourcedefinitions.apiextensions.k8s.io", null, "widgets.example.com", "apiextensions.k8s.io/v1",
                "CustomResourceDefinition", "{\"metadata\":{\"name\":\"widgets.example.com\"}}");
        add(items, selection, "customresourcedefinitions.apiextensions.k8s.io", null, "gadgets.example.com", "apiextensions.k8s.io/v1",
                "CustomResourceDefinition", "{\"metadata\":{\"name\":\"gadgets.example.com\"}}");
        add(items, selection, "serviceaccounts", "shop", "robot", "v1", "ServiceAccount", "{\"metadata\":{\"name\":\"robot\"}}");
        add(items, selection, "clusterrolebindings.rbac.authorization.k8s.io", null, "robot-binding", "rbac.authorization.k8s.io/v1",
                "ClusterRoleBinding", "{\"metadata\":{\"name\":\"robot-binding\"},\"subjects\":[{\"kind\":\"ServiceAccount\",\"namespace\":\"shop\",\"name\":\"robot\"}],"
                        + "\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"robot-role\"}}");
        add(items, selection, "clusterroles.rbac.authorization.k8s.io", null, "robot-role", "rbac.authorization.k8s.io/v1", "ClusterRole",
                "{\"metadata\":{\"name\":\"robot-role\"}}");
        add(items, selection, "clusterroles.rbac.authorization.k8s.io", null, "other-role", "rbac.authorization.k8s.io/v1", "ClusterRole",
                "{\"metadata\":{\"name\":\"other-role\"}}");
        add(items, selection, "pods", "shop", "web-1", "v1", "Pod",
                "{\"metadata\":{\"name\":\"web-1\"},\"spec\":{\"priorityClassName\":\"high\"},\"status\":{\"phase\":\"Running\"}}");
        add(items, selection, "pods", "shop", "done-1", "v1", "Pod",
                "{\"metadata\":{\"name\":\"done-1\"},\"spec\":{\"priorityClassName\":\"low\"},\"status\":{\"phase\":\"Succeeded\"}}");
        add(items, selection, "pods", "shop", "failed-1", "v1", "Pod", "{\"metadata\":{\"name\":\"failed-1\"},\"status\":{\"phase\":\"Failed\"}}");
        add(items, selection, "pods", "shop", "mirror-1", "v1", "Pod",
                "{\"metadata\":{\"name\":\"mirror-1\",\"annotations\":{\"kubernetes.io/config.mirror\":\"abc\"}},\"status\":{\"phase\":\"Running\"}}");
        add(items, selection, "jobs.batch", "shop", "once", "batch/v1", "Job", "{\"metadata\":{\"name\":\"once\"},\"status\":{\"completionTime\":\"2026-01-01T00:00:00Z\"}}");
        add(items, selection, "jobs.batch", "shop", "running", "batch/v1", "Job", "{\"metadata\":{\"name\":\"running\"},\"status\":{\"active\":1}}");
        add(items, selection, "priorityclasses.scheduling.k8s.io", null, "high", "scheduling.k8s.io/v1", "PriorityClass", "{\"metadata\":{\"name\":\"high\"}}");
        add(items, selection, "priorityclasses.scheduling.k8s.io", null, "low", "scheduling.k8s.io/v1", "PriorityClass", "{\"metadata\":{\"name\":\"low\"}}");
        add(items, selection, "storageclasses.storage.k8s.io", null, "fast", "storage.k8s.io/v1", "StorageClass", "{\"metadata\":{\"name\":\"fast\"}}");
        add(items, selection, "nodes", null, "node-1", "v1", "Node", "{\"metadata\":{\"name\":\"node-1\"}}");
        add(items, selection, "events", "shop", "e1", "v1", "Event", "{\"metadata\":{\"name\":\"e1\"}}");
        add(items, selection, "events.events.k8s.io", "shop", "e2", "events.k8s.io/v1", "Event", "{\"metadata\":{\"name\":\"e2\"}}");
        add(items, selection, "backups.velero.io", "velero", "b0", "velero.io/v1", "Backup", "{\"metadata\":{\"name\":\"b0\"}}");
        add(items, selection, "configmaps", "orphan", "cfg", "v1", "ConfigMap", "{\"metadata\":{\"name\":\"cfg\"}}");
        return items;
    }

    private static void add(List<IndexedItem> items, RestoreSelection s, String gr, String ns, String name, String av, String kind, String json) {
        IndexedItem item = new IndexedItem(gr, ns, name, av, kind, 0, 0);
        try {
            s.observe(item, (ObjectNode) RestoreJson.MAPPER.readTree(json));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        items.add(item);
    }

    private record Result(List<IndexedItem> items, List<IndexedItem> synthetic, RestoreSelection selection) {
        List<String> selected() {
            List<String> out = new ArrayList<>();
            items.stream().filter(i -> i.decision.verdict() == RestoreDecision.Verdict.APPLY).forEach(i -> out.add(i.describe()));
            synthetic.forEach(i -> out.add(i.describe() + " (bare)"));
            return out;
        }

        IndexedItem get(String describe) {
            return items.stream().filter(i -> i.describe().equals(describe)).findFirst().orElseThrow();
        }
    }

    private static Result decide(UnaryOperator<RestorePlan.Builder> b) {
        RestoreSelection s = new RestoreSelection(b.apply(plan()).build());
        List<IndexedItem> items = items(s);
        List<IndexedItem> synthetic = s.decide(items);
        return new Result(items, synthetic, s);
    }

    @Test
    void restoresEverythingRestorableByDefault() {
        Result r = decide(b -> b);
        assertThat(r.selected()).containsExactlyInAnyOrder("namespaces shop", "namespaces blog", "configmaps shop/cfg", "configmaps blog/cfg",
                "persistentvolumeclaims shop/data", "persistentvolumes pv-shop", "persistentvolumes pv-blog", "widgets.example.com shop/w1",
                "customresourcedefinitions.apiextensions.k8s.io widgets.example.com",
                "customresourcedefinitions.apiextensions.k8s.io gadgets.example.com", "serviceaccounts shop/robot",
                "clusterrolebindings.rbac.authorization.k8s.io robot-binding", "clusterroles.rbac.authorization.k8s.io robot-role",
                "clusterroles.rbac.authorization.k8s.io other-role", "pods shop/web-1", "jobs.batch shop/running",
                "priorityclasses.scheduling.k8s.io high", "priorityclasses.scheduling.k8s.io low", "storageclasses.storage.k8s.io fast",
                "configmaps orphan/cfg", "namespaces orphan (bare)");
        assertThat(r.get("nodes node-1").excludedBecause()).contains("never restored");
        assertThat(r.get("events shop/e1").selected()).isFalse();
        assertThat(r.get("events.events.k8s.io shop/e2").selected()).isFalse();
        assertThat(r.get("backups.velero.io velero/b0").selected()).isFalse();
        assertThat(r.get("persistentvolumes pv-deleted").excludedBecause()).contains("reclaim policy is not Retain");
        assertThat(r.selection().pvRestored("pv-shop")).isTrue();
        assertThat(r.selection().pvRestored("pv-deleted")).isFalse();
    }

    @Test
    void skipRulesMarkFinishedPodsCompletedJobsAndMirrorPods() {
        Result r = decide(b -> b);
        assertThat(r.get("pods shop/done-1").skipRule).contains("finished (phase Succeeded)");
        assertThat(r.get("pods shop/failed-1").skipRule).contains("finished (phase Failed)");
        assertThat(r.get("pods shop/mirror-1").skipRule).contains("mirror pod");
        assertThat(r.get("jobs.batch shop/once").skipRule).contains("completed");
        assertThat(r.get("jobs.batch shop/running").skipRule).isNull();
        assertThat(r.get("pods shop/web-1").skipRule).isNull();
    }

    @Test
    void autoModeWithANamespaceFilterPullsInOnlyWhatIncludedItemsNeed() {
        Result r = decide(b -> b.includedNamespaces("shop"));
        assertThat(r.selected()).containsExactlyInAnyOrder("namespaces shop", "configmaps shop/cfg", "persistentvolumeclaims shop/data",
                "persistentvolumes pv-shop", "widgets.example.com shop/w1",
                "customresourcedefinitions.apiextensions.k8s.io widgets.example.com", "serviceaccounts shop/robot",
                "clusterrolebindings.rbac.authorization.k8s.io robot-binding", "clusterroles.rbac.authorization.k8s.io robot-role",
                "pods shop/web-1", "jobs.batch shop/running", "priorityclasses.scheduling.k8s.io high");
        assertThat(r.get("storageclasses.storage.k8s.io fast").excludedBecause()).contains("clusterWideMode AUTO");
        assertThat(r.get("priorityclasses.scheduling.k8s.io low").selected()).as("only needed by a finished pod").isFalse();
        assertThat(r.get("configmaps blog/cfg").excludedBecause()).contains("namespace 'blog' is not selected");
    }

    @Test
    void alwaysModeRestoresAllClusterScopedItemsWhateverTheNamespaces() {
        Result r = decide(b -> b.includedNamespaces("blog").clusterWideMode(ClusterWideMode.ALWAYS));
        assertThat(r.selected()).contains("storageclasses.storage.k8s.io fast", "persistentvolumes pv-shop", "persistentvolumes pv-blog",
                "clusterroles.rbac.authorization.k8s.io other-role", "priorityclasses.scheduling.k8s.io low", "namespaces blog", "configmaps blog/cfg")
                .doesNotContain("configmaps shop/cfg", "namespaces shop", "nodes node-1");
    }

    @Test
    void neverModeRestoresNoClusterScopedItemsButStillTheNamespaces() {
        Result r = decide(b -> b.clusterWideMode(ClusterWideMode.NEVER));
        assertThat(r.selected()).noneMatch(s -> s.startsWith("persistentvolumes ") || s.startsWith("customresourcedefinitions")
                || s.startsWith("storageclasses") || s.startsWith("clusterroles") || s.startsWith("priorityclasses"));
        assertThat(r.selected()).contains("namespaces shop", "namespaces blog", "persistentvolumeclaims shop/data");
        assertThat(r.get("persistentvolumes pv-shop").excludedBecause()).contains("NEVER");
        assertThat(r.selection().pvRestored("pv-shop")).isFalse();
    }

    @Test
    void persistentVolumesCanBeLeftOut() {
        Result r = decide(b -> b.restorePersistentVolumes(false));
        assertThat(r.selected()).noneMatch(s -> s.startsWith("persistentvolumes "));
        assertThat(r.get("persistentvolumes pv-shop").excludedBecause()).contains("restorePersistentVolumes is false");
    }

    @Test
    void excludedNamespacesAndResourceFiltersApply() {
        Result r = decide(b -> b.excludedNamespaces("blog").includedResources("configmaps", "Widget"));
        assertThat(r.selected()).containsExactlyInAnyOrder("configmaps shop/cfg", "widgets.example.com shop/w1", "configmaps orphan/cfg",
                "namespaces shop", "namespaces orphan (bare)");
        assertThat(r.get("namespaces shop").excludedBecause()).isNull();
        Result ex = decide(b -> b.excludedResources("pods", "persistentvolumes"));
        assertThat(ex.selected()).noneMatch(s -> s.startsWith("pods ") || s.startsWith("persistentvolumes "));
        assertThat(ex.get("pods shop/web-1").excludedBecause()).contains("resource filter");
    }

    @Test
    void labelSelectorKeepsMatchingItemsAndTheirNamespaces() {
        Result r = decide(b -> b.labelSelector(Map.of("app", "web")));
        assertThat(r.selected()).containsExactlyInAnyOrder("configmaps shop/cfg", "namespaces shop");
        assertThat(r.get("configmaps blog/cfg").excludedBecause()).contains("label selector");
    }

    @Test
    void resourcePatternsMatchGroupResourcePluralOrKind() {
        IndexedItem deploy = new IndexedItem("deployments.apps", "a", "b", "apps/v1", "Deployment", 0, 0);
        assertThat(PlanFilters.resourceMatches("deployments.apps", deploy)).isTrue();
        assertThat(PlanFilters.resourceMatches("deployments", deploy)).isTrue();
        assertThat(PlanFilters.resourceMatches("deployment", deploy)).isTrue();
        assertThat(PlanFilters.resourceMatches("*", deploy)).isTrue();
        assertThat(PlanFilters.resourceMatches("deployments.extensions", deploy)).isFalse();
        assertThat(PlanFilters.resourceMatches("pods", deploy)).isFalse();
    }

    @Test
    void legacyServiceAccountTokenSecretsAndSelfRegisteredApiServicesAreSkippedByRule() {
        RestoreSelection s = new RestoreSelection(plan().build());
        List<IndexedItem> items = new ArrayList<>();
        String token = "\"type\":\"kubernetes.io/service-account-token\"";
        // the Secret comes before its account in the archive (secrets < serviceaccounts)
        add(items, s, "secrets", "shop", "robot-token-abcde", "v1", "Secret", "{\"metadata\":{\"name\":\"robot-token-abcde\"}," + token + "}");
        add(items, s, "secrets", "shop", "default-token-xyz12", "v1", "Secret", "{\"metadata\":{\"name\":\"default-token-xyz12\","
                + "\"annotations\":{\"kubernetes.io/service-account.name\":\"default\"}}," + token + "}");
        add(items, s, "secrets", "shop", "robot-long-lived", "v1", "Secret", "{\"metadata\":{\"name\":\"robot-long-lived\","
                + "\"annotations\":{\"kubernetes.io/service-account.name\":\"robot\"}}," + token + "}");
        add(items, s, "secrets", "shop", "ghost-token-abcde", "v1", "Secret", "{\"metadata\":{\"name\":\"ghost-token-abcde\"}," + token + "}");
        add(items, s, "secrets", "shop", "robot-token-plain", "v1", "Secret", "{\"metadata\":{\"name\":\"robot-token-plain\"},\"type\":\"Opaque\"}");
        add(items, s, "serviceaccounts", "shop", "robot", "v1", "ServiceAccount", "{\"metadata\":{\"name\":\"robot\"}}");
        add(items, s, "apiservices.apiregistration.k8s.io", null, "v1.apps", "apiregistration.k8s.io/v1", "APIService",
                "{\"metadata\":{\"name\":\"v1.apps\",\"labels\":{\"kube-aggregator.kubernetes.io/automanaged\":\"onstart\"}}}");
        add(items, s, "apiservices.apiregistration.k8s.io", null, "v1beta1.metrics.k8s.io", "apiregistration.k8s.io/v1", "APIService",
                "{\"metadata\":{\"name\":\"v1beta1.metrics.k8s.io\"}}");
        s.decide(items);

        assertThat(items).filteredOn(i -> i.decision.verdict() == RestoreDecision.Verdict.SKIP_RULE).extracting(IndexedItem::describe)
                .containsExactlyInAnyOrder("secrets shop/robot-token-abcde", "secrets shop/default-token-xyz12",
                        "apiservices.apiregistration.k8s.io v1.apps");
        assertThat(items.get(0).decision.reason()).contains("legacy token Secret of ServiceAccount robot");
        assertThat(items).filteredOn(i -> i.decision.verdict() == RestoreDecision.Verdict.APPLY).extracting(IndexedItem::describe)
                .contains("secrets shop/robot-long-lived", "secrets shop/ghost-token-abcde", "secrets shop/robot-token-plain",
                        "apiservices.apiregistration.k8s.io v1beta1.metrics.k8s.io");
    }
}
