package io.kbackup.core.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kbackup.CorruptBackupException;
import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Restores a backup laid out by hand as Velero writes it (no kbackup backup code involved) into an empty cluster. */
class RestoreVeleroLayoutIT extends RestoreIntoFreshCluster {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private DirectEngine engine;

    @BeforeEach
    void startEngine() {
        engine = KBackup.direct(k8s, DirectOptions.builder().crdEstablishTimeout(Duration.ofSeconds(2)).build());
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    static byte[] veleroArchive() {
        return TestArchive.velero()
                .item("namespaces", null, "shop", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\",\"uid\":\"n1\","
                        + "\"resourceVersion\":\"10\",\"labels\":{\"team\":\"a\"}},\"spec\":{\"finalizers\":[\"kubernetes\"]},\"status\":{\"phase\":\"Active\"}}")
                .item("configmaps", "shop", "cfg", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"shop\","
                        + "\"uid\":\"c1\",\"resourceVersion\":\"11\",\"creationTimestamp\":\"2026-11-19T00:00:00Z\",\"managedFields\":[{\"manager\":\"kubectl\"}]},"
                        + "\"data\":{\"color\":\"blue\"}}")
                .item("services", "shop", "web", "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"},"
                        + "\"spec\":{\"type\":\"NodePort\",\"clusterIP\":\"10.96.0.10\",\"clusterIPs\":[\"10.96.0.10\"],\"selector\":{\"app\":\"web\"},"
                        + "\"ports\":[{\"port\":80,\"targetPort\":8080,\"nodePort\":30080,\"protocol\":\"TCP\"}]},\"status\":{\"loadBalancer\":{}}}")
                .item("services", "shop", "db", "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"db\",\"namespace\":\"shop\"},"
                        + "\"spec\":{\"clusterIP\":\"None\",\"clusterIPs\":[\"None\"],\"ports\":[{\"port\":5432}]}}")
                .item("pods", "shop", "web-abc", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-abc\",\"namespace\":\"shop\","
                        + "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"web-rs\",\"uid\":\"r1\",\"controller\":true}]},"
                        + "\"spec\":{\"nodeName\":\"node-1\",\"priority\":0,\"serviceAccountName\":\"default\",\"containers\":[{\"name\":\"app\",\"image\":\"nginx\","
                        + "\"volumeMounts\":[{\"name\":\"default-token-x7\",\"mountPath\":\"/var/run/secrets\"}]}],"
                        + "\"volumes\":[{\"name\":\"default-token-x7\",\"secret\":{\"secretName\":\"default-token-x7\"}}]},\"status\":{\"phase\":\"Running\"}}")
                .item("pods", "shop", "done", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"done\",\"namespace\":\"shop\"},"
                        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]},\"status\":{\"phase\":\"Succeeded\"}}")
                .item("jobs.batch", "shop", "once", "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"once\",\"namespace\":\"shop\"},"
                        + "\"spec\":{\"template\":{\"spec\":{\"containers\":[]}}},\"status\":{\"completionTime\":\"2026-11-19T01:00:00Z\",\"succeeded\":1}}")
                // a running Job as the API server returns it: selector and template labels carry its uid
                .item("jobs.batch", "shop", "running", "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"running\",\"namespace\":\"shop\","
                        + "\"uid\":\"6f0c5a8e-1111-4c2b-9a41-3c5d2e7f9b10\",\"labels\":{\"batch.kubernetes.io/controller-uid\":\"6f0c5a8e-1111-4c2b-9a41-3c5d2e7f9b10\","
                        + "\"batch.kubernetes.io/job-name\":\"running\",\"controller-uid\":\"6f0c5a8e-1111-4c2b-9a41-3c5d2e7f9b10\",\"job-name\":\"running\"}},"
                        + "\"spec\":{\"backoffLimit\":6,\"completions\":1,\"parallelism\":1,\"selector\":{\"matchLabels\":{"
                        + "\"batch.kubernetes.io/controller-uid\":\"6f0c5a8e-1111-4c2b-9a41-3c5d2e7f9b10\"}},\"template\":{\"metadata\":{\"labels\":{"
                        + "\"batch.kubernetes.io/controller-uid\":\"6f0c5a8e-1111-4c2b-9a41-3c5d2e7f9b10\",\"batch.kubernetes.io/job-name\":\"running\","
                        + "\"controller-uid\":\"6f0c5a8e-1111-4c2b-9a41-3c5d2e7f9b10\",\"job-name\":\"running\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
                        + "\"image\":\"busybox\"}],\"restartPolicy\":\"Never\"}}},\"status\":{\"active\":1}}")
                .item("customresourcedefinitions.apiextensions.k8s.io", null, "widgets.example.com", "{\"apiVersion\":\"apiextensions.k8s.io/v1\","
                        + "\"kind\":\"CustomResourceDefinition\",\"metadata\":{\"name\":\"widgets.example.com\"},\"spec\":{\"group\":\"example.com\","
                        + "\"names\":{\"plural\":\"widgets\",\"singular\":\"widget\",\"kind\":\"Widget\"},\"scope\":\"Namespaced\","
                        + "\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":true,\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\","
                        + "\"x-kubernetes-preserve-unknown-fields\":true}}}]},\"status\":{\"conditions\":[{\"type\":\"Established\",\"status\":\"True\"}]}}")
                .item("widgets.example.com", "shop", "w1", "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w1\","
                        + "\"namespace\":\"shop\"},\"spec\":{\"size\":3}}")
                .item("persistentvolumeclaims", "shop", "data", "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"data\","
                        + "\"namespace\":\"shop\",\"annotations\":{\"pv.kubernetes.io/bind-completed\":\"yes\",\"volume.kubernetes.io/selected-node\":\"node-1\"}},"
                        + "\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"1Gi\"}},\"volumeName\":\"pv-1\"},"
                        + "\"status\":{\"phase\":\"Bound\"}}")
                .item("persistentvolumes", null, "pv-1", "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolume\",\"metadata\":{\"name\":\"pv-1\"},"
                        + "\"spec\":{\"persistentVolumeReclaimPolicy\":\"Delete\",\"capacity\":{\"storage\":\"1Gi\"},\"claimRef\":{\"namespace\":\"shop\",\"name\":\"data\"}}}")
                .item("nodes", null, "node-1", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-1\"}}")
                .item("events", "shop", "ev1", "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"ev1\",\"namespace\":\"shop\"}}")
                .item("deployments.apps", "shop", "web", "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
                        + "\"namespace\":\"shop\",\"generation\":4},\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
                        + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx\"}]}}},"
                        + "\"status\":{\"replicas\":2}}")
                .tarGz();
    }

    private RestorePlan.Builder plan() {
        return RestorePlan.builder().location(location).backupName("b1");
    }

    @Test
    void restoresABackupInVelerosLayoutIntoAnEmptyCluster() throws IOException {
        BackupFixture.put(location, "b1", "Completed", veleroArchive(), false);

        RestoreInfo info = engine.restore(plan().restoreName("r1").build()).await(WAIT);

        assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(info.name()).isEqualTo("r1");
        assertThat(info.created()).isEqualTo(10); // ns, cm, 2 svc, pod, job, crd, widget, pvc, deployment
        assertThat(info.skipped()).isEqualTo(2); // finished pod, completed job
        assertThat(info.failed()).isZero();
        assertThat(info.itemsTotal()).isEqualTo(12);

        ConfigMap cm = k8s.configMaps().inNamespace("shop").withName("cfg").get();
        assertThat(cm.getData()).containsEntry("color", "blue");
        assertThat(cm.getMetadata().getLabels()).containsEntry("velero.io/backup-name", "b1").containsEntry("velero.io/restore-name", "r1");
        assertThat(cm.getMetadata().getUid()).isNotEqualTo("c1");
        // the backed-up managedFields (kubectl's) are not restored; a real server records the restore's own create
        assertThat(cm.getMetadata().getManagedFields()).extracting(f -> f.getManager()).doesNotContain("kubectl");
        assertThat(k8s.namespaces().withName("shop").get().getMetadata().getLabels()).containsEntry("team", "a");

        Service web = k8s.services().inNamespace("shop").withName("web").get();
        assertThat(web.getSpec().getClusterIP()).isNotEqualTo("10.96.0.10");
        assertThat(web.getSpec().getPorts().get(0).getNodePort()).as("not the backed-up node port (a real server allocates a new one)")
                .satisfiesAnyOf(p -> assertThat(p).isNull(), p -> assertThat(p).isNotEqualTo(30080));
        assertThat(k8s.services().inNamespace("shop").withName("db").get().getSpec().getClusterIP()).isEqualTo("None");

        Pod pod = k8s.pods().inNamespace("shop").withName("web-abc").get();
        assertThat(pod.getSpec().getNodeName()).isNull();
        // cleared by the restore; a real server's Priority admission sets it again from the class (none: 0)
        assertThat(pod.getSpec().getPriority()).satisfiesAnyOf(p -> assertThat(p).isNull(), p -> assertThat(p).isZero());
        assertThat(pod.getMetadata().getOwnerReferences()).isEmpty();
        // the legacy token volume is gone (a real server's ServiceAccount admission adds a projected kube-api-access one)
        assertThat(pod.getSpec().getVolumes()).extracting(v -> v.getName()).noneMatch(n -> n.startsWith("default-token-"))
                .allMatch(n -> n.startsWith("kube-api-access-"));
        assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts()).extracting(m -> m.getName())
                .noneMatch(n -> n.startsWith("default-token-"));
        assertThat(k8s.pods().inNamespace("shop").withName("done").get()).isNull();
        assertThat(k8s.batch().v1().jobs().inNamespace("shop").withName("once").get()).isNull();
        var running = k8s.batch().v1().jobs().inNamespace("shop").withName("running").get();
        assertThat(running).isNotNull();
        assertThat(java.util.Optional.ofNullable(running.getSpec().getSelector()).map(l -> l.getMatchLabels()).orElse(java.util.Map.of()))
                .as("the selector is the new Job's (generated by a real server), not the backed-up uid").doesNotContainValue("6f0c5a8e-1111-4c2b-9a41-3c5d2e7f9b10");
        assertThat(running.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("job-name", "running")
                .doesNotContainValue("6f0c5a8e-1111-4c2b-9a41-3c5d2e7f9b10");
        assertThat(k8s.apps().deployments().inNamespace("shop").withName("web").get().getSpec().getReplicas()).isEqualTo(2);

        PersistentVolumeClaim pvc = k8s.persistentVolumeClaims().inNamespace("shop").withName("data").get();
        assertThat(pvc.getSpec().getVolumeName()).as("re-provisioned: the PV has reclaim policy Delete").isNull();
        assertThat(pvc.getMetadata().getAnnotations()).doesNotContainKeys("pv.kubernetes.io/bind-completed", "volume.kubernetes.io/selected-node");
        assertThat(k8s.persistentVolumes().withName("pv-1").get()).isNull();
        assertThat(k8s.nodes().withName("node-1").get()).isNull();
        assertThat(k8s.v1().events().inNamespace("shop").withName("ev1").get()).as("events are never restored").isNull();

        assertThat(k8s.apiextensions().v1().customResourceDefinitions().withName("widgets.example.com").get()).isNotNull();
        GenericKubernetesResource widget = k8s.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("example.com")
                .withVersion("v1").withPlural("widgets").withKind("Widget").withNamespaced(true).build()).inNamespace("shop").withName("w1").get();
        assertThat(widget).isNotNull();
        assertThat(widget.getAdditionalProperties().get("spec")).isEqualTo(java.util.Map.of("size", 3));

        BucketLayout layout = new BucketLayout(location);
        JsonNode results = gunzipJson(layout.restoreResults("r1"));
        assertThat(results.path("errors").isEmpty()).isTrue();
        JsonNode list = gunzipJson(layout.restoreResourceList("r1"));
        assertThat(list.path("v1/ConfigMap").get(0).asText()).isEqualTo("shop/cfg(created)");
        assertThat(list.path("v1/Pod")).extracting(JsonNode::asText).containsExactly("shop/done(skipped)", "shop/web-abc(created)");
        assertThat(list.path("v1/Namespace")).extracting(JsonNode::asText).containsExactly("shop(created)");
        assertThat(list.has("v1/Node")).isFalse();
        assertThat(gunzip(layout.restoreLogs("r1"))).contains("level=info").contains("Restore ended in phase Completed");
        assertThatThrownBy(() -> engine.restore(plan().restoreName("r1").build())).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("'r1' already exists");
    }

    @Test
    void restoresABackupVeleroWroteWithAllItsSideFiles() throws Exception {
        String name = "velero-nightly-20261120020000";
        try (StorageProvider storage = StorageProviders.discover().open(location)) {
            io.kbackup.core.internal.layout.VeleroFixture.write(storage, new BucketLayout(location), name, "PartiallyFailed",
                    java.time.Instant.parse("2026-11-20T02:00:00Z"), bucket.resolve("work"));
        }

        RestoreInfo info = engine.restore(RestorePlan.builder().location(location).backupName(name).build()).await(WAIT);

        assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(info.name()).startsWith(name + "-");
        assertThat(k8s.configMaps().inNamespace("shop").withName("settings").get().getData()).containsEntry("a", "b");
        assertThat(k8s.namespaces().withName("shop").get()).as("made for the restored items").isNotNull();
    }

    @Test
    void refusesMissingAndUnfinishedBackups() {
        assertThatThrownBy(() -> engine.restore(plan().build())).isInstanceOf(NotFoundException.class).hasMessageContaining("'b1'");
        BackupFixture.put(location, "b1", "InProgress", veleroArchive(), false);
        assertThatThrownBy(() -> engine.restore(plan().build())).isInstanceOf(InvalidPlanException.class).hasMessageContaining("phase InProgress");
        BackupFixture.put(location, "b1", "Failed", veleroArchive(), false);
        assertThatThrownBy(() -> engine.preview(plan().build())).isInstanceOf(InvalidPlanException.class).hasMessageContaining("phase Failed");
        BackupFixture.put(location, "b1", "PartiallyFailed", veleroArchive(), false);
        assertThat(engine.restore(plan().build()).await(WAIT).phase()).isEqualTo(RestorePhase.COMPLETED);
    }

    @Test
    void refusesATamperedArchiveAndAppliesNothing() {
        byte[] archive = veleroArchive();
        BackupFixture.put(location, "b1", "Completed", archive, true);
        byte[] tampered = archive.clone();
        tampered[tampered.length - 100] ^= 0x20;
        try (StorageProvider storage = StorageProviders.discover().open(location)) {
            storage.put(new BucketLayout(location).tarball("b1"), tampered);
        }
        var handle = engine.restore(plan().restoreName("bad").build());
        assertThatThrownBy(() -> handle.await(WAIT)).isInstanceOf(CorruptBackupException.class).hasMessageContaining("integrity manifest");
        assertThat(handle.phase()).isEqualTo(RestorePhase.FAILED_VALIDATION);
        assertThat(k8s.namespaces().withName("shop").get()).isNull();
        assertThat(k8s.configMaps().inAnyNamespace().withLabel("velero.io/restore-name").list().getItems()).isEmpty();
        assertThatThrownBy(() -> engine.preview(plan().build())).isInstanceOf(CorruptBackupException.class);
        assertThat(gunzipJson(new BucketLayout(location).restoreResults("bad")).path("errors").path("velero").get(0).asText())
                .contains("integrity manifest");
    }

    @Test
    void previewSaysWhatWouldHappenAndChangesNothing() {
        BackupFixture.put(location, "b1", "Completed", veleroArchive(), true);
        k8s.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        k8s.configMaps().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("cfg")
                .endMetadata().addToData("color", "red").build()).create();

        RestorePreview preview = engine.preview(plan().build());

        assertThat(preview.items()).filteredOn(i -> i.name().equals("cfg")).singleElement()
                .satisfies(i -> {
                    assertThat(i.action()).isEqualTo(RestorePreview.Action.SKIP_EXISTS);
                    assertThat(i.reason()).contains("differs");
                });
        assertThat(preview.items()).filteredOn(i -> i.name().equals("web") && i.groupResource().equals("services")).singleElement()
                .extracting(RestorePreview.Item::action).isEqualTo(RestorePreview.Action.CREATE);
        assertThat(preview.items()).filteredOn(i -> i.name().equals("done")).singleElement()
                .satisfies(i -> assertThat(i.reason()).contains("finished"));
        assertThat(preview.items()).filteredOn(i -> i.groupResource().equals("nodes")).singleElement()
                .extracting(RestorePreview.Item::action).isEqualTo(RestorePreview.Action.EXCLUDED);
        assertThat(preview.counts()).containsEntry(RestorePreview.Action.EXCLUDED, 5L).containsEntry(RestorePreview.Action.SKIP_EXISTS, 2L);
        assertThat(k8s.services().inNamespace("shop").list().getItems()).isEmpty();
        assertThat(k8s.configMaps().inNamespace("shop").withName("cfg").get().getData()).containsEntry("color", "red");

        RestorePreview update = engine.preview(plan().existingResourcePolicy(io.kbackup.ExistingResourcePolicy.UPDATE).build());
        assertThat(update.items()).filteredOn(i -> i.name().equals("cfg")).singleElement()
                .extracting(RestorePreview.Item::action).isEqualTo(RestorePreview.Action.UPDATE);
    }

    @Test
    void leavesOutTheSourceClustersIpAllocationsAndControllerManagedEndpointSlices() {
        String slice = "{\"apiVersion\":\"discovery.k8s.io/v1\",\"kind\":\"EndpointSlice\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"shop\","
                + "\"labels\":{\"kubernetes.io/service-name\":\"web\"%s}},\"addressType\":\"IPv4\",\"endpoints\":[],\"ports\":[]}";
        BackupFixture.put(location, "b1", "Completed", TestArchive.velero()
                .item("namespaces", null, "shop", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}")
                .item("endpointslices.discovery.k8s.io", "shop", "web-abcde", String.format(slice, "web-abcde",
                        ",\"endpointslice.kubernetes.io/managed-by\":\"endpointslice-controller.k8s.io\""))
                .item("endpointslices.discovery.k8s.io", "shop", "web-manual", String.format(slice, "web-manual", ""))
                .item("ipaddresses.networking.k8s.io", null, "10.96.0.10", "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"IPAddress\","
                        + "\"metadata\":{\"name\":\"10.96.0.10\"},\"spec\":{\"parentRef\":{\"group\":\"\",\"resource\":\"services\","
                        + "\"namespace\":\"shop\",\"name\":\"web\"}}}")
                .tarGz(), true);

        RestorePreview preview = engine.preview(plan().clusterWideMode(io.kbackup.ClusterWideMode.ALWAYS).build());

        assertThat(preview.items()).filteredOn(i -> i.name().equals("web-abcde")).singleElement()
                .satisfies(i -> assertThat(i.reason()).contains("endpointslice controller"));
        assertThat(preview.items()).filteredOn(i -> i.name().equals("10.96.0.10")).singleElement()
                .satisfies(i -> assertThat(i.reason()).contains("IP allocation of the source cluster"));
        assertThat(preview.items()).filteredOn(i -> i.name().equals("web-manual")).singleElement()
                .extracting(RestorePreview.Item::action).isEqualTo(RestorePreview.Action.CREATE);
    }

    /** Counts POSTs in flight (each held for a moment), to see how many creates run at once. */
    private static final class InFlight implements io.fabric8.kubernetes.client.http.Interceptor {
        final java.util.concurrent.atomic.AtomicInteger now = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger max = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger posts = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void before(io.fabric8.kubernetes.client.http.BasicBuilder builder, io.fabric8.kubernetes.client.http.HttpRequest request,
                RequestTags tags) {
            if (!request.method().equals("POST") || !request.uri().getPath().endsWith("/configmaps")) {
                return;
            }
            posts.incrementAndGet();
            max.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                Thread.sleep(40);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                now.decrementAndGet();
            }
        }
    }

    private static byte[] configMaps(int n) {
        TestArchive a = TestArchive.velero();
        for (int i = 0; i < n; i++) {
            a.item("configmaps", "bulk", "cm-" + i, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-" + i
                    + "\",\"namespace\":\"bulk\"},\"data\":{\"i\":\"" + i + "\"}}");
        }
        return a.tarGz();
    }

    @Test
    void createsTheItemsOfATierInParallelBoundedByRestoreConcurrency() {
        BackupFixture.put(location, "b1", "Completed", configMaps(48), true);
        InFlight inFlight = new InFlight();
        try (KubernetesClient slow = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(k8s.getConfiguration())
                        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("in-flight", inFlight)).build();
                DirectEngine parallel = KBackup.direct(slow, DirectOptions.builder().restoreConcurrency(6).build())) {
            var handle = parallel.restore(plan().build());
            RestoreInfo info = handle.await(WAIT);

            assertThat(info.phase()).isEqualTo(RestorePhase.COMPLETED);
            assertThat(info.created()).isEqualTo(49);
            assertThat(handle.progress().itemsDone()).isEqualTo(handle.progress().itemsTotal()).isEqualTo(49);
            assertThat(handle.progress().bytes()).isPositive();
            assertThat(inFlight.posts.get()).isEqualTo(48);
            assertThat(inFlight.max.get()).as("creates at once").isGreaterThan(1).isLessThanOrEqualTo(6);
        }
        assertThat(k8s.configMaps().inNamespace("bulk").withLabel("velero.io/restore-name").list().getItems()).hasSize(48);
    }

    @Test
    void aCancelledRestoreStopsBetweenItemsAndSaysSo() throws Exception {
        BackupFixture.put(location, "b1", "Completed", configMaps(200), false);
        InFlight inFlight = new InFlight();
        try (KubernetesClient slow = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(k8s.getConfiguration())
                        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("in-flight", inFlight)).build();
                DirectEngine serial = KBackup.direct(slow, DirectOptions.builder().restoreConcurrency(1).build())) {
            var handle = serial.restore(plan().build());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (inFlight.posts.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            handle.cancel();
            RestoreInfo info = handle.await(WAIT);

            assertThat(info.phase()).isEqualTo(RestorePhase.FAILED);
            assertThat(info.failureReason()).isEqualTo("cancelled");
            assertThat(info.created()).isLessThan(201);
        }
        assertThat(k8s.configMaps().inNamespace("bulk").list().getItems().size()).isLessThan(200);
    }

    private JsonNode gunzipJson(String key) {
        try {
            return RestoreJson.MAPPER.readTree(gunzip(key));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String gunzip(String key) {
        try (StorageProvider storage = StorageProviders.discover().open(location);
                InputStream in = new GZIPInputStream(storage.get(key))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
