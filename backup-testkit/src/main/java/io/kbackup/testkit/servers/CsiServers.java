package io.kbackup.testkit.servers;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kbackup.testkit.cluster.RealCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The CSI snapshot machinery of Kubernetes in one {@link RealCluster}, as plain processes with the
 * cluster's admin kubeconfig (no kubelet; nothing is mounted): the VolumeSnapshot CRDs of
 * external-snapshotter, its {@code snapshot-controller} and {@code csi-snapshotter}, and
 * external-provisioner's {@code csi-provisioner}, the two sidecars on the unix socket of a
 * {@link CsiHostPathDriver}. All built by {@code .ci/servers/build.sh csi}.
 *
 * <p>{@link #start} installs the CRDs, starts the three processes (leader election off, their
 * metrics on free ports of 127.0.0.1), and creates the StorageClass {@value #STORAGE_CLASS}
 * ({@code volumeBindingMode: Immediate}, the default class) and two VolumeSnapshotClasses for the
 * driver: {@value #RETAIN_CLASS} ({@code deletionPolicy: Retain}, the driver's default class) and
 * {@value #DELETE_CLASS} ({@code deletionPolicy: Delete}). kube-controller-manager, which a
 * {@code RealCluster} runs by default, binds the provisioned claims.
 *
 * <pre>{@code
 * try (RealCluster cluster = RealCluster.start(); CsiHostPathDriver driver = CsiHostPathDriver.start();
 *      CsiServers csi = CsiServers.start(cluster, driver)) {
 *     csi.createClaim("shop", "data", "1Gi", Map.of(), Map.of());   // waits until Bound
 *     Files.write(csi.volumeFolder("shop", "data").resolve("file.bin"), bytes);
 * }
 * }</pre>
 */
public final class CsiServers implements AutoCloseable {

    /** The snapshot controller's binary name in {@link TestServers#binDir()}. */
    public static final String SNAPSHOT_CONTROLLER = "snapshot-controller";
    /** The snapshotter sidecar's binary name. */
    public static final String SNAPSHOTTER = "csi-snapshotter";
    /** The provisioner sidecar's binary name. */
    public static final String PROVISIONER = "csi-provisioner";
    /** The folder (in {@link TestServers#binDir()}) holding the snapshot CRDs of the built external-snapshotter. */
    public static final String SNAPSHOT_CRDS = "snapshot-crds";

    /** The StorageClass of the driver: Immediate binding, the cluster's default class. */
    public static final String STORAGE_CLASS = "csi-hostpath";
    /** The VolumeSnapshotClass with {@code deletionPolicy: Retain}, the driver's default class. */
    public static final String RETAIN_CLASS = "csi-hostpath-retain";
    /** The VolumeSnapshotClass with {@code deletionPolicy: Delete}. */
    public static final String DELETE_CLASS = "csi-hostpath-delete";

    /** {@code snapshot.storage.k8s.io/v1} VolumeSnapshot. */
    public static final ResourceDefinitionContext VOLUME_SNAPSHOTS = snapshotKind("VolumeSnapshot", "volumesnapshots", true);
    /** {@code snapshot.storage.k8s.io/v1} VolumeSnapshotContent. */
    public static final ResourceDefinitionContext VOLUME_SNAPSHOT_CONTENTS =
            snapshotKind("VolumeSnapshotContent", "volumesnapshotcontents", false);
    /** {@code snapshot.storage.k8s.io/v1} VolumeSnapshotClass. */
    public static final ResourceDefinitionContext VOLUME_SNAPSHOT_CLASSES =
            snapshotKind("VolumeSnapshotClass", "volumesnapshotclasses", false);

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(60);

    private final RealCluster cluster;
    private final CsiHostPathDriver driver;
    private final KubernetesClient client;
    private final ServerProcess controller;
    private final ServerProcess provisioner;
    private ServerProcess snapshotter;

    private CsiServers(RealCluster cluster, CsiHostPathDriver driver, KubernetesClient client, ServerProcess controller,
            ServerProcess provisioner, ServerProcess snapshotter) {
        this.cluster = cluster;
        this.driver = driver;
        this.client = client;
        this.controller = controller;
        this.provisioner = provisioner;
        this.snapshotter = snapshotter;
    }

    private static ResourceDefinitionContext snapshotKind(String kind, String plural, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup("snapshot.storage.k8s.io").withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(namespaced).build();
    }

    /**
     * Installs the snapshot CRDs into {@code cluster}, starts the snapshot controller and the two
     * sidecars on {@code driver}'s socket, and creates the StorageClass and snapshot classes.
     * The driver stays the caller's (it may serve other clusters too).
     */
    public static CsiServers start(RealCluster cluster, CsiHostPathDriver driver) {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(driver, "driver");
        Path controllerBin = TestServers.require(SNAPSHOT_CONTROLLER);
        TestServers.require(SNAPSHOTTER);
        Path provisionerBin = TestServers.require(PROVISIONER);
        KubernetesClient client = cluster.client();
        List<ServerProcess> started = new ArrayList<>();
        try {
            installSnapshotCrds(cluster, client);
            ServerProcess controller = startMetered(SNAPSHOT_CONTROLLER, controllerBin, List.of(
                    "--kubeconfig", cluster.kubeconfig().toString(), "--leader-election=false",
                    "--retry-interval-start=500ms", "--retry-interval-max=5s", "--worker-threads=4"));
            started.add(controller);
            ServerProcess provisioner = startMetered(PROVISIONER, provisionerBin, List.of(
                    "--kubeconfig", cluster.kubeconfig().toString(), "--csi-address", driver.socket().toString(),
                    "--leader-election=false", "--extra-create-metadata", "--timeout=30s",
                    "--retry-interval-start=500ms", "--retry-interval-max=5s", "--worker-threads=4"));
            started.add(provisioner);
            ServerProcess snapshotter = startSnapshotter(cluster, driver);
            started.add(snapshotter);
            client.storage().v1().storageClasses().resource(new StorageClassBuilder()
                    .withMetadata(new ObjectMetaBuilder().withName(STORAGE_CLASS)
                            .addToAnnotations("storageclass.kubernetes.io/is-default-class", "true").build())
                    .withProvisioner(driver.driverName()).withVolumeBindingMode("Immediate").withReclaimPolicy("Delete")
                    .build()).createOr(r -> r.update());
            createSnapshotClass(client, RETAIN_CLASS, driver.driverName(), "Retain", true);
            createSnapshotClass(client, DELETE_CLASS, driver.driverName(), "Delete", false);
            return new CsiServers(cluster, driver, client, controller, provisioner, snapshotter);
        } catch (RuntimeException | Error e) {
            started.forEach(ServerProcess::close);
            client.close();
            throw e;
        }
    }

    /**
     * Creates (or updates) the three {@code snapshot.storage.k8s.io} CRDs of the built
     * external-snapshotter in {@code cluster} and waits until they are established.
     */
    public static void installSnapshotCrds(RealCluster cluster, KubernetesClient client) {
        Path folder = TestServers.require(SNAPSHOT_CRDS);
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no snapshot CRDs in " + folder + ": " + TestServers.BUILD_HINT);
        }
        List<String> names = new ArrayList<>();
        for (Path file : files) {
            CustomResourceDefinition crd;
            try {
                crd = client.getKubernetesSerialization().unmarshal(Files.readString(file, StandardCharsets.UTF_8),
                        CustomResourceDefinition.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(r -> r.update());
            names.add(crd.getMetadata().getName());
        }
        names.forEach(n -> cluster.awaitEstablished(client, n));
    }

    /** Creates (or replaces) a VolumeSnapshotClass for {@code driver}. */
    public static GenericKubernetesResource createSnapshotClass(KubernetesClient client, String name, String driver,
            String deletionPolicy, boolean defaultClass) {
        GenericKubernetesResource cls = new GenericKubernetesResource();
        cls.setApiVersion("snapshot.storage.k8s.io/v1");
        cls.setKind("VolumeSnapshotClass");
        ObjectMetaBuilder meta = new ObjectMetaBuilder().withName(name);
        if (defaultClass) {
            meta.addToAnnotations("snapshot.storage.kubernetes.io/is-default-class", "true");
        }
        cls.setMetadata(meta.build());
        cls.setAdditionalProperty("driver", driver);
        cls.setAdditionalProperty("deletionPolicy", deletionPolicy);
        return client.genericKubernetesResources(VOLUME_SNAPSHOT_CLASSES).resource(cls).createOr(r -> r.update());
    }

    private static ServerProcess startSnapshotter(RealCluster cluster, CsiHostPathDriver driver) {
        return startMetered(SNAPSHOTTER, TestServers.require(SNAPSHOTTER), List.of(
                "--kubeconfig", cluster.kubeconfig().toString(), "--csi-address", driver.socket().toString(),
                "--leader-election=false", "--extra-create-metadata", "--timeout=30s",
                "--retry-interval-start=500ms", "--retry-interval-max=5s", "--worker-threads=4"));
    }

    /** Starts a process with {@code --http-endpoint} on a free port of 127.0.0.1 and waits until it serves its metrics. */
    private static ServerProcess startMetered(String name, Path binary, List<String> args) {
        int port = TestServers.freePort();
        List<String> all = new ArrayList<>(args);
        all.add("--http-endpoint=127.0.0.1:" + port);
        all.add("--v=4");
        return ServerProcess.builder(name, binary).args(all).start(p -> {
            p.awaitHttpOk("http://127.0.0.1:" + port + "/metrics", START_TIMEOUT);
            return p;
        });
    }

    /** The driver the sidecars talk to. */
    public CsiHostPathDriver driver() {
        return driver;
    }

    /** The cluster they serve. */
    public RealCluster cluster() {
        return cluster;
    }

    /** Stops the csi-snapshotter sidecar (VolumeSnapshots then wait, as when the sidecar is down); see {@link #startSnapshotter()}. */
    public synchronized void stopSnapshotter() {
        if (snapshotter != null) {
            snapshotter.close();
            snapshotter = null;
        }
    }

    /** Starts the csi-snapshotter sidecar again after {@link #stopSnapshotter()} (does nothing while it runs). */
    public synchronized void startSnapshotter() {
        if (snapshotter == null) {
            snapshotter = startSnapshotter(cluster, driver);
        }
    }

    /**
     * Creates a claim of the StorageClass {@value #STORAGE_CLASS} ({@code ReadWriteOnce},
     * filesystem) and waits until the provisioner has made its volume and the claim is Bound.
     *
     * @return the bound claim
     */
    public PersistentVolumeClaim createClaim(String namespace, String name, String size, Map<String, String> labels,
            Map<String, String> annotations) {
        client.persistentVolumeClaims().inNamespace(namespace).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).withLabels(new LinkedHashMap<>(labels))
                .withAnnotations(new LinkedHashMap<>(annotations)).endMetadata()
                .withNewSpec().withStorageClassName(STORAGE_CLASS).withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity(size)).endResources().endSpec()
                .build()).create();
        return awaitBound(namespace, name, BIND_TIMEOUT);
    }

    /** Waits until the claim is Bound to a volume (e.g. one provisioned from a snapshot by a restore). */
    public PersistentVolumeClaim awaitBound(String namespace, String name, Duration timeout) {
        PersistentVolumeClaim[] last = new PersistentVolumeClaim[1];
        provisioner.awaitCondition("bind claim " + namespace + "/" + name, timeout, () -> {
            last[0] = client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
            return last[0] != null && last[0].getStatus() != null && "Bound".equals(last[0].getStatus().getPhase());
        });
        return last[0];
    }

    /** The folder of the volume bound to the claim (which must be Bound to a volume of this driver). */
    public Path volumeFolder(String namespace, String claim) {
        PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
        if (pvc == null || pvc.getSpec().getVolumeName() == null || pvc.getSpec().getVolumeName().isEmpty()) {
            throw new IllegalStateException("claim " + namespace + "/" + claim + " is not bound to a volume: " + pvc);
        }
        PersistentVolume pv = client.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
        if (pv == null || pv.getSpec().getCsi() == null || !driver.driverName().equals(pv.getSpec().getCsi().getDriver())) {
            throw new IllegalStateException("volume " + pvc.getSpec().getVolumeName() + " of claim " + namespace + "/" + claim
                    + " is not a volume of driver " + driver.driverName());
        }
        return driver.volumeFolder(pv.getSpec().getCsi().getVolumeHandle());
    }

    /** The logs of the snapshot controller, the provisioner and the snapshotter (for failure messages). */
    public String tails(int lines) {
        StringBuilder out = new StringBuilder();
        for (ServerProcess p : new ServerProcess[] {controller, provisioner, snapshotter}) {
            if (p != null) {
                out.append("---- ").append(p.name()).append(" (").append(p.log()).append(")\n").append(p.tail(lines)).append('\n');
            }
        }
        return out.toString();
    }

    /** Stops the three processes and closes the client; the driver and the cluster stay. */
    @Override
    public synchronized void close() {
        stopSnapshotter();
        provisioner.close();
        controller.close();
        client.close();
    }

    @Override
    public String toString() {
        return "CsiServers[" + cluster + ", " + driver + "]";
    }
}
