package io.kbackup.core.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.kbackup.core.internal.layout.GzipJson;
import io.kbackup.core.internal.layout.TestTarReader;
import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.cluster.TestCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Objects for backup tests, built with fabric8 builders, and readers of what a backup wrote. */
final class BackupFixture {
    private BackupFixture() {}

    static HasMetadata namespace(String name) {
        return new NamespaceBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/metadata.name", name)
                .endMetadata().build();
    }

    static HasMetadata configMap(String ns, String name, Map<String, String> labels) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels).endMetadata()
                .addToData("key", "value-" + name).build();
    }

    static HasMetadata secret(String ns, String name) {
        return new SecretBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .addToStringData("password", "not-a-real-secret").withType("Opaque").build();
    }

    static HasMetadata serviceAccount(String ns, String name) {
        return new ServiceAccountBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata().build();
    }

    static HasMetadata pvc(String ns, String name, String volumeName) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withVolumeName(volumeName)
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build();
    }

    static HasMetadata pv(String name) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addToCapacity("storage", new Quantity("1Gi")).withAccessModes("ReadWriteOnce")
                .withNewHostPath().withPath("/data/" + name).endHostPath().endSpec().build();
    }

    static HasMetadata pod(String ns, String name, String priorityClass) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withPriorityClassName(priorityClass).addNewContainer().withName("c").withImage("nginx:1.27")
                .endContainer().endSpec().build();
    }

    static HasMetadata priorityClass(String name) {
        return new PriorityClassBuilder().withNewMetadata().withName(name).endMetadata().withValue(1000).build();
    }

    static HasMetadata clusterRole(String name) {
        return new ClusterRoleBuilder().withNewMetadata().withName(name).endMetadata()
                .addNewRule().withApiGroups("").withResources("pods").withVerbs("get", "list").endRule().build();
    }

    static HasMetadata clusterRoleBinding(String name, String role, String saNamespace, String sa) {
        return new ClusterRoleBindingBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withNamespace(saNamespace).withName(sa).endSubject().build();
    }

    static HasMetadata storageClass(String name) {
        return new StorageClassBuilder().withNewMetadata().withName(name).endMetadata().withProvisioner("example.com/disk").build();
    }

    static HasMetadata node(String name, boolean unschedulable, Map<String, String> labels) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withUnschedulable(unschedulable).endSpec().build();
    }

    static HasMetadata crd(String group, String plural, String kind) {
        return new CustomResourceDefinitionBuilder().withNewMetadata().withName(plural + "." + group).endMetadata()
                .withNewSpec().withGroup(group).withScope("Namespaced")
                .withNewNames().withPlural(plural).withKind(kind).withSingular(kind.toLowerCase()).endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion().endSpec().build();
    }

    static GenericKubernetesResource custom(String apiVersion, String kind, String ns, String name) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(apiVersion);
        r.setKind(kind);
        ObjectMeta m = new ObjectMeta();
        m.setNamespace(ns);
        m.setName(name);
        r.setMetadata(m);
        r.setAdditionalProperty("spec", Map.of("size", 3, "tier", "gold"));
        return r;
    }

    /** The tarball of a backup in a local-folder location. */
    static Map<String, byte[]> archive(Path folder, String backup) throws IOException {
        return TestTarReader.readTarGz(Files.readAllBytes(folder.resolve("backups/" + backup + "/" + backup + ".tar.gz")));
    }

    /** The classic item paths in an archive, sorted. */
    static TreeSet<String> classicPaths(Map<String, byte[]> archive) {
        TreeSet<String> out = new TreeSet<>();
        for (String name : archive.keySet()) {
            if (name.startsWith("resources/") && !name.contains("-preferredversion/")) {
                out.add(name);
            }
        }
        return out;
    }

    /** GET from the API server with the JDK client (independent of fabric8), as JSON. */
    static JsonNode get(TestCluster cluster, String path) throws Exception {
        HttpClient.Builder http = HttpClient.newBuilder();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.url() + path));
        if (cluster instanceof RealCluster real) {
            http.sslContext(real.sslContext());
            request.header("Authorization", "Bearer " + real.adminToken());
        }
        HttpResponse<String> r = http.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s", path).isEqualTo(200);
        return GzipJson.MAPPER.readTree(r.body());
    }

    static List<String> lines(String s) {
        return new ArrayList<>(s.lines().toList());
    }
}
