package io.kbackup.testkit.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kbackup.testkit.cluster.internal.ApiDiscovery;
import io.kbackup.testkit.cluster.internal.ClusterStore;
import io.kbackup.testkit.cluster.internal.ResourceType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * How {@link EmbeddedCluster#seed} stores fixture objects without HTTP: each object is checked,
 * placed at its type's path (custom resources at their CRD's storage version) and handed to the
 * store, which fills in what a create would; plus the default namespaces a new cluster holds.
 */
final class EmbeddedClusterSeeding {

  private static final List<String> DEFAULT_NAMESPACES =
      List.of("default", "kube-node-lease", "kube-public", "kube-system");

  private final ClusterStore store;
  private final ApiDiscovery discovery;

  EmbeddedClusterSeeding(ClusterStore store, ApiDiscovery discovery) {
    this.store = store;
    this.discovery = discovery;
  }

  /** The namespaces of a new cluster, as a real one has them. */
  static List<HasMetadata> defaultNamespaces() {
    List<HasMetadata> namespaces = new ArrayList<>();
    for (String ns : DEFAULT_NAMESPACES) {
      GenericKubernetesResource n = new GenericKubernetesResource();
      n.setApiVersion("v1");
      n.setKind("Namespace");
      n.setMetadata(new ObjectMeta());
      n.getMetadata().setName(ns);
      n.getMetadata().setLabels(Map.of("kubernetes.io/metadata.name", ns));
      n.setAdditionalProperty("spec", Map.of("finalizers", List.of("kubernetes")));
      n.setAdditionalProperty("status", Map.of("phase", "Active"));
      namespaces.add(n);
    }
    return namespaces;
  }

  /** Stores the objects in stream order; the caller holds the cluster exclusively. */
  long seed(Stream<? extends HasMetadata> objects) {
    long[] count = new long[1];
    Map<String, ResourceType> types = new HashMap<>();
    objects.forEach(o -> {
      GenericKubernetesResource g = toGeneric(o);
      String typeKey = g.getApiVersion() + "/" + g.getKind();
      ResourceType type = types.computeIfAbsent(typeKey,
          k -> discovery.findByKind(g.getApiVersion(), g.getKind()));
      if (type == null) {
        types.remove(typeKey);
        throw new IllegalArgumentException("cannot seed " + g.getKind() + " '"
            + g.getMetadata().getName() + "': no resource type serves apiVersion "
            + g.getApiVersion() + " kind " + g.getKind()
            + "; seed or create its CRD first, or add it with Builder.addResource");
      }
      ObjectMeta meta = g.getMetadata();
      String storage = discovery.storageVersion(type.group(), type.plural());
      String prefix = prefix(type);
      if (storage != null && !storage.equals(type.version())) {
        // a custom resource is stored once, at its CRD's storage version
        g.setApiVersion(type.group() + "/" + storage);
        prefix = "/apis/" + type.group() + "/" + storage;
      }
      String path;
      if (type.namespaced()) {
        if (meta.getNamespace() == null || meta.getNamespace().isEmpty()) {
          meta.setNamespace("default");
        }
        path = prefix + "/namespaces/" + meta.getNamespace() + "/" + type.plural();
      } else {
        if (meta.getNamespace() != null && !meta.getNamespace().isEmpty()) {
          throw new IllegalArgumentException("cannot seed " + g.getKind() + " '"
              + meta.getName() + "': it is cluster-scoped but has namespace '"
              + meta.getNamespace() + "'; remove metadata.namespace");
        }
        path = prefix + "/" + type.plural();
      }
      store.seed(path, g);
      if ("CustomResourceDefinition".equals(g.getKind())) {
        types.clear(); // new custom resource types become seedable
      }
      count[0]++;
    });
    return count[0];
  }

  private static GenericKubernetesResource toGeneric(HasMetadata o) {
    Objects.requireNonNull(o, "objects must not contain null");
    GenericKubernetesResource g =
        Serialization.jsonMapper().convertValue(o, GenericKubernetesResource.class);
    if (g.getApiVersion() == null || g.getKind() == null || g.getMetadata() == null
        || g.getMetadata().getName() == null || g.getMetadata().getName().isEmpty()) {
      throw new IllegalArgumentException("cannot seed " + o.getClass().getSimpleName()
          + ": apiVersion, kind and metadata.name are required (got apiVersion="
          + g.getApiVersion() + ", kind=" + g.getKind() + ", name="
          + (g.getMetadata() == null ? null : g.getMetadata().getName()) + ")");
    }
    return g;
  }

  private static String prefix(ResourceType type) {
    return type.group().isEmpty() ? "/api/" + type.version()
        : "/apis/" + type.group() + "/" + type.version();
  }
}
