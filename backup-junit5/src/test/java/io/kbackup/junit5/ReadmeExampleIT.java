package io.kbackup.junit5;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The README's harness example (section "A clean cluster for every test"), run as it stands there. */
@ClusterSnapshot(namespaces = "shop", cluster = SnapshotCluster.EMBEDDED)
@RestoreBackup(folder = "golden", backup = "shop-golden", namespaces = "shop")
@TestMethodOrder(MethodOrderer.MethodName.class) // takesAnOrder runs first: the second test proves it was undone
class ReadmeExampleIT {
    @Test
    void takesAnOrder(KubernetesClient client) {
        client.configMaps().inNamespace("shop").withName("catalog")
                .edit(c -> new ConfigMapBuilder(c).addToData("apples", "2").build());
    }

    @Test
    void theGoldenStateIsBack(KubernetesClient client) {
        Assertions.assertEquals("3", client.configMaps().inNamespace("shop").withName("catalog").get().getData().get("apples"));
    }
}
