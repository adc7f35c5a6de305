package io.kbackup.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EmbeddedClusterDiscoveryIT extends EmbeddedClusterITSupport {

  @Test
  void servesVersion() {
    VersionInfo version = client.getKubernetesVersion();
    assertThat(version.getMajor()).isEqualTo("1");
    assertThat(version.getMinor()).isEqualTo("32");
    assertThat(version.getGitVersion()).isEqualTo("v1.32.0");
  }

  @Test
  void servesCoreResourcesWithSubresourcesListedAsSlashNames() {
    APIResourceList core = client.getApiResources("v1");
    Map<String, APIResource> byName = core.getResources().stream()
        .collect(Collectors.toMap(APIResource::getName, r -> r));
    assertThat(byName).containsKeys("pods", "services", "configmaps", "secrets",
        "serviceaccounts", "persistentvolumeclaims", "persistentvolumes", "namespaces", "nodes",
        "events", "endpoints", "limitranges", "resourcequotas", "replicationcontrollers",
        "podtemplates", "pods/status", "pods/log");
    APIResource pods = byName.get("pods");
    assertThat(pods.getKind()).isEqualTo("Pod");
    assertThat(pods.getNamespaced()).isTrue();
    assertThat(pods.getSingularName()).isEqualTo("pod");
    assertThat(pods.getShortNames()).containsExactly("po");
    assertThat(pods.getVerbs()).containsExactlyInAnyOrder("create", "delete", "deletecollection",
        "get", "list", "patch", "update", "watch");
    assertThat(byName.get("namespaces").getNamespaced()).isFalse();
    assertThat(byName.get("pods/log").getVerbs()).containsExactly("get");
  }

  @Test
  void servesAppsGroupVersion() {
    APIResourceList apps = client.getApiResources("apps/v1");
    assertThat(apps.getGroupVersion()).isEqualTo("apps/v1");
    assertThat(apps.getResources()).extracting(APIResource::getName)
        .contains("deployments", "replicasets", "statefulsets", "daemonsets",
            "controllerrevisions", "deployments/status", "deployments/scale");
    APIResource deployments = apps.getResources().stream()
        .filter(r -> r.getName().equals("deployments")).findFirst().orElseThrow();
    assertThat(deployments.getShortNames()).containsExactly("deploy");
    APIResource scale = apps.getResources().stream()
        .filter(r -> r.getName().equals("deployments/scale")).findFirst().orElseThrow();
    assertThat(scale.getGroup()).isEqualTo("autoscaling");
    assertThat(scale.getKind()).isEqualTo("Scale");
  }

  @Test
  void servesGroupsWithPreferredVersions() {
    APIGroupList groups = client.getApiGroups();
    Map<String, APIGroup> byName = groups.getGroups().stream()
        .collect(Collectors.toMap(APIGroup::getName, g -> g));
    assertThat(byName).containsKeys("apps", "batch", "rbac.authorization.k8s.io",
        "storage.k8s.io", "networking.k8s.io", "policy", "apiextensions.k8s.io",
        "snapshot.storage.k8s.io", "coordination.k8s.io", "scheduling.k8s.io", "events.k8s.io",
        "autoscaling", "discovery.k8s.io");
    assertThat(byName.get("autoscaling").getPreferredVersion().getGroupVersion())
        .isEqualTo("autoscaling/v2");
    assertThat(client.getApiGroup("batch").getVersions())
        .extracting(v -> v.getGroupVersion()).containsExactly("batch/v1");
    assertThat(client.getApiResources("coordination.k8s.io/v1").getResources())
        .extracting(APIResource::getName).containsExactly("leases");
  }

  @Test
  void crdCreatedAtRunTimeAppearsInDiscoveryAndServesItsResources() {
    CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName("widgets.example.com").endMetadata()
        .withNewSpec()
        .withGroup("example.com")
        .withScope("Namespaced")
        .withNewNames().withPlural("widgets").withSingular("widget").withKind("Widget")
        .withShortNames("wd").endNames()
        .addNewVersion().withName("v1beta1").withServed(true).withStorage(false)
        .withNewSchema().withNewOpenAPIV3Schema().withType("object")
        .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
        .endVersion()
        .addNewVersion().withName("v1").withServed(true).withStorage(true)
        .withNewSchema().withNewOpenAPIV3Schema().withType("object")
        .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
        .withNewSubresources().withNewStatus().endStatus().endSubresources()
        .endVersion()
        .endSpec()
        .build();
    assertThat(client.getApiGroups().getGroups()).extracting(APIGroup::getName)
        .doesNotContain("example.com");

    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();

    APIGroup group = client.getApiGroups().getGroups().stream()
        .filter(g -> g.getName().equals("example.com")).findFirst().orElseThrow();
    assertThat(group.getPreferredVersion().getVersion()).isEqualTo("v1");
    assertThat(group.getVersions()).extracting(v -> v.getVersion())
        .containsExactlyInAnyOrder("v1", "v1beta1");
    List<APIResource> resources = client.getApiResources("example.com/v1").getResources();
    assertThat(resources).extracting(APIResource::getName).containsExactly("widgets",
        "widgets/status");
    assertThat(resources.get(0).getKind()).isEqualTo("Widget");
    assertThat(resources.get(0).getShortNames()).containsExactly("wd");

    ResourceDefinitionContext context = new ResourceDefinitionContext.Builder()
        .withGroup("example.com").withVersion("v1").withKind("Widget").withPlural("widgets")
        .withNamespaced(true).build();
    GenericKubernetesResource widget = new GenericKubernetesResourceBuilder()
        .withApiVersion("example.com/v1").withKind("Widget")
        .withNewMetadata().withName("w1").withNamespace("team-a").endMetadata()
        .addToAdditionalProperties("spec", Map.of("size", 3))
        .build();
    client.genericKubernetesResources(context).inNamespace("team-a").resource(widget).create();

    List<GenericKubernetesResource> listed =
        client.genericKubernetesResources(context).inAnyNamespace().list().getItems();
    assertThat(listed).extracting(r -> r.getMetadata().getName()).containsExactly("w1");
    assertThat(listed.get(0).<Integer>get("spec", "size")).isEqualTo(3);

    client.apiextensions().v1().customResourceDefinitions().withName("widgets.example.com")
        .delete();
    assertThat(client.getApiGroups().getGroups()).extracting(APIGroup::getName)
        .doesNotContain("example.com");
  }

  @Test
  void extraResourceTypesFromTheBuilderAreServed() {
    try (EmbeddedCluster extra = EmbeddedCluster.builder()
            .addResource("velero.io/v1", "Backup", "backups", true).start();
        KubernetesClient c = extra.client()) {
      assertThat(c.getApiGroups().getGroups()).extracting(APIGroup::getName)
          .contains("velero.io");
      assertThat(c.getApiResources("velero.io/v1").getResources())
          .extracting(APIResource::getName).containsExactly("backups", "backups/status");

      c.genericKubernetesResources("velero.io/v1", "Backup").inNamespace("velero")
          .resource(new GenericKubernetesResourceBuilder().withApiVersion("velero.io/v1")
              .withKind("Backup").withNewMetadata().withName("b1").endMetadata().build())
          .create();

      assertThat(c.genericKubernetesResources("velero.io/v1", "Backup").inAnyNamespace().list()
          .getItems()).extracting(b -> b.getMetadata().getName()).containsExactly("b1");
    }
  }
}
