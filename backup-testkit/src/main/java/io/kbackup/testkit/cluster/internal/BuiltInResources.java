package io.kbackup.testkit.cluster.internal;

import io.kbackup.testkit.cluster.internal.ResourceType.Subresource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** The built-in resource types served by the embedded cluster, modelled on Kubernetes 1.32. */
public final class BuiltInResources {

  private static final List<String> GET_PATCH_UPDATE = List.of("get", "patch", "update");
  private static final List<String> ALL = List.of("all");

  private BuiltInResources() {}

  /** Every built-in resource type, in discovery order. */
  public static List<ResourceType> all() {
    List<ResourceType> r = new ArrayList<>();
    // core v1
    r.add(ns("", "v1", "configmaps", "ConfigMap", names("cm")));
    r.add(ns("", "v1", "endpoints", "Endpoints", names("ep")));
    r.add(ns("", "v1", "events", "Event", names("ev")));
    r.add(ns("", "v1", "limitranges", "LimitRange", names("limits")));
    r.add(type("", "v1", "namespaces", "Namespace", false, names("ns"), List.of(),
        List.of(new Subresource("finalize", "Namespace", null, null, List.of("update")),
            status("Namespace"))));
    r.add(type("", "v1", "nodes", "Node", false, names("no"), List.of(),
        List.of(new Subresource("proxy", "NodeProxyOptions", null, null,
                List.of("create", "delete", "get", "patch", "update")),
            status("Node"))));
    r.add(type("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, names("pvc"),
        List.of(), List.of(status("PersistentVolumeClaim"))));
    r.add(type("", "v1", "persistentvolumes", "PersistentVolume", false, names("pv"), List.of(),
        List.of(status("PersistentVolume"))));
    r.add(type("", "v1", "pods", "Pod", true, names("po"), ALL, List.of(
        new Subresource("attach", "PodAttachOptions", null, null, List.of("create", "get")),
        new Subresource("binding", "Binding", null, null, List.of("create")),
        new Subresource("ephemeralcontainers", "Pod", null, null, GET_PATCH_UPDATE),
        new Subresource("eviction", "Eviction", "policy", "v1", List.of("create")),
        new Subresource("exec", "PodExecOptions", null, null, List.of("create", "get")),
        new Subresource("log", "Pod", null, null, List.of("get")),
        new Subresource("portforward", "PodPortForwardOptions", null, null, List.of("create", "get")),
        new Subresource("proxy", "PodProxyOptions", null, null,
            List.of("create", "delete", "get", "patch", "update")),
        new Subresource("resize", "Pod", null, null, GET_PATCH_UPDATE),
        status("Pod"))));
    r.add(ns("", "v1", "podtemplates", "PodTemplate", names()));
    r.add(type("", "v1", "replicationcontrollers", "ReplicationController", true, names("rc"), ALL,
        List.of(scale(), status("ReplicationController"))));
    r.add(type("", "v1", "resourcequotas", "ResourceQuota", true, names("quota"), List.of(),
        List.of(status("ResourceQuota"))));
    r.add(ns("", "v1", "secrets", "Secret", names()));
    r.add(type("", "v1", "serviceaccounts", "ServiceAccount", true, names("sa"), List.of(),
        List.of(new Subresource("token", "TokenRequest", "authentication.k8s.io", "v1",
            List.of("create")))));
    r.add(type("", "v1", "services", "Service", true, names("svc"), ALL, List.of(
        new Subresource("proxy", "ServiceProxyOptions", null, null,
            List.of("create", "delete", "get", "patch", "update")),
        status("Service"))));
    // apps/v1
    r.add(ns("apps", "v1", "controllerrevisions", "ControllerRevision", names()));
    r.add(type("apps", "v1", "daemonsets", "DaemonSet", true, names("ds"), ALL,
        List.of(status("DaemonSet"))));
    r.add(type("apps", "v1", "deployments", "Deployment", true, names("deploy"), ALL,
        List.of(scale(), status("Deployment"))));
    r.add(type("apps", "v1", "replicasets", "ReplicaSet", true, names("rs"), ALL,
        List.of(scale(), status("ReplicaSet"))));
    r.add(type("apps", "v1", "statefulsets", "StatefulSet", true, names("sts"), ALL,
        List.of(scale(), status("StatefulSet"))));
    // batch/v1
    r.add(type("batch", "v1", "cronjobs", "CronJob", true, names("cj"), ALL,
        List.of(status("CronJob"))));
    r.add(type("batch", "v1", "jobs", "Job", true, names(), ALL, List.of(status("Job"))));
    // rbac.authorization.k8s.io/v1
    String rbac = "rbac.authorization.k8s.io";
    r.add(cluster(rbac, "v1", "clusterrolebindings", "ClusterRoleBinding", names()));
    r.add(cluster(rbac, "v1", "clusterroles", "ClusterRole", names()));
    r.add(ns(rbac, "v1", "rolebindings", "RoleBinding", names()));
    r.add(ns(rbac, "v1", "roles", "Role", names()));
    // storage.k8s.io/v1
    String storage = "storage.k8s.io";
    r.add(cluster(storage, "v1", "csidrivers", "CSIDriver", names()));
    r.add(cluster(storage, "v1", "csinodes", "CSINode", names()));
    r.add(ns(storage, "v1", "csistoragecapacities", "CSIStorageCapacity", names()));
    r.add(cluster(storage, "v1", "storageclasses", "StorageClass", names("sc")));
    r.add(type(storage, "v1", "volumeattachments", "VolumeAttachment", false, names(), List.of(),
        List.of(status("VolumeAttachment"))));
    // networking.k8s.io/v1
    String networking = "networking.k8s.io";
    r.add(cluster(networking, "v1", "ingressclasses", "IngressClass", names()));
    r.add(type(networking, "v1", "ingresses", "Ingress", true, names("ing"), List.of(),
        List.of(status("Ingress"))));
    r.add(ns(networking, "v1", "networkpolicies", "NetworkPolicy", names("netpol")));
    // policy/v1
    r.add(type("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, names("pdb"),
        List.of(), List.of(status("PodDisruptionBudget"))));
    // apiextensions.k8s.io/v1
    r.add(type("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition",
        false, names("crd", "crds"), List.of("api-extensions"),
        List.of(status("CustomResourceDefinition"))));
    // snapshot.storage.k8s.io/v1 (CRDs in a real cluster, built in here)
    String snapshot = "snapshot.storage.k8s.io";
    r.add(type(snapshot, "v1", "volumesnapshotclasses", "VolumeSnapshotClass", false,
        names("vsclass", "vsclasses"), List.of(), List.of()));
    r.add(type(snapshot, "v1", "volumesnapshotcontents", "VolumeSnapshotContent", false,
        names("vsc", "vscs"), List.of(), List.of(status("VolumeSnapshotContent"))));
    r.add(type(snapshot, "v1", "volumesnapshots", "VolumeSnapshot", true, names("vs"), List.of(),
        List.of(status("VolumeSnapshot"))));
    // coordination.k8s.io/v1
    r.add(ns("coordination.k8s.io", "v1", "leases", "Lease", names()));
    // scheduling.k8s.io/v1
    r.add(cluster("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", names("pc")));
    // events.k8s.io/v1
    r.add(ns("events.k8s.io", "v1", "events", "Event", names("ev")));
    // autoscaling/v2
    r.add(type("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true,
        names("hpa"), ALL, List.of(status("HorizontalPodAutoscaler"))));
    // discovery.k8s.io/v1
    r.add(ns("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", names()));
    return Collections.unmodifiableList(r);
  }

  private static List<String> names(String... shortNames) {
    return Arrays.asList(shortNames);
  }

  private static Subresource status(String kind) {
    return new Subresource("status", kind, null, null, GET_PATCH_UPDATE);
  }

  private static Subresource scale() {
    return new Subresource("scale", "Scale", "autoscaling", "v1", GET_PATCH_UPDATE);
  }

  private static ResourceType ns(String group, String version, String plural, String kind,
      List<String> shortNames) {
    return type(group, version, plural, kind, true, shortNames, List.of(), List.of());
  }

  private static ResourceType cluster(String group, String version, String plural, String kind,
      List<String> shortNames) {
    return type(group, version, plural, kind, false, shortNames, List.of(), List.of());
  }

  private static ResourceType type(String group, String version, String plural, String kind,
      boolean namespaced, List<String> shortNames, List<String> categories,
      List<Subresource> subresources) {
    return new ResourceType(group, version, plural, kind.toLowerCase(java.util.Locale.ROOT), kind,
        namespaced, shortNames, categories, subresources);
  }
}
