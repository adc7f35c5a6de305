package io.kbackup.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EmbeddedClusterCrudIT extends EmbeddedClusterITSupport {

  @Test
  void createSetsUidResourceVersionCreationTimestampAndGeneration() {
    ConfigMap first = client.configMaps().inNamespace("meta").resource(configMap("first")).create();
    ConfigMap second =
        client.configMaps().inNamespace("meta").resource(configMap("second")).create();

    ObjectMeta m = first.getMetadata();
    assertThat(m.getUid()).isNotEmpty();
    assertThat(m.getCreationTimestamp()).isNotEmpty();
    assertThat(Instant.parse(m.getCreationTimestamp()))
        .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
    assertThat(m.getGeneration()).isEqualTo(1L);
    assertThat(second.getMetadata().getUid()).isNotEqualTo(m.getUid());
    assertThat(Long.parseLong(second.getMetadata().getResourceVersion()))
        .isGreaterThan(Long.parseLong(m.getResourceVersion()));
    // what a later GET returns is what the create returned
    assertThat(client.configMaps().inNamespace("meta").withName("first").get().getMetadata())
        .isEqualTo(m);
  }

  @Test
  void updatePatchAndDeleteWork() {
    client.configMaps().inNamespace("edit").resource(configMap("cm")).create();

    ConfigMap updated = client.configMaps().inNamespace("edit").withName("cm")
        .edit(cm -> new ConfigMapBuilder(cm).addToData("k2", "v2").build());
    assertThat(updated.getData()).containsEntry("k2", "v2");
    assertThat(Long.parseLong(updated.getMetadata().getResourceVersion())).isPositive();

    client.configMaps().inNamespace("edit").withName("cm")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"k3\":\"v3\"}}");
    assertThat(client.configMaps().inNamespace("edit").withName("cm").get().getData())
        .containsEntry("k2", "v2").containsEntry("k3", "v3");

    client.configMaps().inNamespace("edit").withName("cm").delete();
    assertThat(client.configMaps().inNamespace("edit").withName("cm").get()).isNull();
  }

  @Test
  void strategicMergePatchMergesContainersByName() {
    client.apps().deployments().inNamespace("smp").resource(new DeploymentBuilder()
        .withNewMetadata().withName("web").endMetadata()
        .withNewSpec().withReplicas(1).withNewTemplate().withNewSpec()
        .addNewContainer().withName("app").withImage("app:1").endContainer()
        .addNewContainer().withName("sidecar").withImage("proxy:1").endContainer()
        .endSpec().endTemplate().endSpec().build()).create();

    Deployment patched = client.apps().deployments().inNamespace("smp").withName("web").patch(
        "{\"spec\":{\"replicas\":3,\"template\":{\"spec\":{\"containers\":"
            + "[{\"name\":\"app\",\"image\":\"app:2\"}]}}}}");

    assertThat(patched.getSpec().getReplicas()).isEqualTo(3);
    assertThat(patched.getSpec().getTemplate().getSpec().getContainers())
        .extracting(c -> c.getName() + "=" + c.getImage())
        .containsExactly("app=app:2", "sidecar=proxy:1");
    assertThat(client.apps().deployments().inNamespace("smp").withName("web").get().getSpec()
        .getReplicas()).isEqualTo(3);
  }

  @Test
  void serverSideApplyCreatesThenUpdates() {
    ConfigMap applied = client.configMaps().inNamespace("ssa")
        .resource(configMap("cfg")).fieldManager("test").forceConflicts().serverSideApply();
    assertThat(applied.getMetadata().getUid()).isNotEmpty();

    ConfigMap changed = new ConfigMapBuilder(configMap("cfg")).addToData("extra", "1").build();
    client.configMaps().inNamespace("ssa").resource(changed).fieldManager("test")
        .forceConflicts().serverSideApply();

    ConfigMap got = client.configMaps().inNamespace("ssa").withName("cfg").get();
    assertThat(got.getData()).containsEntry("k", "v").containsEntry("extra", "1");
    assertThat(got.getMetadata().getUid()).isEqualTo(applied.getMetadata().getUid());
  }

  @Test
  void createGeneratesNamesAndRandomUids() {
    ConfigMap generated = client.configMaps().inNamespace("gen").resource(new ConfigMapBuilder()
        .withNewMetadata().withGenerateName("job-").endMetadata().build()).create();

    assertThat(generated.getMetadata().getName()).startsWith("job-").hasSize(9);
    assertThat(java.util.UUID.fromString(generated.getMetadata().getUid()).version())
        .isEqualTo(4);
  }

  @Test
  void createRefusesMissingNameAndMismatchedNamespace() throws Exception {
    assertThatThrownBy(() -> client.configMaps().inNamespace("bad").resource(new ConfigMapBuilder()
        .withNewMetadata().endMetadata().build()).create())
        .isInstanceOfSatisfying(KubernetesClientException.class,
            e -> assertThat(e.getCode()).isEqualTo(422));

    // raw HTTP: the fabric8 client would align the namespace itself
    java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(cluster.url() + "/api/v1/namespaces/bad/configmaps"))
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\","
                + "\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"namespace\":\"other\"}}"))
            .build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("does not match the namespace");
    assertThat(client.configMaps().inNamespace("other").withName("x").get()).isNull();
  }

  @Test
  void createOfAnExistingNameIsAConflict() {
    client.configMaps().inNamespace("dup").resource(configMap("cm")).create();

    assertThatThrownBy(() -> client.configMaps().inNamespace("dup").resource(configMap("cm"))
        .create())
        .isInstanceOfSatisfying(KubernetesClientException.class,
            e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void sameNameInAnotherNamespaceOrGroupIsDistinct() {
    client.configMaps().inNamespace("a").resource(configMap("same")).create();
    client.configMaps().inNamespace("b").resource(configMap("same")).create();
    client.secrets().inNamespace("a").resource(new SecretBuilder()
        .withNewMetadata().withName("same").endMetadata().build()).create();

    assertThat(client.configMaps().inNamespace("a").withName("same").get()).isNotNull();
    assertThat(client.configMaps().inNamespace("b").withName("same").get()).isNotNull();
    assertThat(client.secrets().inNamespace("a").withName("same").get()).isNotNull();
    assertThat(client.secrets().inNamespace("b").withName("same").get()).isNull();
  }

  @Test
  void listsOnlyTheRequestedTypeAndGroup() {
    cluster.seed(Stream.of(
        new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata().withName("e")
            .withNamespace("types").endMetadata().withReason("core").build(),
        new io.fabric8.kubernetes.api.model.events.v1.EventBuilder().withNewMetadata()
            .withName("e").withNamespace("types").endMetadata().withReason("new").build(),
        new SecretBuilder().withNewMetadata().withName("e").withNamespace("types").endMetadata()
            .build()));

    assertThat(client.v1().events().inNamespace("types").list().getItems())
        .extracting(e -> e.getReason()).containsExactly("core");
    assertThat(client.events().v1().events().inNamespace("types").list().getItems())
        .extracting(e -> e.getReason()).containsExactly("new");
    assertThat(client.configMaps().inNamespace("types").list().getItems()).isEmpty();
  }

  @Test
  void startsWithTheDefaultNamespaces() {
    assertThat(client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
        .contains("default", "kube-system", "kube-public", "kube-node-lease");
    Namespace def = client.namespaces().withName("default").get();
    assertThat(def.getStatus().getPhase()).isEqualTo("Active");
  }

  @Test
  void watchSeesCreates() throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    try (Watch ignored = client.configMaps().inNamespace("watched").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, ConfigMap resource) {
        events.add(action + " " + resource.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    })) {
      client.configMaps().inNamespace("watched").resource(configMap("w1")).create();
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED w1");
    }
  }

  @Test
  void aWatchFromAVersionAfterWhichTheKindChangedIsGone() throws Exception {
    String listed = client.configMaps().inNamespace("stale").list().getMetadata().getResourceVersion();
    client.configMaps().inNamespace("stale").resource(configMap("changed-meanwhile")).create();
    BlockingQueue<Object> closed = new LinkedBlockingQueue<>();
    Watcher<ConfigMap> watcher = new Watcher<>() {
      @Override
      public void eventReceived(Action action, ConfigMap resource) {
      }

      @Override
      public void onClose(WatcherException cause) {
        closed.add(cause.isHttpGone());
      }
    };
    try (Watch ignored = client.configMaps().inNamespace("stale").withResourceVersion(listed).watch(watcher)) {
      assertThat(closed.poll(10, TimeUnit.SECONDS)).isEqualTo(true);
    } catch (KubernetesClientException e) {
      assertThat(e.getCode()).isEqualTo(410);
    }
  }

  @Test
  void anInformerStartedWhileItsObjectsChangeEndsWithTheirLatestState() throws Exception {
    client.configMaps().inNamespace("busy").resource(configMap("counter")).create();
    Thread writer = new Thread(() -> {
      for (int i = 1; i <= 200; i++) {
        int n = i;
        client.configMaps().inNamespace("busy").withName("counter").edit(c -> {
          c.setData(java.util.Map.of("n", Integer.toString(n)));
          return c;
        });
      }
    });
    writer.start();
    try (var informer = client.configMaps().inNamespace("busy").inform()) {
      writer.join();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!"200".equals(counter(informer)) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(counter(informer)).isEqualTo("200");
    }
  }

  private static String counter(io.fabric8.kubernetes.client.informers.SharedIndexInformer<ConfigMap> informer) {
    ConfigMap c = informer.getStore().getByKey("busy/counter");
    return c == null || c.getData() == null ? null : c.getData().get("n");
  }

  @Test
  void seedKeepsGivenUidsAndStoresLikeCreate() {
    Deployment deployment = new DeploymentBuilder()
        .withNewMetadata().withName("web").withNamespace("seeded").withUid("uid-web").endMetadata()
        .withNewSpec().withReplicas(2).endSpec()
        .build();
    Secret secret = new SecretBuilder()
        .withNewMetadata().withName("s").withNamespace("seeded").endMetadata()
        .addToStringData("password", "x")
        .build();

    long stored = cluster.seed(Stream.of(deployment, secret));

    assertThat(stored).isEqualTo(2);
    Deployment got = client.apps().deployments().inNamespace("seeded").withName("web").get();
    assertThat(got.getMetadata().getUid()).isEqualTo("uid-web");
    assertThat(got.getMetadata().getResourceVersion()).isNotEmpty();
    assertThat(got.getMetadata().getCreationTimestamp()).isNotEmpty();
    assertThat(got.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getMetadata().getResourceVersion()).as("caller's object untouched")
        .isNull();
    Secret gotSecret = client.secrets().inNamespace("seeded").withName("s").get();
    assertThat(gotSecret.getMetadata().getUid()).isNotEmpty();
    assertThat(client.apps().deployments().inNamespace("seeded").list().getItems()).hasSize(1);
  }

  @Test
  void seedJsonStoresDocumentsIncludingCustomResourcesOfASeededCrd() {
    long stored = cluster.seedJson(Stream.of(
        "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\","
            + "\"metadata\":{\"name\":\"backups.velero.io\"},\"spec\":{\"group\":\"velero.io\","
            + "\"scope\":\"Namespaced\",\"names\":{\"plural\":\"backups\",\"kind\":\"Backup\"},"
            + "\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":true}]}}",
        "{\"apiVersion\":\"velero.io/v1\",\"kind\":\"Backup\","
            + "\"metadata\":{\"name\":\"nightly\",\"namespace\":\"velero\"},\"spec\":{\"ttl\":\"72h\"}}"));

    assertThat(stored).isEqualTo(2);
    assertThat(client.genericKubernetesResources("velero.io/v1", "Backup").inNamespace("velero")
        .withName("nightly").get().<String>get("spec", "ttl")).isEqualTo("72h");
    assertThatThrownBy(() -> cluster.seedJson(Stream.of("[1, 2]")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void seedStoresACustomResourceOnceWhateverServedVersionItNames() {
    cluster.seedJson(Stream.of(
        "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\","
            + "\"metadata\":{\"name\":\"gizmos.seed.kbackup.io\"},\"spec\":{\"group\":"
            + "\"seed.kbackup.io\",\"scope\":\"Namespaced\",\"names\":{\"plural\":\"gizmos\","
            + "\"kind\":\"Gizmo\"},\"versions\":[{\"name\":\"v1\",\"served\":true,"
            + "\"storage\":true},{\"name\":\"v1beta1\",\"served\":true,\"storage\":false}]}}",
        "{\"apiVersion\":\"seed.kbackup.io/v1beta1\",\"kind\":\"Gizmo\","
            + "\"metadata\":{\"name\":\"g\",\"namespace\":\"seeded\"},\"spec\":{\"n\":1}}"));

    for (String version : List.of("v1", "v1beta1")) {
      GenericKubernetesResource got = client.genericKubernetesResources("seed.kbackup.io/"
          + version, "Gizmo").inNamespace("seeded").withName("g").get();
      assertThat(got.getApiVersion()).isEqualTo("seed.kbackup.io/" + version);
      assertThat(got.<Integer>get("spec", "n")).isEqualTo(1);
    }
  }

  @Test
  void seedRejectsDuplicatesUnknownKindsAndNamespacedClusterObjects() {
    cluster.seed(Stream.of(configMap("once")));
    assertThatThrownBy(() -> cluster.seed(Stream.of(configMap("once"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");

    assertThatThrownBy(() -> cluster.seed(Stream.of(
        new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
            .withApiVersion("nope.example.com/v1").withKind("Nope")
            .withNewMetadata().withName("n").endMetadata().build())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CRD");

    assertThatThrownBy(() -> cluster.seed(Stream.of(new io.fabric8.kubernetes.api.model
            .NamespaceBuilder().withNewMetadata().withName("x").withNamespace("y").endMetadata()
        .build())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster-scoped");
  }

  private static ConfigMap configMap(String name) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata()
        .addToData("k", "v").build();
  }

  @SuppressWarnings("unused")
  private static List<String> names(List<ConfigMap> items) {
    return items.stream().map(c -> c.getMetadata().getName()).toList();
  }
}
