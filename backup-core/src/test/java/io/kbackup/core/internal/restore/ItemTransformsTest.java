package io.kbackup.core.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ItemTransformsTest {
    private final ItemTransforms transforms = new ItemTransforms("nightly", "nightly-restore", Map.of("shop", "shop-copy"), false,
            Set.of("pv-kept")::contains, RestoreActionConfig.NONE);

    private static ObjectNode json(String s) {
        try {
            return (ObjectNode) RestoreJson.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode apply(String gr, String ns, String name, String json) {
        return apply(transforms, gr, ns, name, json);
    }

    private static ObjectNode apply(ItemTransforms t, String gr, String ns, String name, String json) {
        ObjectNode obj = json(json);
        return t.apply(new IndexedItem(gr, ns, name, obj.path("apiVersion").asText(), obj.path("kind").asText(), 0, 0), obj);
    }

    @Test
    void resetsServerSetMetadataAndStatusAndAddsVeleroLabels() {
        ObjectNode out = apply("configmaps", "shop", "cfg", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\","
                + "\"namespace\":\"shop\",\"generateName\":\"c-\",\"selfLink\":\"/x\",\"uid\":\"u\",\"resourceVersion\":\"5\",\"generation\":2,"
                + "\"creationTimestamp\":\"2026-01-01T00:00:00Z\",\"deletionTimestamp\":\"2026-01-02T00:00:00Z\",\"deletionGracePeriodSeconds\":30,"
                + "\"ownerReferences\":[{\"kind\":\"X\"}],\"managedFields\":[{}],\"labels\":{\"app\":\"web\"},\"annotations\":{\"a\":\"b\"},"
                + "\"finalizers\":[\"f\"]},\"data\":{\"k\":\"v\"},\"status\":{\"x\":1}}");
        assertThat(out).isEqualTo(json("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"shop-copy\","
                + "\"labels\":{\"app\":\"web\",\"velero.io/backup-name\":\"nightly\",\"velero.io/restore-name\":\"nightly-restore\"},"
                + "\"annotations\":{\"a\":\"b\"},\"finalizers\":[\"f\"]},\"data\":{\"k\":\"v\"}}"));
    }

    @Test
    void servicesLoseClusterIpsAndNodePortsUnlessHeadlessOrPreserved() {
        String svc = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"type\":\"LoadBalancer\",\"externalTrafficPolicy\":\"Local\","
                + "\"clusterIP\":\"10.0.0.5\",\"clusterIPs\":[\"10.0.0.5\"],\"healthCheckNodePort\":31000,"
                + "\"ports\":[{\"port\":80,\"nodePort\":30080}]}}";
        JsonNode spec = apply("services", "shop", "web", svc).path("spec");
        assertThat(spec.has("clusterIP")).isFalse();
        assertThat(spec.has("clusterIPs")).isFalse();
        assertThat(spec.has("healthCheckNodePort")).isFalse();
        assertThat(spec.path("ports").get(0).has("nodePort")).isFalse();
        assertThat(spec.path("ports").get(0).path("port").asInt()).isEqualTo(80);

        ItemTransforms preserving = new ItemTransforms("b", "r", Map.of(), true, n -> false, RestoreActionConfig.NONE);
        JsonNode kept = apply(preserving, "services", "shop", "web", svc).path("spec");
        assertThat(kept.path("ports").get(0).path("nodePort").asInt()).isEqualTo(30080);
        assertThat(kept.path("healthCheckNodePort").asInt()).isEqualTo(31000);
        assertThat(kept.has("clusterIP")).isFalse();

        JsonNode headless = apply("services", "shop", "db", "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"db\"},"
                + "\"spec\":{\"clusterIP\":\"None\",\"clusterIPs\":[\"None\"]}}").path("spec");
        assertThat(headless.path("clusterIP").asText()).isEqualTo("None");
        assertThat(headless.path("clusterIPs").get(0).asText()).isEqualTo("None");
    }

    @Test
    void podsLoseNodeNamePriorityAndServiceAccountTokenVolumes() {
        JsonNode spec = apply("pods", "shop", "web-1", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-1\","
                + "\"ownerReferences\":[{\"kind\":\"ReplicaSet\",\"name\":\"web\",\"controller\":true}]},\"spec\":{\"nodeName\":\"node-1\","
                + "\"priority\":1000,\"priorityClassName\":\"high\",\"serviceAccountName\":\"robot\",\"volumes\":[{\"name\":\"robot-token-abcde\"},"
                + "{\"name\":\"data\"}],\"containers\":[{\"name\":\"c\",\"volumeMounts\":[{\"name\":\"robot-token-abcde\"},{\"name\":\"data\"}]}],"
                + "\"initContainers\":[{\"name\":\"i\",\"volumeMounts\":[{\"name\":\"robot-token-abcde\"}]}]},\"status\":{\"phase\":\"Running\"}}")
                .path("spec");
        assertThat(spec.has("nodeName")).isFalse();
        assertThat(spec.has("priority")).isFalse();
        assertThat(spec.path("priorityClassName").asText()).isEqualTo("high");
        assertThat(spec.path("volumes")).extracting(v -> v.path("name").asText()).containsExactly("data");
        assertThat(spec.path("containers").get(0).path("volumeMounts")).extracting(v -> v.path("name").asText()).containsExactly("data");
        assertThat(spec.path("initContainers").get(0).path("volumeMounts")).isEmpty();
    }

    @Test
    void defaultServiceAccountTokenVolumesGoWhenNoAccountIsNamed() {
        JsonNode spec = apply("pods", "shop", "p", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{"
                + "\"volumes\":[{\"name\":\"default-token-x1\"},{\"name\":\"robot-token-x\"}],\"containers\":[]}}").path("spec");
        assertThat(spec.path("volumes")).extracting(v -> v.path("name").asText()).containsExactly("robot-token-x");
    }

    @Test
    void claimsKeepTheirVolumeOnlyWhenItsPvIsRestored() {
        String pvc = "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"data\",\"annotations\":{"
                + "\"pv.kubernetes.io/bind-completed\":\"yes\",\"pv.kubernetes.io/bound-by-controller\":\"yes\","
                + "\"volume.kubernetes.io/selected-node\":\"node-1\",\"keep\":\"me\"}},\"spec\":{\"volumeName\":\"%s\"}}";
        ObjectNode reprovisioned = apply("persistentvolumeclaims", "shop", "data", pvc.formatted("pv-gone"));
        assertThat(reprovisioned.path("spec").has("volumeName")).isFalse();
        assertThat(reprovisioned.path("metadata").path("annotations")).isEqualTo(json("{\"keep\":\"me\"}"));
        ObjectNode kept = apply("persistentvolumeclaims", "shop", "data", pvc.formatted("pv-kept"));
        assertThat(kept.path("spec").path("volumeName").asText()).isEqualTo("pv-kept");
        assertThat(kept.path("metadata").path("annotations")).isEqualTo(json("{\"keep\":\"me\"}"));
    }

    @Test
    void volumesPointAtTheMappedClaimWithoutItsOldUid() {
        JsonNode out = apply("persistentvolumes", null, "pv-kept", "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolume\",\"metadata\":{"
                + "\"name\":\"pv-kept\",\"annotations\":{\"pv.kubernetes.io/bound-by-controller\":\"yes\"}},\"spec\":{"
                + "\"persistentVolumeReclaimPolicy\":\"Retain\",\"claimRef\":{\"kind\":\"PersistentVolumeClaim\",\"namespace\":\"shop\","
                + "\"name\":\"data\",\"uid\":\"old\",\"resourceVersion\":\"9\"}},\"status\":{\"phase\":\"Bound\"}}");
        assertThat(out.path("spec").path("claimRef")).isEqualTo(json("{\"kind\":\"PersistentVolumeClaim\",\"namespace\":\"shop-copy\",\"name\":\"data\"}"));
        assertThat(out.path("metadata").path("annotations")).isEmpty();
        assertThat(out.path("metadata").has("namespace")).isFalse();
        assertThat(out.has("status")).isFalse();
    }

    @Test
    void namespacesAndBindingSubjectsFollowTheMapping() {
        ObjectNode ns = apply("namespaces", null, "shop", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}");
        assertThat(ns.path("metadata").path("name").asText()).isEqualTo("shop-copy");
        ObjectNode rb = apply("rolebindings.rbac.authorization.k8s.io", "shop", "rb", "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\","
                + "\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"rb\"},\"subjects\":[{\"kind\":\"ServiceAccount\",\"namespace\":\"shop\","
                + "\"name\":\"robot\"},{\"kind\":\"ServiceAccount\",\"namespace\":\"other\",\"name\":\"x\"},{\"kind\":\"User\",\"name\":\"alice\"}]}");
        assertThat(rb.path("subjects")).extracting(s -> s.path("namespace").asText("-")).containsExactly("shop-copy", "other", "-");
        assertThat(rb.path("metadata").path("namespace").asText()).isEqualTo("shop-copy");
        ObjectNode crb = apply("clusterrolebindings.rbac.authorization.k8s.io", null, "crb", "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\","
                + "\"kind\":\"ClusterRoleBinding\",\"metadata\":{\"name\":\"crb\"},\"subjects\":[{\"kind\":\"ServiceAccount\",\"namespace\":\"shop\",\"name\":\"robot\"}]}");
        assertThat(crb.path("subjects").get(0).path("namespace").asText()).isEqualTo("shop-copy");
    }

    @Test
    void serviceAccountsDropTheirLegacyTokenSecrets() {
        ObjectNode sa = apply("serviceaccounts", "shop", "robot", "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"robot\"},"
                + "\"secrets\":[{\"name\":\"robot-token-abc\"},{\"name\":\"registry\"}]}");
        assertThat(sa.path("secrets")).extracting(s -> s.path("name").asText()).containsExactly("registry");
    }

    @Test
    void longNamesBecomeValidLabelValuesAsVeleroMakesThem() {
        String longName = "a".repeat(70);
        String v = ItemTransforms.validLabelValue(longName);
        assertThat(v).hasSize(63).startsWith("a".repeat(57)).matches("a{57}[0-9a-f]{6}");
        assertThat(ItemTransforms.validLabelValue("short")).isEqualTo("short");
    }

    private static String service(String annotations, String managedFields, String ports) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"web\"" + annotations + managedFields
                + "},\"spec\":{\"type\":\"NodePort\",\"ports\":" + ports + "}}";
    }

    private JsonNode nodePorts(String json) {
        JsonNode ports = apply("services", "shop", "web", json).path("spec").path("ports");
        List<String> out = new java.util.ArrayList<>();
        ports.forEach(p -> out.add(p.path("port").asText() + "=" + (p.has("nodePort") ? p.path("nodePort").asText() : "-")));
        return RestoreJson.MAPPER.valueToTree(out);
    }

    @Test
    void nodePortsTheUserSetInTheLastAppliedConfigurationAreKept() {
        String applied = "{\\\"spec\\\":{\\\"ports\\\":[{\\\"name\\\":\\\"http\\\",\\\"port\\\":80,\\\"nodePort\\\":30080},"
                + "{\\\"port\\\":81,\\\"nodePort\\\":\\\"30081\\\"},{\\\"name\\\":\\\"admin\\\",\\\"port\\\":82}]}}";
        String json = service(",\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"" + applied + "\"}", "",
                "[{\"name\":\"http\",\"port\":80,\"nodePort\":30080},{\"port\":81,\"nodePort\":30081},"
                        + "{\"name\":\"admin\",\"port\":82,\"nodePort\":31999},{\"port\":83,\"nodePort\":31998}]");
        assertThat(nodePorts(json)).extracting(JsonNode::asText).containsExactly("80=30080", "81=30081", "82=-", "83=-");
    }

    @Test
    void withoutTheAnnotationNodePortsOwnedInManagedFieldsAreKept() {
        String managed = ",\"managedFields\":[{\"manager\":\"kubectl\",\"operation\":\"Apply\",\"fieldsV1\":{\"f:spec\":{\"f:ports\":{"
                + "\"k:{\\\"port\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\"f:nodePort\":{},\"f:port\":{}},"
                + "\"k:{\\\"port\\\":81,\\\"protocol\\\":\\\"TCP\\\"}\":{\"f:port\":{}}}}}}]";
        String json = service("", managed, "[{\"port\":80,\"protocol\":\"TCP\",\"nodePort\":30080},{\"port\":81,\"protocol\":\"TCP\",\"nodePort\":30081}]");
        assertThat(nodePorts(json)).extracting(JsonNode::asText).containsExactly("80=30080", "81=-");
        ObjectNode out = apply("services", "shop", "web", json);
        assertThat(out.path("metadata").has("managedFields")).as("still reset").isFalse();
    }

    @Test
    void healthCheckNodePortIsKeptOnlyWhenTheUserSetIt() {
        String lb = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"lb\"%s},\"spec\":{\"type\":\"LoadBalancer\","
                + "\"externalTrafficPolicy\":\"Local\",\"healthCheckNodePort\":31000,\"ports\":[{\"port\":80}]}}";
        assertThat(apply("services", "shop", "lb", lb.formatted("")).path("spec").has("healthCheckNodePort")).isFalse();
        String applied = ",\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"spec\\\":{\\\"healthCheckNodePort\\\":31000}}\"}";
        assertThat(apply("services", "shop", "lb", lb.formatted(applied)).path("spec").path("healthCheckNodePort").asInt()).isEqualTo(31000);
    }

    @Test
    void serviceAccountTokenSecretsLoseWhatTheTokenControllerReissues() {
        ObjectNode out = apply("secrets", "shop", "robot-long-lived", "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{"
                + "\"name\":\"robot-long-lived\",\"annotations\":{\"kubernetes.io/service-account.name\":\"robot\","
                + "\"kubernetes.io/service-account.uid\":\"u-1\"}},\"type\":\"kubernetes.io/service-account-token\","
                + "\"data\":{\"token\":\"dA==\",\"ca.crt\":\"Yw==\",\"namespace\":\"c2hvcA==\",\"extra\":\"eA==\"}}");
        assertThat(out.path("metadata").path("annotations").fieldNames()).toIterable().containsExactly("kubernetes.io/service-account.name");
        assertThat(out.path("data").fieldNames()).toIterable().containsExactly("namespace", "extra");

        ObjectNode opaque = apply("secrets", "shop", "creds", "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"creds\"},"
                + "\"type\":\"Opaque\",\"data\":{\"token\":\"dA==\"}}");
        assertThat(opaque.path("data").has("token")).isTrue();
    }

    @Test
    void v1CrdsWithPreserveUnknownFieldsGetItOnTheirSchemas() {
        ObjectNode out = apply(RestoreSelection.CRDS, null, "widgets.example.com", "{\"apiVersion\":\"apiextensions.k8s.io/v1\","
                + "\"kind\":\"CustomResourceDefinition\",\"metadata\":{\"name\":\"widgets.example.com\"},\"spec\":{\"preserveUnknownFields\":true,"
                + "\"versions\":[{\"name\":\"v1\",\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\"}}},{\"name\":\"v2\"}]}}");
        assertThat(out.path("spec").path("preserveUnknownFields").asBoolean()).isFalse();
        assertThat(out.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema")
                .path("x-kubernetes-preserve-unknown-fields").asBoolean()).isTrue();
        assertThat(out.path("spec").path("versions").get(1).has("schema")).isFalse();
    }

    @Test
    void webhooksWithSideEffectsV1RefusesGetNone() {
        ObjectNode out = apply("validatingwebhookconfigurations.admissionregistration.k8s.io", null, "hooks",
                "{\"apiVersion\":\"admissionregistration.k8s.io/v1\",\"kind\":\"ValidatingWebhookConfiguration\",\"metadata\":{\"name\":\"hooks\"},"
                        + "\"webhooks\":[{\"name\":\"a\",\"sideEffects\":\"Unknown\"},{\"name\":\"b\",\"sideEffects\":\"NoneOnDryRun\"},{\"name\":\"c\"}]}");
        assertThat(out.path("webhooks")).extracting(w -> w.path("sideEffects").asText()).containsExactly("None", "NoneOnDryRun", "None");
    }
}
