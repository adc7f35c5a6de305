package io.kbackup.core.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreOrderTest {

    @Test
    void tiersFollowVelerosPrioritiesThenTheRestAlphabeticallyThenTheLowOnes() {
        List<IndexedItem> items = new ArrayList<>();
        for (String gr : List.of("services", "deployments.apps", "clusters.cluster.x-k8s.io", "configmaps", "pods", "zebras.example.com",
                "namespaces", "customresourcedefinitions.apiextensions.k8s.io", "replicasets.apps", "persistentvolumeclaims",
                "persistentvolumes", "secrets", "serviceaccounts", "apples.example.com", "storageclasses.storage.k8s.io",
                "clusterresourcesets.addons.cluster.x-k8s.io", "statefulsets.apps")) {
            items.add(new IndexedItem(gr, null, "x", "v1", "X", 0, 0));
        }
        assertThat(RestoreOrder.tiers(items)).extracting(RestoreOrder.Tier::groupResource).containsExactly(
                "customresourcedefinitions.apiextensions.k8s.io", "namespaces", "storageclasses.storage.k8s.io", "persistentvolumes",
                "persistentvolumeclaims", "serviceaccounts", "secrets", "configmaps", "pods", "replicasets.apps", "services",
                "apples.example.com", "deployments.apps", "statefulsets.apps", "zebras.example.com",
                "clusters.cluster.x-k8s.io", "clusterresourcesets.addons.cluster.x-k8s.io");
    }

    @Test
    void itemsWithinATierAreSortedByNamespaceThenName() {
        List<IndexedItem> items = List.of(new IndexedItem("configmaps", "b", "a", "v1", "ConfigMap", 0, 0),
                new IndexedItem("configmaps", "a", "z", "v1", "ConfigMap", 0, 0),
                new IndexedItem("configmaps", "a", "c", "v1", "ConfigMap", 0, 0));
        assertThat(RestoreOrder.tiers(items)).singleElement().satisfies(t -> assertThat(t.items())
                .extracting(IndexedItem::key).containsExactly("a/c", "a/z", "b/a"));
    }

    @Test
    void theHighPriorityListIsVelerosInFull() {
        assertThat(RestoreOrder.HIGH).hasSize(23).startsWith("customresourcedefinitions.apiextensions.k8s.io", "namespaces")
                .endsWith("endpoints", "services");
    }
}
