package io.kbackup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.EmbeddedClusterExtension;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The round-trip check against two embedded clusters: the target is filled by copying the source's objects the way
 * Velero's restore documents it (shop mapped to shop-restored), then changed to see that the check notices.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class RoundTripCheckIT {

    private static final Map<String, String> MAPPING = Map.of("shop", "shop-restored");

    private static KubernetesClient source;
    private static List<ObjectRef> seeded;
    private EmbeddedCluster targetCluster;
    private KubernetesClient target;

    @BeforeAll
    static void seedSource(KubernetesClient client) {
        source = client;
        seeded = SampleApp.seed(source);
    }

    @BeforeEach
    void restoreLikeVelero() {
        targetCluster = EmbeddedCluster.start();
        target = targetCluster.client();
        for (ObjectRef ref : seeded) {
            GenericKubernetesResource o = get(source, ref);
            if (skippedByVelero(o)) {
                continue;
            }
            var m = o.getMetadata();
            m.setUid(null);
            m.setResourceVersion(null);
            m.setCreationTimestamp(null);
            m.setGeneration(null);
            m.setOwnerReferences(null);
            Map<String, String> labels = m.getLabels() == null ? new HashMap<>() : new HashMap<>(m.getLabels());
            labels.put("velero.io/backup-name", "b1");
            labels.put("velero.io/restore-name", "r1");
            m.setLabels(labels);
            o.getAdditionalProperties().remove("status");
            if (m.getNamespace() != null) {
                m.setNamespace(MAPPING.getOrDefault(m.getNamespace(), m.getNamespace()));
            }
            if (o.getKind().equals("Namespace")) {
                m.setName(MAPPING.getOrDefault(m.getName(), m.getName()));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = (Map<String, Object>) o.getAdditionalProperties().get("spec");
            if (o.getKind().equals("Service") && !"None".equals(spec.get("clusterIP"))) {
                spec.remove("clusterIP");
            }
            if (o.getKind().equals("Pod")) {
                spec.remove("nodeName");
            }
            if (o.getKind().equals("PersistentVolumeClaim") && m.getName().equals("ledger-data")) {
                spec.remove("volumeName"); // its PV (reclaim policy Delete) is provisioned again
                m.getAnnotations().remove("pv.kubernetes.io/bind-completed");
                m.getAnnotations().remove("pv.kubernetes.io/bound-by-controller");
            }
            if (o.getKind().equals("PersistentVolume")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> claimRef = (Map<String, Object>) spec.get("claimRef");
                claimRef.put("namespace", MAPPING.getOrDefault((String) claimRef.get("namespace"), (String) claimRef.get("namespace")));
            }
            target.resource(o).create();
        }
    }

    @org.junit.jupiter.api.AfterEach
    void stopTarget() {
        target.close();
        targetCluster.close();
    }

    @Test
    void passesWhenTheTargetHoldsTheSourceObjectsModuloWhatARestoreResets() {
        RoundTripCheck.Result result = new RoundTripCheck(source, target, MAPPING).check(seeded);

        assertThat(result.mismatches()).isEmpty();
        assertThat(result.missing()).isEmpty();
        assertThat(result.passed()).isTrue();
        assertThat(result.skippedByReason()).containsEntry("nodes are never restored", 3)
                .containsEntry("completed pods are skipped", 1).containsEntry("completed jobs are skipped", 1)
                .containsEntry("volumes with reclaim policy Delete and no snapshot are provisioned again", 1);
        assertThat(result.matched()).hasSize(seeded.size() - 6);
    }

    @Test
    void reportsAChangedFieldByPathWithoutItsValue() {
        var secret = target.secrets().inNamespace("shop-restored").withName("db-credentials").get();
        secret.getData().put("password", "Y2hhbmdlZA==");
        target.resource(secret).update();

        RoundTripCheck.Result result = new RoundTripCheck(source, target, MAPPING).check(seeded);

        assertThat(result.passed()).isFalse();
        assertThat(result.mismatches()).hasSize(1);
        assertThat(result.mismatches().get(0).toString())
                .isEqualTo("Secret shop/db-credentials (as Secret shop-restored/db-credentials): data.password (differs)")
                .doesNotContain("Y2hhbmdlZA==");
    }

    @Test
    void reportsAMissingObjectUnderItsTargetNamespace() {
        target.configMaps().inNamespace("shop-restored").withName("frontend-config").delete();

        RoundTripCheck.Result result = new RoundTripCheck(source, target, MAPPING).check(seeded);

        assertThat(result.missing()).extracting(ObjectRef::toString).containsExactly("ConfigMap shop-restored/frontend-config");
    }

    @Test
    void flagsAnObjectVeleroWouldSkipButWhichWasRestored() {
        var node = source.nodes().withName("worker-1").get();
        node.getMetadata().setResourceVersion(null);
        node.getMetadata().setUid(null);
        target.resource(node).create();

        RoundTripCheck.Result result = new RoundTripCheck(source, target, MAPPING).check(seeded);

        assertThat(result.mismatches()).extracting(m -> m.source().toString()).containsExactly("Node worker-1");
    }

    @Test
    void expectsASnapshottedClaimToComeBackFromItsVolumeSnapshot() {
        RoundTripCheck.Result result = new RoundTripCheck(source, target, MAPPING, true).check(seeded);

        assertThat(result.skippedByReason()).containsEntry("volumes with a CSI snapshot are provisioned again from it", 1);
        assertThat(result.mismatches()).extracting(Object::toString).containsExactly(
                "PersistentVolumeClaim payments/ledger-data: spec.dataSource (expected a VolumeSnapshot: the claim's volume"
                        + " was snapshotted)");

        var claim = target.persistentVolumeClaims().inNamespace("payments").withName("ledger-data").get();
        claim.getSpec().setDataSource(new io.fabric8.kubernetes.api.model.TypedLocalObjectReferenceBuilder()
                .withApiGroup("snapshot.storage.k8s.io").withKind("VolumeSnapshot").withName("velero-ledger-data-x1").build());
        target.resource(claim).update();

        assertThat(new RoundTripCheck(source, target, MAPPING, true).check(seeded).passed()).isTrue();
    }

    private static GenericKubernetesResource get(KubernetesClient client, ObjectRef ref) {
        var op = client.genericKubernetesResources(ref.apiVersion(), ref.kind());
        return ref.clusterScoped() ? op.withName(ref.name()).get() : op.inNamespace(ref.namespace()).withName(ref.name()).get();
    }

    private static boolean skippedByVelero(GenericKubernetesResource o) {
        Object status = o.getAdditionalProperties().get("status");
        Object spec = o.getAdditionalProperties().get("spec");
        return switch (o.getKind()) {
            case "Node" -> true;
            case "Pod" -> status instanceof Map<?, ?> s && "Succeeded".equals(s.get("phase"));
            case "Job" -> status instanceof Map<?, ?> s && s.get("completionTime") != null;
            case "PersistentVolume" -> spec instanceof Map<?, ?> s && "Delete".equals(s.get("persistentVolumeReclaimPolicy"));
            default -> false;
        };
    }
}
