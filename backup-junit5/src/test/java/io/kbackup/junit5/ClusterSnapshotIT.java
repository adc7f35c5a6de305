package io.kbackup.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code @ClusterSnapshot} on a class, on the embedded cluster it starts: each test changes the
 * namespace its own way (creates, changes, deletes, all three), and the next test finds the
 * namespace as {@code @BeforeAll} left it, object for object, resourceVersions of untouched objects
 * included (the reset wrote nothing it did not have to).
 */
@ClusterSnapshot(namespaces = {"shop", "scratch"}, cluster = SnapshotCluster.EMBEDDED)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSnapshotIT {
    private static Map<String, String> fixture;

    @BeforeAll
    static void fixtures(KubernetesClient client, EmbeddedCluster cluster) {
        assertThat(cluster.real()).isFalse();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        for (int i = 0; i < 20; i++) {
            client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i).endMetadata()
                    .addToData("k", "v" + i).build()).create();
        }
        client.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("db").endMetadata()
                .addToData("password", "czNjcmV0").build()).create();
        fixture = state(client);
    }

    /** Every object of the namespace: name -> resourceVersion and content. */
    static Map<String, String> state(KubernetesClient client) {
        Map<String, String> out = new TreeMap<>();
        for (ConfigMap c : client.configMaps().inNamespace("shop").list().getItems()) {
            out.put("cm/" + c.getMetadata().getName(), c.getMetadata().getResourceVersion() + " " + c.getData()
                    + " " + c.getMetadata().getLabels());
        }
        client.secrets().inNamespace("shop").list().getItems().forEach(s -> out.put("secret/" + s.getMetadata().getName(),
                s.getMetadata().getResourceVersion().length() + " " + s.getData()));
        return out;
    }

    private static Map<String, String> contents(Map<String, String> state) {
        Map<String, String> out = new TreeMap<>();
        state.forEach((k, v) -> out.put(k, v.substring(v.indexOf(' ') + 1)));
        return out;
    }

    @Test
    @Order(1)
    void createsObjects(KubernetesClient client) {
        assertThat(state(client)).isEqualTo(fixture);
        for (int i = 0; i < 3; i++) {
            client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("new-" + i).endMetadata()
                    .build()).create();
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("scratch").endMetadata().build()).create();
        client.configMaps().inNamespace("scratch").resource(new ConfigMapBuilder().withNewMetadata().withName("x").endMetadata()
                .build()).create();
    }

    @Test
    @Order(2)
    void changesObjects(KubernetesClient client) {
        assertThat(state(client)).isEqualTo(fixture);
        assertThat(client.namespaces().withName("scratch").get()).as("a namespace the test created is deleted").isNull();
        client.configMaps().inNamespace("shop").withName("cm-3").edit(c -> new ConfigMapBuilder(c).addToData("k", "changed")
                .editMetadata().addToLabels("touched", "yes").endMetadata().build());
        client.secrets().inNamespace("shop").withName("db").edit(s -> new SecretBuilder(s).addToData("extra", "eA==").build());
    }

    @Test
    @Order(3)
    void deletesObjects(KubernetesClient client) {
        assertThat(state(client)).containsAllEntriesOf(Map.of("cm/cm-0", fixture.get("cm/cm-0")));
        assertThat(contents(state(client))).isEqualTo(contents(fixture));
        client.configMaps().inNamespace("shop").withName("cm-4").delete();
        client.secrets().inNamespace("shop").withName("db").delete();
    }

    @Test
    @Order(4)
    void doesAllAtOnce(KubernetesClient client) {
        assertThat(contents(state(client))).isEqualTo(contents(fixture));
        client.configMaps().inNamespace("shop").withName("cm-5").delete();
        client.configMaps().inNamespace("shop").withName("cm-6").edit(c -> new ConfigMapBuilder(c).withData(Map.of()).build());
        client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("cm-5-copy").endMetadata()
                .build()).create();
    }

    @Test
    @Order(5)
    void findsTheFixturesAgain(KubernetesClient client) {
        Map<String, String> now = state(client);
        assertThat(contents(now)).isEqualTo(contents(fixture));
        for (int i : new int[] {0, 1, 2, 7, 19}) {
            assertThat(now.get("cm/cm-" + i)).as("cm-%d never changed, never written", i).isEqualTo(fixture.get("cm/cm-" + i));
        }
    }
}
