package io.kbackup.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.testkit.cluster.EmbeddedClusterExtension;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The harness's failure paths and parallel classes, on one embedded cluster, each scenario a test
 * class run by the JUnit launcher: a failing test still gets its namespace put back; two classes on
 * separate namespaces running at once do not see each other's changes; a harness without a cluster
 * or without a selection fails the class saying what to do.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class ClusterSnapshotScenariosIT {
    static KubernetesClient shared;

    @BeforeAll
    static void start(KubernetesClient client) {
        shared = client;
        for (String ns : List.of("fails", "par-a", "par-b")) {
            shared.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            shared.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("base").endMetadata()
                    .addToData("k", "v").build()).create();
        }
    }

    static Map<String, Map<String, String>> contents(String ns) {
        return contents(shared, ns);
    }

    static Map<String, Map<String, String>> contents(KubernetesClient client, String ns) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        client.configMaps().inNamespace(ns).list().getItems().stream()
                .filter(c -> !c.getMetadata().getName().equals("kube-root-ca.crt")) // a real API server's, in every namespace
                .forEach(c -> out.put(c.getMetadata().getName(), c.getData() == null ? Map.of() : c.getData()));
        return out;
    }

    @ClusterSnapshot(namespaces = "fails")
    static class FailingScenario {
        @SnapshotClient
        static KubernetesClient client;

        @Test
        void changesThenFails() {
            client.configMaps().inNamespace("fails").resource(new ConfigMapBuilder().withNewMetadata().withName("left-behind")
                    .endMetadata().build()).create();
            client.configMaps().inNamespace("fails").withName("base").edit(c -> new ConfigMapBuilder(c).addToData("k", "broken").build());
            throw new AssertionError("the test's own failure");
        }
    }

    @Test
    void aFailingScenarioStillGetsItsNamespacePutBack() {
        Map<String, Map<String, String>> before = contents("fails");
        FailingScenario.client = shared;
        List<Scenarios.Outcome> outcomes = Scenarios.run(Map.of(), FailingScenario.class);
        assertThat(outcomes).filteredOn(Scenarios.Outcome::test).singleElement().satisfies(o -> {
            assertThat(o.failed()).isTrue();
            assertThat(o.message()).contains("the test's own failure").doesNotContain("ClusterNotResetException");
        });
        assertThat(contents("fails")).isEqualTo(before);
    }

    /** What each parallel class saw at the start of each test, and how many classes ran at once. */
    static final Map<String, Boolean> cleanAtStart = new ConcurrentHashMap<>();
    static final AtomicInteger running = new AtomicInteger();
    static final AtomicInteger maxRunning = new AtomicInteger();

    abstract static class ParallelBase {
        @SnapshotClient
        static KubernetesClient client;

        abstract String ns();

        @RepeatedTest(4)
        void changesItsNamespace() throws InterruptedException {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                boolean clean = contents(client, ns()).equals(Map.of("base", Map.of("k", "v")));
                cleanAtStart.merge(ns(), clean, Boolean::logicalAnd);
                client.configMaps().inNamespace(ns()).resource(new ConfigMapBuilder().withNewMetadata().withName("tmp-" + ns())
                        .endMetadata().build()).create();
                client.configMaps().inNamespace(ns()).withName("base").edit(c -> new ConfigMapBuilder(c).addToData("k", ns()).build());
                Thread.sleep(200);
            } finally {
                running.decrementAndGet();
            }
        }
    }

    @ClusterSnapshot(namespaces = "par-a")
    static class ParallelA extends ParallelBase {
        @Override
        String ns() {
            return "par-a";
        }
    }

    @ClusterSnapshot(namespaces = "par-b")
    static class ParallelB extends ParallelBase {
        @Override
        String ns() {
            return "par-b";
        }
    }

    @Test
    void parallelClassesOnSeparateNamespacesDoNotInterfere() {
        runParallel(shared);
    }

    /** Runs {@link ParallelA} and {@link ParallelB} at once on {@code client}'s cluster (namespaces par-a and par-b, each with a ConfigMap base k=v). */
    static void runParallel(KubernetesClient client) {
        ParallelBase.client = client;
        cleanAtStart.clear();
        maxRunning.set(0);
        List<Scenarios.Outcome> outcomes = Scenarios.run(Map.of("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "same_thread",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "2"), ParallelA.class, ParallelB.class);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.failed()).as(o.name() + ": " + o.message()).isFalse());
        assertThat(outcomes).filteredOn(Scenarios.Outcome::test).hasSize(8);
        assertThat(cleanAtStart).containsExactlyInAnyOrderEntriesOf(Map.of("par-a", true, "par-b", true));
        assertThat(maxRunning.get()).as("the two classes ran at the same time").isEqualTo(2);
        assertThat(contents(client, "par-a")).isEqualTo(Map.of("base", Map.of("k", "v")));
        assertThat(contents(client, "par-b")).isEqualTo(Map.of("base", Map.of("k", "v")));
    }

    @ClusterSnapshot(namespaces = "nowhere")
    static class NoCluster {
        @Test
        void neverRuns() {
        }
    }

    @ClusterSnapshot(cluster = SnapshotCluster.EMBEDDED)
    static class NoSelection {
        @Test
        void neverRuns() {
        }
    }

    @Test
    void aHarnessWithoutAClusterOrASelectionSaysWhatToDo() {
        List<Scenarios.Outcome> outcomes = Scenarios.run(Map.of(), NoCluster.class, NoSelection.class);
        assertThat(outcomes).filteredOn(o -> o.name().endsWith("NoCluster")).singleElement()
                .satisfies(o -> assertThat(o.message()).contains("found no cluster").contains("cluster = EMBEDDED, REAL or KUBECONFIG"));
        assertThat(outcomes).filteredOn(o -> o.name().endsWith("NoSelection")).singleElement()
                .satisfies(o -> assertThat(o.message()).contains("needs namespaces, labels or both"));
    }
}
