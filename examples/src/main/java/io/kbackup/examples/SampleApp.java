package io.kbackup.examples;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Seeds a Kubernetes API server with a small but realistic application, the kind of content a backup has to get
 * right.
 *
 * <p>What {@link #seed(KubernetesClient)} creates:
 * <ul>
 *   <li>namespaces {@code shop}, {@code payments} and {@code monitoring};</li>
 *   <li>three nodes, one of them cordoned ({@code spec.unschedulable} and the matching taint);</li>
 *   <li>deployments with the replica sets and pods a controller would have made (owner references with the
 *       owner's uid, {@code controller: true}), pods scheduled on nodes ({@code spec.nodeName});</li>
 *   <li>a finished Job with its Succeeded pod (Velero skips both on restore);</li>
 *   <li>services: ClusterIP, a NodePort and a headless one; config maps; Opaque and docker-config secrets;</li>
 *   <li>service accounts, one bound to a ClusterRole by a ClusterRoleBinding;</li>
 *   <li>PersistentVolumeClaims bound to PersistentVolumes: a host-path one with reclaim policy Retain, a CSI one
 *       ({@link #CSI_DRIVER}) with reclaim policy Delete; their StorageClasses and a default VolumeSnapshotClass for
 *       the CSI driver;</li>
 *   <li>a PriorityClass used by a pod;</li>
 *   <li>a CustomResourceDefinition ({@code servicemonitors.monitoring.coreos.com}) and custom resources.</li>
 * </ul>
 *
 * <p>Status fields are set as the cluster's controllers would have set them (pods Running, claims Bound), since the
 * test API servers do not run controllers. Seeding is not idempotent: run it once against an empty server.
 */
public final class SampleApp {

    /** The namespaces the application lives in. */
    public static final List<String> NAMESPACES = List.of("shop", "payments", "monitoring");

    /** The PriorityClass used by the payments API pods. */
    public static final String PRIORITY_CLASS = "business-critical";

    /** The CSI driver of the payments ledger's volume (snapshotted when a backup includes disks). */
    public static final String CSI_DRIVER = "disk.csi.example.com";

    private static final List<String> NODES = List.of("worker-1", "worker-2", "worker-3");
    private static final String CORDONED_NODE = "worker-3";

    private final KubernetesClient client;
    private final List<ObjectRef> created = new ArrayList<>();

    private SampleApp(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Creates the application's objects through {@code client}.
     *
     * @param client a client of an empty API server; not null
     * @return the objects created, in creation order (cluster-scoped and namespaced)
     * @throws io.fabric8.kubernetes.client.KubernetesClientException if the server refuses an object, e.g. because it
     *                                                                  already exists
     */
    public static List<ObjectRef> seed(KubernetesClient client) {
        SampleApp app = new SampleApp(Objects.requireNonNull(client, "client"));
        app.seedAll();
        return List.copyOf(app.created);
    }

    private void seedAll() {
        clusterWide();
        for (String ns : NAMESPACES) {
            create(new NamespaceBuilder().withNewMetadata().withName(ns)
                    .addToLabels("kubernetes.io/metadata.name", ns).addToLabels("team", ns.equals("monitoring") ? "platform" : ns)
                    .endMetadata().build());
        }
        shop();
        payments();
        monitoring();
    }

    private void clusterWide() {
        for (String node : NODES) {
            boolean cordoned = node.equals(CORDONED_NODE);
            NodeBuilder b = new NodeBuilder().withNewMetadata().withName(node)
                    .addToLabels("kubernetes.io/hostname", node).addToLabels("kubernetes.io/os", "linux")
                    .addToLabels("node-role.kubernetes.io/worker", "").endMetadata()
                    .withNewSpec().withPodCIDR("10.244." + NODES.indexOf(node) + ".0/24").withUnschedulable(cordoned ? true : null)
                    .endSpec()
                    .withNewStatus()
                    .addToCapacity("cpu", new Quantity("4")).addToCapacity("memory", new Quantity("16Gi"))
                    .addToCapacity("pods", new Quantity("110"))
                    .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
                    .withNewNodeInfo().withKubeletVersion("v1.32.2").withOsImage("Debian GNU/Linux 12").withArchitecture("amd64")
                    .withOperatingSystem("linux").withContainerRuntimeVersion("containerd://1.7.24").endNodeInfo()
                    .endStatus();
            if (cordoned) {
                b.editSpec().addNewTaint().withKey("node.kubernetes.io/unschedulable").withEffect("NoSchedule").endTaint().endSpec();
            }
            create(b.build());
        }
        create(new StorageClassBuilder().withNewMetadata().withName("standard")
                .addToAnnotations("storageclass.kubernetes.io/is-default-class", "true").endMetadata()
                .withProvisioner("rancher.io/local-path").withReclaimPolicy("Delete")
                .withVolumeBindingMode("WaitForFirstConsumer").build());
        create(new StorageClassBuilder().withNewMetadata().withName("fast-csi").endMetadata()
                .withProvisioner(CSI_DRIVER).withReclaimPolicy("Delete").withVolumeBindingMode("Immediate")
                .withAllowVolumeExpansion(true).build());
        create(new GenericKubernetesResourceBuilder().withApiVersion("snapshot.storage.k8s.io/v1").withKind("VolumeSnapshotClass")
                .withNewMetadata().withName("fast-csi-snapshots")
                .addToAnnotations("snapshot.storage.kubernetes.io/is-default-class", "true").endMetadata()
                .addToAdditionalProperties("driver", CSI_DRIVER).addToAdditionalProperties("deletionPolicy", "Retain")
                .build());
        create(new PriorityClassBuilder().withNewMetadata().withName(PRIORITY_CLASS).endMetadata()
                .withValue(1_000_000).withGlobalDefault(false).withPreemptionPolicy("PreemptLowerPriority")
                .withDescription("Payment processing must not be preempted by batch work.").build());
        create(new ClusterRoleBuilder().withNewMetadata().withName("monitoring-reader")
                .addToLabels("app.kubernetes.io/part-of", "monitoring").endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("nodes", "services", "endpoints", "pods")
                                .withVerbs("get", "list", "watch").build(),
                        new PolicyRuleBuilder().withNonResourceURLs("/metrics").withVerbs("get").build())
                .build());
        create(new ClusterRoleBindingBuilder().withNewMetadata().withName("monitoring-reader").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("monitoring-reader")
                .endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName("prometheus").withNamespace("monitoring").endSubject()
                .build());
        create(new CustomResourceDefinitionBuilder().withNewMetadata().withName("servicemonitors.monitoring.coreos.com")
                .endMetadata()
                .withNewSpec().withGroup("monitoring.coreos.com").withScope("Namespaced")
                .withNewNames().withKind("ServiceMonitor").withListKind("ServiceMonitorList").withPlural("servicemonitors")
                .withSingular("servicemonitor").withShortNames("smon").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withOpenAPIV3Schema(new JSONSchemaPropsBuilder().withType("object")
                        .withXKubernetesPreserveUnknownFields(true).build()).endSchema()
                .endVersion()
                .endSpec().build());
    }

    private void shop() {
        String ns = "shop";
        create(serviceAccount(ns, "frontend"));
        create(new ConfigMapBuilder().withMetadata(meta(ns, "frontend-config", "frontend"))
                .addToData("nginx.conf", "server {\n  listen 8080;\n  location / { proxy_pass http://cart:8080; }\n}\n")
                .addToData("FEATURE_FLAGS", "new-checkout=true,recommendations=false").build());
        create(new SecretBuilder().withMetadata(meta(ns, "db-credentials", "cart")).withType("Opaque")
                .addToData("username", b64("shop")).addToData("password", b64("s3cr3t-demo-only")).build());
        create(new SecretBuilder().withMetadata(meta(ns, "registry-pull", null)).withType("kubernetes.io/dockerconfigjson")
                .addToData(".dockerconfigjson", b64("{\"auths\":{\"registry.example.com\":{\"auth\":\""
                        + Base64.getEncoder().encodeToString("demo:demo".getBytes(StandardCharsets.UTF_8)) + "\"}}}"))
                .build());
        deployment(ns, "frontend", "nginx:1.27", 2, 8080, "frontend", null);
        deployment(ns, "cart", "ghcr.io/example/cart:2.4.1", 1, 8080, "default", null);
        create(service(ns, "frontend", "NodePort", "10.96.14.21", "http", 80, 8080, 30080));
        create(service(ns, "cart", "ClusterIP", "10.96.14.22", "http", 8080, 8080, null));
        // Retain, host path (no snapshot possible): restored as-is without its data.
        volume(ns, "db-data", "pv-shop-db", "Retain", "10Gi", "worker-1", false);
        create(new GenericKubernetesResourceBuilder().withApiVersion("monitoring.coreos.com/v1").withKind("ServiceMonitor")
                .withMetadata(meta(ns, "frontend", "frontend"))
                .addToAdditionalProperties("spec", Map.of(
                        "selector", Map.of("matchLabels", Map.of("app", "frontend")),
                        "endpoints", List.of(Map.of("port", "http", "interval", "30s", "path", "/metrics"))))
                .build());
    }

    private void payments() {
        String ns = "payments";
        create(serviceAccount(ns, "api"));
        create(new ConfigMapBuilder().withMetadata(meta(ns, "api-config", "api"))
                .addToData("application.yaml", "server:\n  port: 8443\nledger:\n  url: jdbc:postgresql://ledger:5432/ledger\n")
                .build());
        create(new SecretBuilder().withMetadata(meta(ns, "api-tls", "api")).withType("kubernetes.io/tls")
                .addToData("tls.crt", b64("-----BEGIN CERTIFICATE-----\nMIIBdemo\n-----END CERTIFICATE-----\n"))
                .addToData("tls.key", b64("-----BEGIN PRIVATE KEY-----\nMIIEdemo\n-----END PRIVATE KEY-----\n"))
                .build());
        deployment(ns, "api", "ghcr.io/example/payments-api:1.9.0", 2, 8443, "api", PRIORITY_CLASS);
        create(service(ns, "api", "ClusterIP", "10.96.20.5", "https", 443, 8443, null));
        // headless: clusterIP None is kept by a restore
        create(service(ns, "ledger", null, "None", "postgres", 5432, 5432, null));
        // Delete, CSI: a backup with disks snapshots it; a restore provisions the claim again from the snapshot.
        volume(ns, "ledger-data", "pvc-3f7c9a2e-payments-ledger", "Delete", "20Gi", "worker-2", true);
        finishedJob(ns, "ledger-migrate-29100480");
    }

    private void monitoring() {
        String ns = "monitoring";
        create(serviceAccount(ns, "prometheus"));
        create(new ConfigMapBuilder().withMetadata(meta(ns, "prometheus-config", "prometheus"))
                .addToData("prometheus.yml", "global:\n  scrape_interval: 30s\nscrape_configs:\n  - job_name: kubernetes-pods\n"
                        + "    kubernetes_sd_configs:\n      - role: pod\n")
                .build());
        deployment(ns, "prometheus", "quay.io/prometheus/prometheus:v3.2.1", 1, 9090, "prometheus", null);
        create(service(ns, "prometheus", "ClusterIP", "10.96.30.9", "web", 9090, 9090, null));
        create(new GenericKubernetesResourceBuilder().withApiVersion("monitoring.coreos.com/v1").withKind("ServiceMonitor")
                .withMetadata(meta(ns, "prometheus-self", "prometheus"))
                .addToAdditionalProperties("spec", Map.of(
                        "selector", Map.of("matchLabels", Map.of("app", "prometheus")),
                        "endpoints", List.of(Map.of("port", "web", "interval", "15s"))))
                .build());
    }

    /**
     * A Service {@code app} for the pods labelled {@code app=<app>}, with one TCP port.
     *
     * @param type the service type, or null for the server's default
     * @param nodePort the port's node port, or null for none
     */
    private static Service service(String ns, String app, String type, String clusterIP, String portName, int port,
                                   int targetPort, Integer nodePort) {
        return new ServiceBuilder().withMetadata(meta(ns, app, app))
                .withNewSpec().withType(type).addToSelector("app", app).withClusterIP(clusterIP)
                .addNewPort().withName(portName).withPort(port).withTargetPort(new IntOrString(targetPort)).withNodePort(nodePort)
                .withProtocol("TCP").endPort().endSpec().build();
    }

    /** A Deployment, its current ReplicaSet and its pods, linked by owner references as the controllers set them. */
    private void deployment(String ns, String app, String image, int replicas, int port, String serviceAccount,
                            String priorityClass) {
        String hash = Integer.toHexString((ns + app).hashCode() & 0x7fffffff);
        hash = (hash + "0000000000").substring(0, 10).replaceAll("[^a-z0-9]", "x");
        Map<String, String> labels = Map.of("app", app);
        PodSpec podSpec = new PodSpecBuilder().withServiceAccountName(serviceAccount).withPriorityClassName(priorityClass)
                .withContainers(new ContainerBuilder().withName(app).withImage(image)
                        .addNewPort().withContainerPort(port).withProtocol("TCP").endPort()
                        .withNewResources().addToRequests("cpu", new Quantity("100m"))
                        .addToRequests("memory", new Quantity("128Mi")).endResources()
                        .build())
                .build();
        HasMetadata deployment = create(new DeploymentBuilder().withMetadata(meta(ns, app, app))
                .editMetadata().addToAnnotations("deployment.kubernetes.io/revision", "1").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels(labels).endMetadata().withSpec(podSpec).endTemplate()
                .endSpec()
                .withNewStatus().withReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas)
                .withUpdatedReplicas(replicas).withObservedGeneration(1L).endStatus()
                .build());
        Map<String, String> rsLabels = new LinkedHashMap<>(labels);
        rsLabels.put("pod-template-hash", hash);
        HasMetadata replicaSet = create(new ReplicaSetBuilder()
                .withMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(app + "-" + hash).withLabels(rsLabels)
                        .addToAnnotations("deployment.kubernetes.io/revision", "1")
                        .withOwnerReferences(ownedBy(deployment)).build())
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels(rsLabels).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels(rsLabels).endMetadata().withSpec(podSpec).endTemplate()
                .endSpec()
                .withNewStatus().withReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas)
                .withObservedGeneration(1L).endStatus()
                .build());
        for (int i = 0; i < replicas; i++) {
            String suffix = "x" + Integer.toString(Math.abs((app + i).hashCode()) % 46656, 36);
            String node = NODES.get((i + app.length()) % 2); // never the cordoned node
            create(new PodBuilder()
                    .withMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(replicaSet.getMetadata().getName() + "-" + suffix)
                            .withLabels(rsLabels).withOwnerReferences(ownedBy(replicaSet)).build())
                    .withSpec(new PodSpecBuilder(podSpec).withNodeName(node)
                            .withPriority(priorityClass == null ? 0 : 1_000_000).build())
                    .withNewStatus().withPhase("Running").withPodIP("10.244." + NODES.indexOf(node) + "." + (10 + i))
                    .withHostIP("192.168.1." + (10 + NODES.indexOf(node)))
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                    .build());
        }
    }

    private void finishedJob(String ns, String name) {
        Map<String, String> labels = Map.of("job-name", name);
        HasMetadata job = create(new JobBuilder().withMetadata(meta(ns, name, null))
                .withNewSpec().withBackoffLimit(2).withNewTemplate().withNewMetadata().addToLabels(labels).endMetadata()
                .withNewSpec().withRestartPolicy("Never").withServiceAccountName("api")
                .addNewContainer().withName("migrate").withImage("ghcr.io/example/ledger-migrate:1.9.0")
                .withArgs("migrate", "--to", "latest").endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withSucceeded(1).withStartTime("2026-11-20T03:00:00Z")
                .withCompletionTime("2026-11-20T03:00:41Z")
                .addNewCondition().withType("Complete").withStatus("True").endCondition().endStatus()
                .build());
        create(new PodBuilder()
                .withMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name + "-k7d2q").withLabels(labels)
                        .withOwnerReferences(ownedBy(job)).build())
                .withNewSpec().withRestartPolicy("Never").withServiceAccountName("api").withNodeName("worker-2")
                .addNewContainer().withName("migrate").withImage("ghcr.io/example/ledger-migrate:1.9.0")
                .withArgs("migrate", "--to", "latest").endContainer().endSpec()
                .withNewStatus().withPhase("Succeeded").endStatus()
                .build());
    }

    /** A claim bound to a volume, and the volume bound back to the claim. */
    private void volume(String ns, String claim, String pv, String reclaimPolicy, String size, String node, boolean csi) {
        String storageClass = csi ? "fast-csi" : "standard";
        var spec = new PersistentVolumeBuilder().withNewMetadata().withName(pv)
                .addToAnnotations("pv.kubernetes.io/provisioned-by", csi ? CSI_DRIVER : "rancher.io/local-path").endMetadata()
                .withNewSpec().addToCapacity("storage", new Quantity(size)).withAccessModes("ReadWriteOnce")
                .withPersistentVolumeReclaimPolicy(reclaimPolicy).withStorageClassName(storageClass);
        if (csi) {
            spec.withNewCsi().withDriver(CSI_DRIVER).withVolumeHandle("vol-" + pv).withFsType("ext4").endCsi();
        } else {
            spec.withNewHostPath().withPath("/var/local-path-provisioner/" + pv).withType("DirectoryOrCreate").endHostPath();
        }
        create(spec
                .withNewClaimRef().withApiVersion("v1").withKind("PersistentVolumeClaim").withNamespace(ns).withName(claim)
                .endClaimRef()
                .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
                .withKey("kubernetes.io/hostname").withOperator("In").withValues(node).endMatchExpression()
                .endNodeSelectorTerm().endRequired().endNodeAffinity()
                .endSpec()
                .withNewStatus().withPhase("Bound").endStatus()
                .build());
        create(new PersistentVolumeClaimBuilder().withMetadata(meta(ns, claim, null))
                .editMetadata().addToAnnotations("pv.kubernetes.io/bind-completed", "yes")
                .addToAnnotations("pv.kubernetes.io/bound-by-controller", "yes")
                .addToAnnotations("volume.kubernetes.io/selected-node", node).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(storageClass).withVolumeName(pv)
                .withNewResources().addToRequests("storage", new Quantity(size)).endResources().endSpec()
                .withNewStatus().withPhase("Bound").addToCapacity("storage", new Quantity(size))
                .withAccessModes("ReadWriteOnce").endStatus()
                .build());
    }

    private static io.fabric8.kubernetes.api.model.ServiceAccount serviceAccount(String ns, String name) {
        ServiceAccountBuilder b = new ServiceAccountBuilder().withMetadata(meta(ns, name, name))
                .withAutomountServiceAccountToken(false);
        if (ns.equals("shop")) {
            b.addNewImagePullSecret("registry-pull");
        }
        return b.build();
    }

    private static ObjectMeta meta(String ns, String name, String app) {
        ObjectMetaBuilder b = new ObjectMetaBuilder().withNamespace(ns).withName(name)
                .addToLabels("app.kubernetes.io/managed-by", "kbackup-demo");
        if (app != null) {
            b.addToLabels("app", app);
        }
        return b.build();
    }

    private static OwnerReference ownedBy(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private <T extends HasMetadata> T create(T object) {
        T result = client.resource(object).create();
        created.add(ObjectRef.of(result));
        return result;
    }
}
