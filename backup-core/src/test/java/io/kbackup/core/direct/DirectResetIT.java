package io.kbackup.core.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.ClusterWideMode;
import io.kbackup.InvalidPlanException;
import io.kbackup.PrunePolicy;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.cluster.EmbeddedClusterExtension;
import io.kbackup.testkit.storage.InMemoryStorageProvider;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reset ({@link PrunePolicy#PRUNE}) on the embedded cluster: what a test created goes, what it
 * changed is reverted, what it deleted comes back, what it did not touch is not written (its
 * resourceVersion stays), and what a reset never touches is left.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class DirectResetIT {
    private static final Duration WAIT = Duration.ofMinutes(1);
    private static KubernetesClient client;
    private static DirectEngine kbackup;
    private final BackupLocation location = BackupLocation.builder().name("reset").provider(InMemoryStorageProvider.ID)
            .bucket("reset-" + UUID.randomUUID()).build();

    @BeforeAll
    static void start(KubernetesClient shared) {
        client = shared;
        kbackup = KBackup.direct(client);
    }

    @AfterAll
    static void stop() {
        kbackup.close();
    }

    private static void namespace(String ns, int configMaps) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        for (int i = 0; i < configMaps; i++) {
            client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i)
                    .addToLabels("app", "shop").endMetadata().addToData("k", "v" + i).build()).create();
        }
        client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("db").endMetadata()
                .addToData("password", "czNjcmV0").build()).create();
    }

    private String snapshot(String ns) {
        String name = "snap-" + ns;
        kbackup.backup(BackupPlan.builder().name(name).location(location).includedNamespaces(ns).build()).await(WAIT);
        return name;
    }

    private RestorePlan reset(String backup, String ns) {
        return RestorePlan.builder().location(location).backupName(backup).includedNamespaces(ns).reset().build();
    }

    private static Map<String, String> versions(String ns) {
        Map<String, String> out = new HashMap<>();
        client.configMaps().inNamespace(ns).list().getItems()
                .forEach(c -> out.put(c.getMetadata().getName(), c.getMetadata().getResourceVersion()));
        return out;
    }

    private static Map<String, Map<String, String>> configMaps(String ns) {
        return client.configMaps().inNamespace(ns).list().getItems().stream()
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c.getData() == null ? Map.of() : c.getData()));
    }

    @Test
    void createdChangedAndDeletedObjectsAreResetAndUntouchedOnesAreNotWritten() {
        namespace("mixed", 6);
        Map<String, Map<String, String>> before = configMaps("mixed");
        String backup = snapshot("mixed");
        Map<String, String> untouched = versions("mixed");

        client.configMaps().inNamespace("mixed").resource(new ConfigMapBuilder().withNewMetadata().withName("added").endMetadata()
                .addToData("k", "new").build()).create();
        client.configMaps().inNamespace("mixed").withName("cm-1").edit(c -> new ConfigMapBuilder(c).addToData("k", "changed")
                .editMetadata().addToLabels("extra", "yes").endMetadata().build());
        client.configMaps().inNamespace("mixed").withName("cm-2").delete();
        client.secrets().inNamespace("mixed").withName("db").edit(s -> new SecretBuilder(s).addToData("more", "eA==").build());

        RestorePreview preview = kbackup.preview(reset(backup, "mixed"));
        assertThat(preview.items()).filteredOn(i -> i.action() == RestorePreview.Action.DELETE)
                .extracting(RestorePreview.Item::name).containsExactly("added");
        assertThat(preview.items()).filteredOn(i -> i.action() == RestorePreview.Action.UPDATE)
                .extracting(RestorePreview.Item::name).containsExactlyInAnyOrder("cm-1", "db");
        assertThat(preview.items()).filteredOn(i -> i.action() == RestorePreview.Action.CREATE)
                .extracting(RestorePreview.Item::name).containsExactly("cm-2");
        assertThat(preview.items()).filteredOn(i -> i.name().equals("cm-3")).singleElement()
                .satisfies(i -> assertThat(i.reason()).contains("same uid and resourceVersion"));

        RestoreInfo info = kbackup.restore(reset(backup, "mixed")).await(WAIT);
        assertThat(info.phase()).as(info.errors().toString()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(info.created()).isEqualTo(1);
        assertThat(info.updated()).isEqualTo(2);
        assertThat(configMaps("mixed")).isEqualTo(before);
        ConfigMap reverted = client.configMaps().inNamespace("mixed").withName("cm-1").get();
        assertThat(reverted.getMetadata().getLabels()).containsExactly(Map.entry("app", "shop"));
        assertThat(client.secrets().inNamespace("mixed").withName("db").get().getData()).containsOnlyKeys("password");
        Map<String, String> after = versions("mixed");
        for (String name : List.of("cm-0", "cm-3", "cm-4", "cm-5")) {
            assertThat(after.get(name)).as("%s was not written", name).isEqualTo(untouched.get(name));
        }

        RestorePreview clean = kbackup.preview(reset(backup, "mixed"));
        assertThat(clean.counts()).doesNotContainKeys(RestorePreview.Action.CREATE, RestorePreview.Action.UPDATE,
                RestorePreview.Action.DELETE);
        RestoreInfo again = kbackup.restore(reset(backup, "mixed")).await(WAIT);
        assertThat(again.created() + again.updated()).isZero();
    }

    @Test
    void objectsAResetNeverTouchesAreLeft() {
        namespace("kept", 2);
        String backup = snapshot("kept");
        ConfigMap owner = client.configMaps().inNamespace("kept").withName("cm-0").get();
        client.configMaps().inNamespace("kept").resource(new ConfigMapBuilder().withNewMetadata().withName("owned")
                .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("cm-0")
                .withUid(owner.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata().build()).create();
        client.configMaps().inNamespace("kept").resource(new ConfigMapBuilder().withNewMetadata().withName("kube-root-ca.crt")
                .endMetadata().addToData("ca.crt", "x").build()).create();
        client.configMaps().inNamespace("kept").resource(new ConfigMapBuilder().withNewMetadata().withName("plain").endMetadata()
                .build()).create();

        RestorePreview preview = kbackup.preview(reset(backup, "kept"));
        assertThat(preview.items()).filteredOn(i -> i.name().equals("owned")).singleElement().satisfies(i -> {
            assertThat(i.action()).isEqualTo(RestorePreview.Action.EXCLUDED);
            assertThat(i.reason()).contains("owned by the controller of ConfigMap cm-0");
        });
        assertThat(preview.items()).filteredOn(i -> i.name().equals("kube-root-ca.crt")).singleElement()
                .extracting(RestorePreview.Item::action).isEqualTo(RestorePreview.Action.EXCLUDED);

        kbackup.restore(reset(backup, "kept")).await(WAIT);
        assertThat(configMaps("kept")).containsOnlyKeys("cm-0", "cm-1", "owned", "kube-root-ca.crt");
    }

    @Test
    void aLabelSelectorLimitsThePrune() {
        namespace("labelled", 2);
        String backup = snapshot("labelled");
        client.configMaps().inNamespace("labelled").resource(new ConfigMapBuilder().withNewMetadata().withName("mine")
                .addToLabels("app", "shop").endMetadata().build()).create();
        client.configMaps().inNamespace("labelled").resource(new ConfigMapBuilder().withNewMetadata().withName("theirs")
                .addToLabels("app", "other").endMetadata().build()).create();

        kbackup.restore(RestorePlan.builder().location(location).backupName(backup).includedNamespaces("labelled")
                .labelSelector(Map.of("app", "shop")).reset().build()).await(WAIT);
        assertThat(configMaps("labelled")).containsOnlyKeys("cm-0", "cm-1", "theirs");
    }

    @Test
    void aResetIntoAnotherNamespaceComparesByContent() {
        namespace("source", 3);
        String backup = snapshot("source");
        RestorePlan copy = RestorePlan.builder().location(location).backupName(backup).includedNamespaces("source")
                .namespaceMapping(Map.of("source", "copy")).reset().build();
        kbackup.restore(copy).await(WAIT);
        client.configMaps().inNamespace("copy").withName("cm-0").edit(c -> new ConfigMapBuilder(c).addToData("k", "x").build());
        client.configMaps().inNamespace("copy").resource(new ConfigMapBuilder().withNewMetadata().withName("stray").endMetadata()
                .build()).create();

        RestoreInfo info = kbackup.restore(copy).await(WAIT);
        assertThat(info.updated()).isEqualTo(1);
        assertThat(configMaps("copy")).isEqualTo(configMaps("source"));
        assertThat(configMaps("source")).containsOnlyKeys("cm-0", "cm-1", "cm-2");
    }

    @Test
    void pruningPlansThatCouldDeleteTheClusterAreRefused() {
        assertThatThrownBy(() -> RestorePlan.builder().location(location).backupName("b").reset().build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("needs includedNamespaces or a labelSelector");
        assertThatThrownBy(() -> RestorePlan.builder().location(location).backupName("b").includedNamespaces("shop")
                .clusterWideMode(ClusterWideMode.ALWAYS).reset().build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("clusterWideMode ALWAYS needs a labelSelector");
        RestorePlan plan = RestorePlan.builder().location(location).backupName("b").includedNamespaces("shop").reset().build();
        assertThat(plan.prunePolicy()).isEqualTo(PrunePolicy.PRUNE);
        assertThat(plan.toBuilder().build()).isEqualTo(plan);
        assertThat(plan.toString()).contains("prunePolicy=PRUNE");
    }
}
