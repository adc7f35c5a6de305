package io.kbackup.testkit.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the external snapshot controller in tests: a poll loop (every 20 ms) that, for each new
 * VolumeSnapshot with {@code source.persistentVolumeClaimName}, creates a VolumeSnapshotContent
 * (deletionPolicy of the class, {@code status.snapshotHandle} {@code handle-<ns>-<claim>}) and sets
 * the VolumeSnapshot's {@code status.readyToUse=true} and {@code boundVolumeSnapshotContentName};
 * or sets {@code status.error} for claims told to fail; or never answers for claims told to hang.
 *
 * <p>For tests and demos on an {@link EmbeddedCluster} (which serves the snapshot API but runs no
 * controllers): {@code try (var c = new StandInSnapshotController(client)) { ... }}.
 */
public final class StandInSnapshotController implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StandInSnapshotController.class);
    /** How the stand-in answers a claim's snapshots. */
    public enum Behaviour { READY, ERROR, NEVER }

    private static final String API_VERSION = "snapshot.storage.k8s.io/v1";

    private static ResourceDefinitionContext context(String plural, String kind, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup("snapshot.storage.k8s.io").withVersion("v1")
                .withPlural(plural).withKind(kind).withNamespaced(namespaced).build();
    }

    private static final ResourceDefinitionContext SNAPSHOTS = context("volumesnapshots", "VolumeSnapshot", true);
    private static final ResourceDefinitionContext CONTENTS = context("volumesnapshotcontents", "VolumeSnapshotContent", false);
    private static final ResourceDefinitionContext CLASSES = context("volumesnapshotclasses", "VolumeSnapshotClass", false);

    private static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> api(
            KubernetesClient client, ResourceDefinitionContext ctx) {
        return client.genericKubernetesResources(ctx);
    }

    private final KubernetesClient client;
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    private final AtomicInteger contents = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    /** Starts the stand-in's poll loop on a daemon thread. */
    public StandInSnapshotController(KubernetesClient client) {
        this.client = client;
        this.thread = new Thread(this::loop, "stand-in-snapshot-controller");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** What to do with snapshots of claim {@code ns/claim} (default READY). */
    public StandInSnapshotController behave(String namespace, String claim, Behaviour b) {
        behaviours.put(namespace + "/" + claim, b);
        return this;
    }

    /** How many VolumeSnapshotContents it has created. */
    public int contentsCreated() {
        return contents.get();
    }

    private void loop() {
        while (running) {
            try {
                for (GenericKubernetesResource vs : api(client, SNAPSHOTS).inAnyNamespace().list().getItems()) {
                    String key = vs.getMetadata().getNamespace() + "/" + vs.getMetadata().getName();
                    if (vs.get("status") != null || seen.containsKey(key)) {
                        continue;
                    }
                    Object claim = vs.get("spec", "source", "persistentVolumeClaimName");
                    if (claim == null) {
                        seen.put(key, true); // statically bound: a real controller binds it; not needed here
                        continue;
                    }
                    answer(vs, claim.toString());
                    seen.put(key, true);
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("stand-in snapshot controller: {}", e.toString());
            }
        }
    }

    private void answer(GenericKubernetesResource vs, String claim) {
        String ns = vs.getMetadata().getNamespace();
        Behaviour b = behaviours.getOrDefault(ns + "/" + claim, Behaviour.READY);
        if (b == Behaviour.NEVER) {
            return;
        }
        Map<String, Object> status = new LinkedHashMap<>();
        if (b == Behaviour.ERROR) {
            status.put("readyToUse", false);
            status.put("error", Map.of("message", "driver failed: disk " + claim + " is busy", "time", "2026-11-21T08:00:00Z"));
        } else {
            String className = java.util.Objects.toString(vs.get("spec", "volumeSnapshotClassName"));
            GenericKubernetesResource cls = api(client, CLASSES).withName(className).get();
            String contentName = "snapcontent-" + vs.getMetadata().getName();
            GenericKubernetesResource vsc = new GenericKubernetesResource();
            vsc.setApiVersion(API_VERSION);
            vsc.setKind("VolumeSnapshotContent");
            ObjectMeta m = new ObjectMeta();
            m.setName(contentName);
            vsc.setMetadata(m);
            vsc.setAdditionalProperty("spec", Map.of(
                    "deletionPolicy", cls == null ? "Delete" : java.util.Objects.toString(cls.get("deletionPolicy")),
                    "driver", cls == null ? "unknown" : java.util.Objects.toString(cls.get("driver")),
                    "source", Map.of("volumeHandle", "vol-" + ns + "-" + claim),
                    "volumeSnapshotClassName", className,
                    "volumeSnapshotRef", Map.of("kind", "VolumeSnapshot", "namespace", ns, "name", vs.getMetadata().getName(),
                            "uid", vs.getMetadata().getUid())));
            vsc.setAdditionalProperty("status", Map.of("snapshotHandle", "handle-" + ns + "-" + claim, "readyToUse", true,
                    "restoreSize", 1073741824L));
            api(client, CONTENTS).resource(vsc).create();
            contents.incrementAndGet();
            status.put("readyToUse", true);
            status.put("boundVolumeSnapshotContentName", contentName);
            status.put("restoreSize", "1Gi");
            status.put("creationTime", "2026-11-21T08:00:00Z");
        }
        vs.setAdditionalProperty("status", status);
        api(client, SNAPSHOTS).inNamespace(ns).resource(vs).updateStatus();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
