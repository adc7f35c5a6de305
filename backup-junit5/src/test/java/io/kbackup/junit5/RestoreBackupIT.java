package io.kbackup.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.testkit.cluster.EmbeddedClusterExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @RestoreBackup} on the embedded cluster: the golden backup under
 * {@code src/test/resources/golden} (written by {@link GoldenBackupWriter}) is loaded before the
 * tests into a mapped namespace, each test starts from it, and with {@code @ClusterSnapshot} the
 * namespace is gone again after the class. A backup that is not there fails the class.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class RestoreBackupIT {
    static KubernetesClient shared;

    @BeforeAll
    static void start(KubernetesClient client) {
        shared = client;
    }

    /** The golden state as the tests must find it. */
    static void assertGolden(KubernetesClient client, String ns) {
        assertThat(client.configMaps().inNamespace(ns).withName("catalog").get().getData()).isEqualTo(Map.of("apples", "3", "pears", "5"));
        assertThat(client.configMaps().inNamespace(ns).withName("prices").get().getData()).containsEntry("pears", "0.55");
        assertThat(client.secrets().inNamespace(ns).withName("db-credentials").get().getData()).containsOnlyKeys("password");
        assertThat(client.apps().deployments().inNamespace(ns).withName("web").get().getSpec().getReplicas()).isEqualTo(1);
        assertThat(client.services().inNamespace(ns).withName("web").get()).isNotNull();
        assertThat(client.serviceAccounts().inNamespace(ns).withName("shop-app").get()).isNotNull();
        assertThat(client.configMaps().inNamespace(ns).withName("catalog").get().getMetadata().getLabels())
                .as("a reset sets no restore labels").containsExactly(Map.entry("app", "shop"));
    }

    @ClusterSnapshot(namespaces = "golden-shop")
    @RestoreBackup(folder = "golden", backup = "shop-golden", namespaces = "shop", namespaceMapping = "shop=golden-shop")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Golden {
        @SnapshotClient
        static KubernetesClient client;

        @Test
        @Order(1)
        void findsTheGoldenState() {
            assertGolden(client, "golden-shop");
            client.configMaps().inNamespace("golden-shop").withName("catalog").edit(c -> new ConfigMapBuilder(c)
                    .addToData("apples", "0").build());
            client.configMaps().inNamespace("golden-shop").withName("prices").delete();
            client.apps().deployments().inNamespace("golden-shop").withName("web").scale(3);
        }

        @Test
        @Order(2)
        void findsItAgain() {
            assertGolden(client, "golden-shop");
        }
    }

    @Test
    void aGoldenBackupIsLoadedBeforeTheTestsAndGoesWithTheClassSnapshot() {
        runGolden(shared);
    }

    /** Runs {@link Golden} on {@code client}'s cluster and checks it passed and left no golden-shop namespace. */
    static void runGolden(KubernetesClient client) {
        Golden.client = client;
        List<Scenarios.Outcome> outcomes = Scenarios.run(Map.of(), Golden.class);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.failed()).as(o.name() + ": " + o.message()).isFalse());
        assertThat(outcomes).filteredOn(Scenarios.Outcome::test).hasSize(2);
        assertThat(client.namespaces().withName("golden-shop").get()).as("the class snapshot had no golden-shop").isNull();
    }

    @RestoreBackup(folder = "golden", backup = "no-such-backup")
    static class Missing {
        @SnapshotClient
        static KubernetesClient client;

        @Test
        void neverRuns() {
        }
    }

    @RestoreBackup(folder = "no-such-folder", backup = "shop-golden")
    static class NoFolder {
        @SnapshotClient
        static KubernetesClient client;

        @Test
        void neverRuns() {
        }
    }

    @Test
    void aMissingGoldenBackupFailsTheClassSayingWhy() {
        Missing.client = shared;
        NoFolder.client = shared;
        List<Scenarios.Outcome> outcomes = Scenarios.run(Map.of(), Missing.class, NoFolder.class);
        assertThat(outcomes).filteredOn(o -> o.name().endsWith("Missing")).singleElement()
                .satisfies(o -> assertThat(o.message()).contains("no-such-backup").contains("listBackups"));
        assertThat(outcomes).filteredOn(o -> o.name().endsWith("NoFolder")).singleElement()
                .satisfies(o -> assertThat(o.message()).contains("no folder 'no-such-folder' on the test class path"));
    }
}
