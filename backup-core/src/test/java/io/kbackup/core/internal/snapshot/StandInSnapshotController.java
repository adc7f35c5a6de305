package io.kbackup.core.internal.snapshot;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
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
 */
final class StandInSnapshotController implements AutoCloseable {
    enum Behaviour { READY, ERROR, NEVER }

    private final KubernetesClient client;
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    private final AtomicInteger contents = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    StandInSnapshotController(KubernetesClient client) {
        this.client = client;
        this.thread = new Thread(this::loop, "stand-in-snapshot-controller");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** What to do with snapshots of claim {@code ns/claim} (default READY). */
    StandInSnapshotController behave(String namespace, String claim, Behaviour b) {
        behaviours.put(namespace + "/" + claim, b);
        return this;
    }

    int contentsCreated() {
        return contents.get();
    }

    private void loop() {
        while (running) {
            try {
                for (GenericKubernetesResource vs : SnapshotApi.snapshots(client).inAnyNamespace().list().getItems()) {
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
                System.err.println("stand-in snapshot controller: " + e);
                e.printStackTrace();
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
            GenericKubernetesResource cls = SnapshotApi.classes(client).withName(className).get();
            String contentName = "snapcontent-" + vs.getMetadata().getName();
            GenericKubernetesResource vsc = new GenericKubernetesResource();
            vsc.setApiVersion(SnapshotApi.API_VERSION);
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
            SnapshotApi.contents(client).resource(vsc).create();
            contents.incrementAndGet();
            status.put("readyToUse", true);
            status.put("boundVolumeSnapshotContentName", contentName);
            status.put("restoreSize", "1Gi");
            status.put("creationTime", "2026-11-21T08:00:00Z");
        }
        vs.setAdditionalProperty("status", status);
        SnapshotApi.snapshots(client).inNamespace(ns).resource(vs).updateStatus();
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
