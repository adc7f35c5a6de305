package io.kbackup.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.testkit.servers.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real kubectl (1.35, built by {@code .ci/servers/build.sh}) against the embedded cluster;
 * {@code KubectlRealIT} runs the same against a real kube-apiserver.
 */
class KubectlAgainstEmbeddedClusterIT {

  private static Path kubectlBinary;

  @TempDir
  static Path dir;

  static TestCluster cluster;
  private static KubernetesClient client;
  private static Path kubeconfig;

  @BeforeAll
  static void start() {
    start(EmbeddedCluster::start);
  }

  static void start(java.util.function.Supplier<TestCluster> starter) {
    kubectlBinary = TestServers.require("kubectl");
    cluster = starter.get();
    client = cluster.client();
    kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
      cluster.close();
    }
  }

  @Test
  void apiResourcesListsBuiltInTypesAndCrds() throws Exception {
    client.apiextensions().v1().customResourceDefinitions().resource(
        new CustomResourceDefinitionBuilder()
            .withNewMetadata().withName("gadgets.example.org").endMetadata()
            .withNewSpec().withGroup("example.org").withScope("Cluster")
            .withNewNames().withPlural("gadgets").withSingular("gadget").withKind("Gadget")
            .endNames()
            .addNewVersion().withName("v1").withServed(true).withStorage(true)
            .withNewSchema().withNewOpenAPIV3Schema().withType("object")
            .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema().endVersion()
            .endSpec().build()).create();

    String out = kubectl("api-resources");

    assertThat(out.lines()).anySatisfy(l -> assertThat(l).startsWith("deployments")
        .contains("deploy", "apps/v1", "true", "Deployment"));
    assertThat(out.lines()).anySatisfy(l -> assertThat(l).startsWith("leases")
        .contains("coordination.k8s.io/v1"));
    assertThat(out.lines()).anySatisfy(l -> assertThat(l).startsWith("gadgets")
        .contains("example.org/v1", "false", "Gadget"));
    assertThat(out).doesNotContain("pods/log");
  }

  @Test
  void getConfigMapsInAllNamespacesFollowsContinueTokens() throws Exception {
    cluster.seed(Stream.concat(IntStream.range(0, 3).mapToObj(i -> new NamespaceBuilder()
        .withNewMetadata().withName("kubectl-" + i).endMetadata().build()),
        IntStream.range(0, 120).mapToObj(i -> new ConfigMapBuilder()
        .withNewMetadata().withName("k" + i).withNamespace("kubectl-" + (i % 3)).endMetadata()
        .addToData("i", Integer.toString(i)).build())));

    String json = kubectl("get", "configmaps", "-A", "-o", "json", "--chunk-size=50");

    JsonNode items = new ObjectMapper().readTree(json).path("items");
    List<String> names = new ArrayList<>();
    items.forEach(i -> names.add(i.path("metadata").path("name").asText()));
    // a real cluster also has a kube-root-ca.crt in every namespace and kube-system's own
    assertThat(names).filteredOn(n -> n.matches("k[0-9]+")).hasSize(120).doesNotHaveDuplicates();
  }

  @Test
  void applyCreatesObjectsVisibleThroughTheClient() throws Exception {
    Path manifest = dir.resolve("app.yaml");
    Files.writeString(manifest, String.join("\n",
        "apiVersion: v1",
        "kind: Namespace",
        "metadata:",
        "  name: applied",
        "---",
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: settings",
        "  namespace: applied",
        "data:",
        "  mode: fast",
        "---",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        "  name: web",
        "  namespace: applied",
        "spec:",
        "  replicas: 2",
        "  selector:",
        "    matchLabels: {app: web}",
        "  template:",
        "    metadata:",
        "      labels: {app: web}",
        "    spec:",
        "      containers:",
        "      - name: web",
        "        image: nginx:1.27",
        ""), StandardCharsets.UTF_8);

    String out = kubectl("apply", "-f", manifest.toString(), "--validate=false");

    assertThat(out).contains("namespace/applied created", "configmap/settings created",
        "deployment.apps/web created");
    ConfigMap settings = client.configMaps().inNamespace("applied").withName("settings").get();
    assertThat(settings.getData()).containsEntry("mode", "fast");
    assertThat(settings.getMetadata().getUid()).isNotEmpty();
    Deployment web = client.apps().deployments().inNamespace("applied").withName("web").get();
    assertThat(web.getSpec().getReplicas()).isEqualTo(2);
    assertThat(client.namespaces().withName("applied").get()).isNotNull();

    Files.writeString(manifest, Files.readString(manifest).replace("mode: fast", "mode: safe")
        .replace("replicas: 2", "replicas: 4"));
    assertThat(kubectl("apply", "-f", manifest.toString(), "--validate=false"))
        .contains("configmap/settings configured", "deployment.apps/web configured");
    assertThat(client.configMaps().inNamespace("applied").withName("settings").get().getData())
        .containsEntry("mode", "safe");
    Deployment reapplied = client.apps().deployments().inNamespace("applied").withName("web").get();
    assertThat(reapplied.getSpec().getReplicas()).isEqualTo(4);
    assertThat(reapplied.getSpec().getTemplate().getSpec().getContainers())
        .extracting(c -> c.getImage()).containsExactly("nginx:1.27");

    assertThat(kubectl("delete", "configmap", "settings", "-n", "applied"))
        .contains("deleted");
    assertThat(client.configMaps().inNamespace("applied").withName("settings").get()).isNull();
  }

  private static String kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(kubectlBinary.toString(),
        "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", dir.resolve("kube-cache").toString(),
        "--request-timeout=30s"));
    command.addAll(List.of(args));
    Path output = Files.createTempFile(dir, "kubectl", ".out");
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish: "
          + Files.readString(output));
    }
    String out = Files.readString(output);
    assertThat(p.exitValue()).as("kubectl %s exit code; output:%n%s", String.join(" ", args), out)
        .isZero();
    return out;
  }
}
