package io.kbackup.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.testkit.cluster.RealClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The harness on a real kube-apiserver with kube-controller-manager (the test kit's
 * {@link RealClusterExtension}, whose cluster {@code @ClusterSnapshot} finds): created, changed
 * and deleted objects are reset exactly; a Deployment is reverted while its ReplicaSets and Pods
 * are left to its controller; a failing test is reset; what cannot be put back (an object held by
 * a finalizer) fails the test naming it; parallel classes; the golden-backup loader.
 */
@ExtendWith(RealClusterExtension.class)
@ClusterSnapshot(namespaces = "shop")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSnapshotRealIT {
    private static Map<String, Map<String, String>> fixture;
    private static String firstReplicaSet;

    @BeforeAll
    static void fixtures(KubernetesClient client) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        for (int i = 0; i < 10; i++) {
            client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i).endMetadata()
                    .addToData("k", "v" + i).build()).create();
        }
        client.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).endPort().endSpec().build()).create();
        client.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        await(() -> replicaSets(client).size() == 1 && client.pods().inNamespace("shop").list().getItems().size() == 2);
        firstReplicaSet = replicaSets(client).get(0).getMetadata().getUid();
        fixture = ClusterSnapshotScenariosIT.contents(client, "shop");
    }

    static List<ReplicaSet> replicaSets(KubernetesClient client) {
        return client.apps().replicaSets().inNamespace("shop").list().getItems();
    }

    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 60 s").isLessThan(deadline);
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    @Order(1)
    void createsChangesAndDeletes(KubernetesClient client) {
        assertThat(ClusterSnapshotScenariosIT.contents(client, "shop")).isEqualTo(fixture);
        client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("added").endMetadata()
                .build()).create();
        client.configMaps().inNamespace("shop").withName("cm-1").edit(c -> new ConfigMapBuilder(c).addToData("k", "changed").build());
        client.configMaps().inNamespace("shop").withName("cm-2").delete();
        client.services().inNamespace("shop").withName("web").delete();
        client.apps().deployments().inNamespace("shop").withName("web").edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(3)
                .editTemplate().editSpec().editFirstContainer().withImage("nginx:1.28").endContainer().endSpec().endTemplate()
                .endSpec().build());
        await(() -> replicaSets(client).size() == 2); // the controller rolls out a second ReplicaSet
    }

    @Test
    @Order(2)
    void findsTheFixtureAndLeavesOwnedObjectsToTheirController(KubernetesClient client) {
        assertThat(ClusterSnapshotScenariosIT.contents(client, "shop")).isEqualTo(fixture);
        assertThat(client.services().inNamespace("shop").withName("web").get()).isNotNull();
        Deployment web = client.apps().deployments().inNamespace("shop").withName("web").get();
        assertThat(web.getSpec().getReplicas()).isEqualTo(2);
        assertThat(web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.27");
        // the reset neither deleted the rollout's ReplicaSet nor touched the first: the controller takes them back
        assertThat(replicaSets(client)).extracting(r -> r.getMetadata().getUid()).contains(firstReplicaSet).hasSize(2);
        // the controller makes the first ReplicaSet (the reverted template's) the Deployment's current one again: revision 3
        await(() -> replicaSets(client).stream().anyMatch(r -> r.getMetadata().getUid().equals(firstReplicaSet)
                && "3".equals(r.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"))));
    }

    @Test
    @Order(3)
    void failingTestsAndObjectsThatCannotBePutBack(KubernetesClient client) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("fails").endMetadata().build()).create();
        client.configMaps().inNamespace("fails").resource(new ConfigMapBuilder().withNewMetadata().withName("base").endMetadata()
                .addToData("k", "v").build()).create();
        Map<String, Map<String, String>> before = ClusterSnapshotScenariosIT.contents(client, "fails");
        ClusterSnapshotScenariosIT.FailingScenario.client = client;
        List<Scenarios.Outcome> failing = Scenarios.run(Map.of(), ClusterSnapshotScenariosIT.FailingScenario.class);
        assertThat(failing).filteredOn(Scenarios.Outcome::test).singleElement()
                .satisfies(o -> assertThat(o.message()).contains("the test's own failure").doesNotContain("ClusterNotResetException"));
        assertThat(ClusterSnapshotScenariosIT.contents(client, "fails")).isEqualTo(before);

        Held.client = client;
        List<Scenarios.Outcome> held = Scenarios.run(Map.of(), Held.class);
        assertThat(held).filteredOn(Scenarios.Outcome::test).singleElement().satisfies(o -> {
            assertThat(o.failed()).isTrue();
            assertThat(o.message()).contains("ClusterNotResetException").contains("1 difference remains")
                    .contains("terminating configmaps fails/held (created by the test; deleted, still terminating)");
        });
        client.configMaps().inNamespace("fails").withName("held").edit(c -> new ConfigMapBuilder(c).editMetadata()
                .withFinalizers(List.of()).endMetadata().build());
        await(() -> client.configMaps().inNamespace("fails").withName("held").get() == null);
    }

    @ClusterSnapshot(namespaces = "fails", settleSeconds = 3)
    static class Held {
        @SnapshotClient
        static KubernetesClient client;

        @Test
        void createsAnObjectAFinalizerHolds() {
            client.configMaps().inNamespace("fails").resource(new ConfigMapBuilder().withNewMetadata().withName("held")
                    .addToFinalizers("example.com/hold").endMetadata().build()).create();
        }
    }

    @Test
    @Order(4)
    void parallelClassesOnSeparateNamespaces(KubernetesClient client) {
        for (String ns : List.of("par-a", "par-b")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("base").endMetadata()
                    .addToData("k", "v").build()).create();
        }
        ClusterSnapshotScenariosIT.runParallel(client);
    }

    @Test
    @Order(5)
    void loadsTheGoldenBackup(KubernetesClient client) {
        RestoreBackupIT.runGolden(client);
    }
}
