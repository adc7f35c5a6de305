package io.kbackup.core.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Velero's restore item actions that depend on the plan or the target cluster: status restored
 * through the status subresource ({@code restoreStatus} and the {@code velero.io/restore-status}
 * annotation), the ConfigMap-driven change-storage-class, change-image-name and PVC node mapping
 * (and the same mappings given in the plan), and the additional items a restored item brings along
 * although the label selector leaves them out. {@code RestoreActionsRealIT} runs them on a real
 * kube-apiserver.
 */
class RestoreActionsIT extends RestoreIntoFreshCluster {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String NS = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}";

    private RestoreInfo restore(RestorePlan.Builder plan) {
        try (DirectEngine engine = KBackup.direct(k8s, DirectOptions.defaults())) {
            return engine.restore(plan.location(location).build()).await(WAIT);
        }
    }

    private JsonNode get(String apiVersion, String kind, String namespace, String name) {
        var op = k8s.genericKubernetesResources(apiVersion, kind);
        GenericKubernetesResource r = namespace == null ? op.withName(name).get() : op.inNamespace(namespace).withName(name).get();
        if (r == null) {
            return null;
        }
        try {
            return RestoreJson.MAPPER.readTree(k8s.getKubernetesSerialization().asJson(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String crd(String plural, String kind) {
        return """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"%1$s.example.com"},
                 "spec":{"group":"example.com","scope":"Namespaced",
                  "names":{"plural":"%1$s","singular":"%2$s","kind":"%3$s","listKind":"%3$sList"},
                  "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
                   "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}"""
                .formatted(plural, plural.substring(0, plural.length() - 1), kind);
    }

    private static String custom(String kind, String name, String annotation) {
        return """
                {"apiVersion":"example.com/v1","kind":"%s","metadata":{"name":"%s","namespace":"shop"%s},
                 "spec":{"size":3},"status":{"phase":"Ready","observed":7}}"""
                .formatted(kind, name, annotation == null ? "" : ",\"annotations\":{\"velero.io/restore-status\":\"" + annotation + "\"}");
    }

    @Test
    void statusIsRestoredThroughTheStatusSubresourceForTheListedResourcesAndAsTheAnnotationSays() {
        BackupFixture.put(location, "b1", "Completed", TestArchive.velero().item("namespaces", null, "shop", NS)
                .item("customresourcedefinitions.apiextensions.k8s.io", null, "widgets.example.com", crd("widgets", "Widget"))
                .item("customresourcedefinitions.apiextensions.k8s.io", null, "gadgets.example.com", crd("gadgets", "Gadget"))
                .item("widgets.example.com", "shop", "listed", custom("Widget", "listed", null))
                .item("widgets.example.com", "shop", "refused", custom("Widget", "refused", "false"))
                .item("gadgets.example.com", "shop", "asked", custom("Gadget", "asked", "true"))
                .item("gadgets.example.com", "shop", "plain", custom("Gadget", "plain", null))
                .tarGz(), true);

        RestoreInfo info = restore(RestorePlan.builder().backupName("b1").restoreStatus(List.of("widgets.example.com"), List.of()));

        assertThat(info.phase()).as("errors %s, warnings %s", info.errors(), info.warnings()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(info.warnings()).as("no status refused").noneMatch(w -> w.contains("status"));
        JsonNode listed = get("example.com/v1", "Widget", "shop", "listed");
        assertThat(listed.path("status").path("phase").asText()).as("a listed resource gets its backed-up status").isEqualTo("Ready");
        assertThat(listed.path("status").path("observed").asInt()).isEqualTo(7);
        assertThat(listed.path("spec").path("size").asInt()).isEqualTo(3);
        assertThat(get("example.com/v1", "Widget", "shop", "refused").path("status").path("phase").isMissingNode())
                .as("velero.io/restore-status: false wins over the listed resource").isTrue();
        assertThat(get("example.com/v1", "Gadget", "shop", "asked").path("status").path("phase").asText())
                .as("velero.io/restore-status: true wins over the resource not listed").isEqualTo("Ready");
        assertThat(get("example.com/v1", "Gadget", "shop", "plain").path("status").path("phase").isMissingNode())
                .as("a resource not listed is created without its status").isTrue();
    }

    @Test
    void withoutRestoreStatusOnlyAnnotatedObjectsGetTheirStatus() {
        BackupFixture.put(location, "b1", "Completed", TestArchive.velero().item("namespaces", null, "shop", NS)
                .item("customresourcedefinitions.apiextensions.k8s.io", null, "widgets.example.com", crd("widgets", "Widget"))
                .item("widgets.example.com", "shop", "plain", custom("Widget", "plain", null))
                .item("widgets.example.com", "shop", "asked", custom("Widget", "asked", "true"))
                .tarGz(), true);

        RestoreInfo info = restore(RestorePlan.builder().backupName("b1"));

        assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(get("example.com/v1", "Widget", "shop", "plain").path("status").path("phase").isMissingNode()).isTrue();
        assertThat(get("example.com/v1", "Widget", "shop", "asked").path("status").path("phase").asText()).isEqualTo("Ready");
    }

    private static final String PV = """
            {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-data"},
             "spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/tmp/pv-data"},
              "persistentVolumeReclaimPolicy":"Retain","storageClassName":"standard",
              "claimRef":{"kind":"PersistentVolumeClaim","namespace":"shop","name":"data","uid":"0b7c0b3c-1111-2222-3333-444455556666"}}}""";

    private static String claim(String name, String labels, String node, String volume) {
        return """
                {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"%s","namespace":"shop"%s,
                  "annotations":{"volume.kubernetes.io/selected-node":"%s","volume.kubernetes.io/storage-provisioner":"example.com/old",
                   "volume.beta.kubernetes.io/storage-provisioner":"example.com/old","velero.io/volume-snapshot-name":"vs-1"}},
                 "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"storageClassName":"standard"%s}}"""
                .formatted(name, labels == null ? "" : ",\"labels\":" + labels, node,
                        volume == null ? "" : ",\"volumeName\":\"" + volume + "\"");
    }

    private static final String STATEFUL_SET = """
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","namespace":"shop"},
             "spec":{"serviceName":"db","replicas":0,"selector":{"matchLabels":{"app":"db"}},
              "template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"db","image":"registry-a:5000/db:1"}]}},
              "volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"storageClassName":"standard",
               "resources":{"requests":{"storage":"1Gi"}}}}]}}""";

    private static final String DEPLOYMENT = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"},
             "spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"}},
              "template":{"metadata":{"labels":{"app":"web"}},"spec":{
               "initContainers":[{"name":"init","image":"registry-a:5000/init:2"}],
               "containers":[{"name":"web","image":"registry-a:5000/web:1"},{"name":"side","image":"docker.io/library/busybox:1.36"}]}}}}""";

    private static final String CRON_JOB = """
            {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"report","namespace":"shop"},
             "spec":{"schedule":"0 3 * * *","suspend":true,"jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure",
              "containers":[{"name":"report","image":"registry-a:5000/report:3"}]}}}}}}""";

    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"tool","namespace":"shop"},
             "spec":{"containers":[{"name":"tool","image":"registry-a:5000/tool:4"}]}}""";

    private void pluginConfig(String name, String action, Map<String, String> data) {
        if (k8s.namespaces().withName("velero").get() == null) {
            k8s.resource("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"velero\"}}").create();
        }
        k8s.configMaps().inNamespace("velero").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                .withName(name).addToLabels("velero.io/plugin-config", "").addToLabels(action, "RestoreItemAction").endMetadata()
                .withData(data).build()).create();
    }

    private void storageClass(String name) {
        k8s.resource("{\"apiVersion\":\"storage.k8s.io/v1\",\"kind\":\"StorageClass\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"provisioner\":\"example.com/none\"}").create();
    }

    private TestArchive workloads() {
        return TestArchive.velero().item("namespaces", null, "shop", NS).item("persistentvolumes", null, "pv-data", PV)
                .item("persistentvolumeclaims", "shop", "data", claim("data", null, "node-a", "pv-data"))
                .item("persistentvolumeclaims", "shop", "here", claim("here", null, "node-here", null))
                .item("persistentvolumeclaims", "shop", "gone", claim("gone", null, "node-gone", null))
                .item("statefulsets.apps", "shop", "db", STATEFUL_SET).item("deployments.apps", "shop", "web", DEPLOYMENT)
                .item("cronjobs.batch", "shop", "report", CRON_JOB).item("pods", "shop", "tool", POD);
    }

    @Test
    void veleroPluginConfigMapsInTheTargetClusterChangeStorageClassesImagesAndSelectedNodes() {
        BackupFixture.put(location, "b1", "Completed", workloads().tarGz(), true);
        storageClass("fast");
        k8s.resource("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-here\"}}").create();
        pluginConfig("storage-classes", "velero.io/change-storage-class", Map.of("standard", "fast"));
        pluginConfig("images", "velero.io/change-image-name", Map.of("registry", "registry-a:5000,registry-b:6000"));
        pluginConfig("nodes", "velero.io/change-pvc-node-selector", Map.of("node-a", "node-b"));

        RestoreInfo info = restore(RestorePlan.builder().backupName("b1"));

        assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(get("v1", "PersistentVolume", null, "pv-data").path("spec").path("storageClassName").asText()).isEqualTo("fast");
        JsonNode data = get("v1", "PersistentVolumeClaim", "shop", "data");
        assertThat(data.path("spec").path("storageClassName").asText()).isEqualTo("fast");
        JsonNode annotations = data.path("metadata").path("annotations");
        assertThat(annotations.path("volume.kubernetes.io/selected-node").asText()).as("mapped node").isEqualTo("node-b");
        assertThat(annotations.has("volume.kubernetes.io/storage-provisioner")).as("provisioner marks go").isFalse();
        assertThat(annotations.has("volume.beta.kubernetes.io/storage-provisioner")).isFalse();
        assertThat(annotations.has("velero.io/volume-snapshot-name")).isFalse();
        assertThat(get("v1", "PersistentVolumeClaim", "shop", "here").path("metadata").path("annotations")
                .path("volume.kubernetes.io/selected-node").asText()).as("a node the cluster has stays").isEqualTo("node-here");
        assertThat(get("v1", "PersistentVolumeClaim", "shop", "gone").path("metadata").path("annotations")
                .has("volume.kubernetes.io/selected-node")).as("a node the cluster lacks goes").isFalse();
        JsonNode sts = get("apps/v1", "StatefulSet", "shop", "db");
        assertThat(sts.path("spec").path("volumeClaimTemplates").get(0).path("spec").path("storageClassName").asText()).isEqualTo("fast");
        assertThat(sts.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText())
                .isEqualTo("registry-b:6000/db:1");
        JsonNode web = get("apps/v1", "Deployment", "shop", "web").path("spec").path("template").path("spec");
        assertThat(web.path("initContainers").get(0).path("image").asText()).isEqualTo("registry-b:6000/init:2");
        assertThat(web.path("containers").get(0).path("image").asText()).isEqualTo("registry-b:6000/web:1");
        assertThat(web.path("containers").get(1).path("image").asText()).as("no rule matches").isEqualTo("docker.io/library/busybox:1.36");
        assertThat(get("batch/v1", "CronJob", "shop", "report").path("spec").path("jobTemplate").path("spec").path("template")
                .path("spec").path("containers").get(0).path("image").asText()).isEqualTo("registry-b:6000/report:3");
        assertThat(get("v1", "Pod", "shop", "tool").path("spec").path("containers").get(0).path("image").asText())
                .isEqualTo("registry-b:6000/tool:4");
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void thePlanMappingsWinOverTheConfigMapsAndAMissingStorageClassFailsTheItem() {
        BackupFixture.put(location, "b1", "Completed", workloads().tarGz(), true);
        storageClass("gold");
        pluginConfig("storage-classes", "velero.io/change-storage-class", Map.of("standard", "fast"));

        RestoreInfo info = restore(RestorePlan.builder().backupName("b1").storageClassMapping(Map.of("standard", "gold"))
                .imageNameMapping(ordered("registry-a:5000/web", "mirror:7000/web", "registry-a:5000", "registry-c:8000"))
                .nodeMapping(Map.of("node-gone", "node-new")));

        assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(get("v1", "PersistentVolumeClaim", "shop", "data").path("spec").path("storageClassName").asText()).isEqualTo("gold");
        assertThat(get("v1", "PersistentVolumeClaim", "shop", "gone").path("metadata").path("annotations")
                .path("volume.kubernetes.io/selected-node").asText()).isEqualTo("node-new");
        JsonNode web = get("apps/v1", "Deployment", "shop", "web").path("spec").path("template").path("spec");
        assertThat(web.path("containers").get(0).path("image").asText()).as("the first matching entry").isEqualTo("mirror:7000/web:1");
        assertThat(web.path("initContainers").get(0).path("image").asText()).isEqualTo("registry-c:8000/init:2");

        k8s.namespaces().withName("shop").delete();
        BackupFixture.put(location, "b2", "Completed", TestArchive.velero().item("namespaces", null, "other", NS.replace("shop", "other"))
                .item("persistentvolumeclaims", "other", "data", claim("data", null, "node-a", null).replace("\"shop\"", "\"other\""))
                .tarGz(), true);
        try (DirectEngine engine = KBackup.direct(k8s, DirectOptions.defaults())) {
            assertThat(engine.preview(RestorePlan.builder().location(location).backupName("b2")
                    .storageClassMapping(Map.of("standard", "platinum")).build()).items())
                    .filteredOn(i -> i.groupResource().equals("persistentvolumeclaims")).singleElement()
                    .satisfies(i -> assertThat(i.action()).isEqualTo(RestorePreview.Action.FAIL))
                    .satisfies(i -> assertThat(i.reason()).contains("'standard' maps to 'platinum'"));
        }
        RestoreInfo missing = restore(RestorePlan.builder().backupName("b2").storageClassMapping(Map.of("standard", "platinum")));
        assertThat(missing.phase()).isEqualTo(RestorePhase.PARTIALLY_FAILED);
        assertThat(missing.failed()).isEqualTo(1);
        assertThat(missing.errors()).anyMatch(e -> e.contains("other/data") && e.contains("'standard' maps to 'platinum'")
                && e.contains("does not have"));
        assertThat(get("v1", "PersistentVolumeClaim", "other", "data")).isNull();
    }

    @Test
    void aLabelSelectedRestoreBringsAlongVelerosAdditionalItemsOfThePodsClaimsAndIngresses() {
        String pod = """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"shop","labels":{"app":"web"}},
                 "spec":{"priorityClassName":"high","containers":[{"name":"web","image":"nginx:1.27"}],
                  "volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"data"}}]}}""";
        String priorityClass = "{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":\"PriorityClass\",\"metadata\":{\"name\":\"high\"},"
                + "\"value\":1000}";
        String ingress = """
                {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"web","namespace":"shop","labels":{"app":"web"}},
                 "spec":{"ingressClassName":"edge","defaultBackend":{"service":{"name":"web","port":{"number":80}}}}}""";
        String ingressClass = "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"IngressClass\",\"metadata\":{\"name\":\"edge\"},"
                + "\"spec\":{\"controller\":\"example.com/edge\"}}";
        String otherClass = ingressClass.replace("edge", "unused");
        String unrelated = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"shop\"}}";
        BackupFixture.put(location, "b1", "Completed", TestArchive.velero().item("namespaces", null, "shop", NS)
                .item("persistentvolumes", null, "pv-data", PV).item("persistentvolumeclaims", "shop", "data", claim("data", null, "n", "pv-data"))
                .item("priorityclasses.scheduling.k8s.io", null, "high", priorityClass).item("pods", "shop", "web", pod)
                .item("ingresses.networking.k8s.io", "shop", "web", ingress)
                .item("ingressclasses.networking.k8s.io", null, "edge", ingressClass)
                .item("ingressclasses.networking.k8s.io", null, "unused", otherClass)
                .item("configmaps", "shop", "cfg", unrelated).tarGz(), true);

        RestoreInfo info = restore(RestorePlan.builder().backupName("b1").labelSelector(Map.of("app", "web")));

        assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(get("v1", "Pod", "shop", "web")).isNotNull();
        assertThat(get("v1", "PersistentVolumeClaim", "shop", "data")).as("the pod's claim (AddPVCFromPodAction)").isNotNull();
        assertThat(get("v1", "PersistentVolume", null, "pv-data")).as("the claim's volume").isNotNull();
        assertThat(get("scheduling.k8s.io/v1", "PriorityClass", null, "high")).as("the pod's PriorityClass").isNotNull();
        assertThat(get("networking.k8s.io/v1", "IngressClass", null, "edge")).as("the Ingress's IngressClass").isNotNull();
        assertThat(get("networking.k8s.io/v1", "IngressClass", null, "unused")).as("not needed, not labelled").isNull();
        assertThat(get("v1", "ConfigMap", "shop", "cfg")).as("not needed, not labelled").isNull();
    }

    @Test
    void aNamespaceRestoreBringsAlongTheIngressClassOfItsIngresses() {
        String ingress = """
                {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"web","namespace":"shop"},
                 "spec":{"ingressClassName":"edge","defaultBackend":{"service":{"name":"web","port":{"number":80}}}}}""";
        String ingressClass = "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"IngressClass\",\"metadata\":{\"name\":\"edge\"},"
                + "\"spec\":{\"controller\":\"example.com/edge\"}}";
        BackupFixture.put(location, "b1", "Completed", TestArchive.velero().item("namespaces", null, "shop", NS)
                .item("ingresses.networking.k8s.io", "shop", "web", ingress)
                .item("ingressclasses.networking.k8s.io", null, "edge", ingressClass)
                .item("ingressclasses.networking.k8s.io", null, "unused", ingressClass.replace("edge", "unused")).tarGz(), true);

        RestoreInfo info = restore(RestorePlan.builder().backupName("b1").includedNamespaces("shop"));

        assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(get("networking.k8s.io/v1", "IngressClass", null, "edge")).isNotNull();
        assertThat(get("networking.k8s.io/v1", "IngressClass", null, "unused")).isNull();
    }
}
