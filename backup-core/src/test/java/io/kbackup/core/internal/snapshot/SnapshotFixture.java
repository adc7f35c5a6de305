package io.kbackup.core.internal.snapshot;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kbackup.core.internal.layout.VeleroKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Objects for snapshot tests: claims bound to CSI (or hostPath) volumes, pods, nodes, snapshot classes. */
final class SnapshotFixture {
    private SnapshotFixture() {}

    static HasMetadata namespace(String name) {
        return new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
    }

    static HasMetadata configMap(String ns, String name) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata().addToData("k", "v").build();
    }

    /** A claim bound to PV {@code pv-<ns>-<name>}, with optional annotations. */
    static HasMetadata claim(String ns, String name, Map<String, String> annotations) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace(ns).withName(name).withAnnotations(annotations)
                .endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withVolumeName(pvName(ns, name))
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
                .withNewStatus().withPhase("Bound").endStatus().build();
    }

    static HasMetadata unboundClaim(String ns, String name) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("1Gi"))
                .endResources().endSpec().withNewStatus().withPhase("Pending").endStatus().build();
    }

    static String pvName(String ns, String claim) {
        return "pv-" + ns + "-" + claim;
    }

    /** The CSI volume of claim ns/name, for {@code driver}. */
    static HasMetadata csiVolume(String ns, String claim, String driver) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(pvName(ns, claim)).addToLabels("tier", "gold").endMetadata()
                .withNewSpec().addToCapacity("storage", new Quantity("1Gi")).withAccessModes("ReadWriteOnce")
                .withPersistentVolumeReclaimPolicy("Delete")
                .withNewCsi().withDriver(driver).withVolumeHandle("vol-" + ns + "-" + claim).endCsi()
                .withNewClaimRef().withNamespace(ns).withName(claim).endClaimRef().endSpec()
                .withNewStatus().withPhase("Bound").endStatus().build();
    }

    static HasMetadata hostPathVolume(String ns, String claim) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(pvName(ns, claim)).endMetadata()
                .withNewSpec().addToCapacity("storage", new Quantity("1Gi")).withAccessModes("ReadWriteOnce")
                .withPersistentVolumeReclaimPolicy("Delete").withNewHostPath().withPath("/data/" + claim).endHostPath()
                .withNewClaimRef().withNamespace(ns).withName(claim).endClaimRef().endSpec().build();
    }

    static HasMetadata pod(String ns, String name, String node, String claim) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("nginx:1.27").endContainer()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim().endVolume()
                .endSpec().build();
    }

    static HasMetadata node(String name, boolean cordoned) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withUnschedulable(cordoned).endSpec().build();
    }

    /** A VolumeSnapshotClass; {@code marker} is "default", "label" or null. */
    static GenericKubernetesResource snapshotClass(String name, String driver, String deletionPolicy, String marker) {
        GenericKubernetesResource c = new GenericKubernetesResource();
        c.setApiVersion(SnapshotApi.API_VERSION);
        c.setKind("VolumeSnapshotClass");
        ObjectMeta m = new ObjectMeta();
        m.setName(name);
        if ("default".equals(marker)) {
            m.setAnnotations(Map.of(SnapshotApi.DEFAULT_CLASS_ANNOTATION, "true"));
        } else if ("label".equals(marker)) {
            m.setLabels(Map.of(VeleroKeys.CSI_SNAPSHOT_CLASS, "true"));
        }
        c.setMetadata(m);
        c.setAdditionalProperty("driver", driver);
        c.setAdditionalProperty("deletionPolicy", deletionPolicy);
        return c;
    }

    static List<HasMetadata> list(HasMetadata... objects) {
        return new ArrayList<>(List.of(objects));
    }
}
