package io.kbackup.storage.minio;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** A small, varied namespace for the interop tests against the real Velero (a PV/PVC pair without data). */
final class VariedCluster {
    private VariedCluster() {
    }

    /** A CRD (group {@code group}, kind Widget) first, then the namespace and its objects, in creation order. */
    static List<HasMetadata> objects(String ns, String group) {
        List<HasMetadata> out = new ArrayList<>();
        out.add(new CustomResourceDefinitionBuilder().withNewMetadata().withName("widgets." + group).endMetadata()
                .withNewSpec().withGroup(group).withScope("Namespaced")
                .withNewNames().withKind("Widget").withPlural("widgets").withSingular("widget").withListKind("WidgetList")
                .endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withOpenAPIV3Schema(new JSONSchemaPropsBuilder().withType("object")
                        .withXKubernetesPreserveUnknownFields(true).build()).endSchema()
                .endVersion().endSpec().build());
        out.add(new NamespaceBuilder().withNewMetadata().withName(ns).addToLabels("team", "shop")
                .addToAnnotations("owner", "kbackup tests").endMetadata().build());
        out.add(new ConfigMapBuilder().withNewMetadata().withName("web-config").withNamespace(ns)
                .addToLabels("app", "web").endMetadata()
                .addToData("color", "blue").addToData("settings.yaml", "a: 1\nb: [x, y]\n")
                .addToBinaryData("logo.bin", Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 0xff, 10}))
                .build());
        out.add(new SecretBuilder().withNewMetadata().withName("db-credentials").withNamespace(ns).endMetadata()
                .withType("Opaque")
                .addToData("password", Base64.getEncoder().encodeToString("s3cr3t\u00e9".getBytes(StandardCharsets.UTF_8)))
                .build());
        out.add(new ServiceAccountBuilder().withNewMetadata().withName("web").withNamespace(ns).endMetadata().build());
        out.add(new RoleBuilder().withNewMetadata().withName("reader").withNamespace(ns).endMetadata()
                .addNewRule().withApiGroups("").withResources("configmaps", "secrets").withVerbs("get", "list").endRule()
                .build());
        out.add(new RoleBindingBuilder().withNewMetadata().withName("web-reader").withNamespace(ns).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("reader").endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName("web").withNamespace(ns).endSubject().build());
        for (String type : List.of("ClusterIP", "NodePort", "LoadBalancer")) {
            out.add(new ServiceBuilder().withNewMetadata().withName("web-" + type.toLowerCase()).withNamespace(ns)
                    .endMetadata().withNewSpec().withType(type).addToSelector("app", "web")
                    .withPorts(new ServicePortBuilder().withName("http").withPort(80).withTargetPort(new IntOrString(8080))
                            .withProtocol("TCP").build())
                    .endSpec().build());
        }
        out.add(new ServiceBuilder().withNewMetadata().withName("web-headless").withNamespace(ns).endMetadata()
                .withNewSpec().withClusterIP("None").addToSelector("app", "web")
                .withPorts(new ServicePortBuilder().withName("http").withPort(80).withProtocol("TCP").build())
                .endSpec().build());
        out.add(new ServiceBuilder().withNewMetadata().withName("web-external").withNamespace(ns).endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName("example.com").endSpec().build());
        // a PV/PVC pair, the PV kept (Retain) and without data to move: restored as it is by Velero
        out.add(new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder().withNewMetadata().withName("pv-" + ns)
                .addToLabels("app", "web").endMetadata().withNewSpec()
                .withCapacity(Map.of("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")))
                .withAccessModes("ReadWriteOnce").withPersistentVolumeReclaimPolicy("Retain").withStorageClassName("manual")
                .withNewHostPath().withPath("/tmp/kbackup-" + ns).withType("").endHostPath()
                .withNewClaimRef().withNamespace(ns).withName("data").endClaimRef()
                .endSpec().build());
        out.add(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder().withNewMetadata().withName("data")
                .withNamespace(ns).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                .withStorageClassName("manual").withVolumeName("pv-" + ns)
                .withNewResources().addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi"))
                .endResources().endSpec().build());
        GenericKubernetesResource widget = new GenericKubernetesResource();
        widget.setApiVersion(group + "/v1");
        widget.setKind("Widget");
        widget.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("gizmo").withNamespace(ns)
                .addToLabels("app", "web").build());
        widget.setAdditionalProperty("spec", Map.of("size", 3, "colors", List.of("red", "green"),
                "nested", Map.of("enabled", true)));
        out.add(widget);
        return out;
    }
}
