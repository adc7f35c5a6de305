package io.kbackup.testkit.servers;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kbackup.testkit.cluster.RealCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The real Velero server ({@code velero server}, built with its AWS plugin by
 * {@code .ci/servers/build.sh velero}) running outside a {@link RealCluster}, with its BackupStorageLocation
 * {@value #LOCATION} on a bucket of a real {@link MinioServer} through Velero's AWS plugin.
 *
 * <p>{@link #start(RealCluster, MinioServer, String, String)} applies Velero's CRDs (as
 * {@code velero install --crds-only --dry-run -o yaml} prints them), creates the namespace
 * {@value #NAMESPACE}, the credentials Secret {@value #CREDENTIALS_SECRET} (an AWS INI file, also
 * handed to the plugin through {@code AWS_SHARED_CREDENTIALS_FILE}) and the location, copies the
 * AWS plugin into a plugin folder, creates a Deployment {@code velero} with no replicas (Velero's
 * restore reads its image), starts the server by absolute path (it re-runs its own binary
 * for its built-in plugins) and waits until the location is Available; then it starts the server
 * once more and waits until that run's first backup sync pass has ended, so backups already in the
 * bucket are in the cluster when it returns (Velero's first pass comes before it has validated the
 * location and skips it; the next would come a minute later, see {@link #BACKUP_SYNC_INTERVAL}).
 *
 * <pre>{@code
 * try (RealCluster cluster = RealCluster.start(); MinioServer minio = MinioServer.start();
 *      VeleroServer velero = VeleroServer.start(cluster, minio.createBucket("velero"), "velero", null)) {
 *     GenericKubernetesResource backup = velero.backup("b1", Map.of("includedNamespaces", List.of("shop")),
 *             Duration.ofMinutes(2));
 * }
 * }</pre>
 *
 * <p>Velero restores into the cluster it runs on; for a restore into another cluster start a
 * {@code VeleroServer} on that cluster with the same bucket and prefix (its backup sync brings the
 * backups in). Several Velero servers run side by side on one machine (one per cluster): Velero
 * 1.18's {@code pkg/cmd/server/server.go} calls {@code ctrl.NewManager} without {@code Metrics}
 * options, so controller-runtime 0.21 would bind its metrics listener to
 * {@code metricsserver.DefaultBindAddress} ({@code ":8080"}), which no Velero flag moves; the server
 * is built with {@code -X sigs.k8s.io/controller-runtime/pkg/metrics/server.DefaultBindAddress=0},
 * which turns that listener off. The health probe and pprof listeners stay off;
 * {@code --metrics-address} and {@code --profiler-address} (Velero's own servers) get free ports here;
 * the plugins talk over Unix sockets.
 */
public final class VeleroServer implements AutoCloseable {

    /** The Velero binary's name in {@link TestServers#binDir()}. */
    public static final String BINARY = "velero";

    /** The AWS object-store plugin's binary name in {@link TestServers#binDir()}. */
    public static final String AWS_PLUGIN = "velero-plugin-for-aws";

    /** The namespace Velero's custom resources live in. */
    public static final String NAMESPACE = "velero";

    /** The name of the BackupStorageLocation (the default one). */
    public static final String LOCATION = "default";

    /** The Secret that holds the AWS INI credentials, key {@value #CREDENTIALS_KEY}. */
    public static final String CREDENTIALS_SECRET = "cloud-credentials";

    /** The key of the INI file in {@link #CREDENTIALS_SECRET}. */
    public static final String CREDENTIALS_KEY = "cloud";

    /**
     * The server's {@code --backup-sync-period} (Velero's default is one minute): the least time
     * between two backup sync passes. Velero 1.18 starts a pass only once a minute
     * ({@link #BACKUP_SYNC_INTERVAL}), so with this short period every such pass syncs, where the
     * default would skip every other one.
     */
    public static final Duration BACKUP_SYNC_PERIOD = Duration.ofSeconds(3);

    /**
     * How often Velero 1.18 syncs backups from the bucket: a pass at the server's start (which
     * {@link #start(RealCluster, MinioServer, String, String)} waits for), then one a minute
     * ({@code backupSyncReconcilePeriod}, a constant no flag changes).
     */
    public static final Duration BACKUP_SYNC_INTERVAL = Duration.ofMinutes(1);

    /** The image named in the stand-in Deployment {@code velero} (never pulled: no replicas). */
    public static final String IMAGE = "velero/velero:v1.18.3";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String GROUP = "velero.io";
    private static final Set<String> BACKUP_DONE = Set.of("Completed", "PartiallyFailed", "Failed", "FailedValidation");
    private static final Set<String> RESTORE_DONE = Set.of("Completed", "PartiallyFailed", "Failed", "FailedValidation");

    private final ServerProcess process;
    private final KubernetesClient client;
    private final Path velero;
    private final Path kubeconfig;
    private final Path home;

    private VeleroServer(ServerProcess process, KubernetesClient client, Path velero, Path kubeconfig, Path home) {
        this.process = process;
        this.client = client;
        this.velero = velero;
        this.kubeconfig = kubeconfig;
        this.home = home;
    }

    /** A Velero custom resource kind of {@code velero.io/v1}. */
    public static ResourceDefinitionContext kind(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    /** {@code velero.io/v1} Backup. */
    public static final ResourceDefinitionContext BACKUP = kind("Backup", "backups");
    /** {@code velero.io/v1} Restore. */
    public static final ResourceDefinitionContext RESTORE = kind("Restore", "restores");
    /** {@code velero.io/v1} BackupStorageLocation. */
    public static final ResourceDefinitionContext BSL = kind("BackupStorageLocation", "backupstoragelocations");

    /**
     * Installs Velero into {@code cluster} (CRDs, namespace, credentials, location on
     * {@code bucket} under {@code prefix} of {@code minio}, which must exist), starts the server and
     * waits until the location is Available.
     *
     * @param prefix the location's prefix, or {@code null} for the bucket's root
     */
    public static VeleroServer start(RealCluster cluster, MinioServer minio, String bucket, String prefix) {
        return start(cluster, minio, bucket, prefix, new String[0]);
    }

    /**
     * As {@link #start(RealCluster, MinioServer, String, String)}, with more {@code velero server}
     * flags, e.g. {@code --features=EnableCSI} for CSI snapshots (with {@code CsiServers} on the cluster).
     */
    public static VeleroServer start(RealCluster cluster, MinioServer minio, String bucket, String prefix,
            String... serverArgs) {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(minio, "minio");
        Objects.requireNonNull(bucket, "bucket");
        Path velero = TestServers.require(BINARY);
        Path plugin = TestServers.require(AWS_PLUGIN);
        Path home;
        try {
            home = Files.createTempDirectory("kbackup-velero-home");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path kubeconfig = cluster.writeKubeconfig(home.resolve("kubeconfig"));
        KubernetesClient client = cluster.client();
        try {
            VeleroInstall.applyCrds(cluster, client, velero, kubeconfig, home);
            if (client.namespaces().withName(NAMESPACE).get() == null) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                        .build()).create();
            }
            // Velero's built-in PodVolumeRestoreAction reads the Deployment velero (for the restore
            // helper's image) when it is instantiated, so every restore fails without one
            // ('deployments.apps "velero" not found'): stand in for the install's Deployment, with
            // no replicas (the server runs outside the cluster)
            client.apps().deployments().inNamespace(NAMESPACE).resource(new io.fabric8.kubernetes.api.model.apps
                    .DeploymentBuilder().withNewMetadata().withName("velero").withNamespace(NAMESPACE)
                    .addToLabels("component", "velero").endMetadata()
                    .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("deploy", "velero").endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("deploy", "velero").endMetadata()
                    .withNewSpec().addNewContainer().withName("velero").withImage(IMAGE).endContainer().endSpec()
                    .endTemplate().endSpec().build()).createOr(r -> r.update());
            String ini = "[default]\naws_access_key_id=" + minio.rootUser() + "\naws_secret_access_key="
                    + minio.rootPassword() + "\n";
            Path credentials = home.resolve("credentials-velero");
            Files.writeString(credentials, ini, StandardCharsets.UTF_8);
            client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                    .withName(CREDENTIALS_SECRET).withNamespace(NAMESPACE).endMetadata()
                    .addToStringData(CREDENTIALS_KEY, ini).build()).createOr(r -> r.update());
            client.genericKubernetesResources(BSL).inNamespace(NAMESPACE)
                    .resource(VeleroInstall.location(bucket, prefix, minio.endpoint())).createOr(r -> r.update());
            Path plugins = Files.createDirectories(home.resolve("plugins"));
            Files.copy(plugin, plugins.resolve(AWS_PLUGIN), StandardCopyOption.REPLACE_EXISTING);
            plugins.resolve(AWS_PLUGIN).toFile().setExecutable(true);
            // Velero 1.18 runs its backup sync once a minute (backupSyncReconcilePeriod in
            // pkg/controller/backup_sync_controller.go, a constant; --backup-sync-period only spaces the
            // passes further apart), the first pass right at the start, before the location has been
            // validated, so that pass skips it ("BackupStorageLocation is in unavailable state"). The first
            // run validates the location; the second, started with the location Available, syncs what
            // the bucket holds at once, so backups already there are in the cluster when this returns
            ServerProcess first = launch(velero, plugins, credentials, home, client, null, serverArgs);
            first.close();
            ServerProcess process = launch(velero, plugins, credentials, home, client, Instant.now(), serverArgs);
            return new VeleroServer(process, client, velero, kubeconfig, home);
        } catch (IOException e) {
            client.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            client.close();
            if (String.valueOf(e.getMessage()).contains(":8080: bind: address already in use")) {
                throw new IllegalStateException("this velero binary (" + velero + ") still binds controller-runtime's"
                        + " metrics listener to :8080, so it cannot run next to another Velero server: it was built before"
                        + " .ci/servers/build.sh turned that listener off; run bash .ci/servers/build.sh velero", e);
            }
            throw e;
        }
    }

    /**
     * Starts {@code velero server} and waits until the location is Available and, when
     * {@code syncedAfter} is given, until a backup sync pass of this run has ended (the location's
     * {@code status.lastSyncedTime}, in whole seconds, at or after it).
     */
    private static ServerProcess launch(Path velero, Path plugins, Path credentials, Path home, KubernetesClient client,
            Instant syncedAfter, String... serverArgs) {
        return ServerProcess.builder("velero", velero)
                .args("server", "--kubeconfig", home.resolve("kubeconfig").toString(), "--namespace", NAMESPACE,
                        "--plugin-dir", plugins.toString(),
                        "--metrics-address", "127.0.0.1:" + TestServers.freePort(),
                        "--profiler-address", "127.0.0.1:" + TestServers.freePort(),
                        "--default-backup-storage-location", LOCATION,
                        "--backup-sync-period", BACKUP_SYNC_PERIOD.toSeconds() + "s",
                        "--store-validation-frequency", "5s",
                        "--log-level", "info")
                .args(serverArgs)
                .env("AWS_SHARED_CREDENTIALS_FILE", credentials.toString())
                .env("HOME", home.toString())
                .env("VELERO_NAMESPACE", NAMESPACE)
                .start(process -> {
                    String what = syncedAfter == null ? "make location " + LOCATION + " Available"
                            : "sync location " + LOCATION + " at its start";
                    process.awaitCondition(what, START_TIMEOUT, () -> {
                        GenericKubernetesResource bsl = client.genericKubernetesResources(BSL).inNamespace(NAMESPACE)
                                .withName(LOCATION).get();
                        return "Available".equals(phase(bsl)) && (syncedAfter == null
                                || !lastSynced(bsl).isBefore(syncedAfter.truncatedTo(ChronoUnit.SECONDS)));
                    });
                    return process;
                });
    }

    private static Instant lastSynced(GenericKubernetesResource bsl) {
        if (bsl.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                && status.get("lastSyncedTime") instanceof String time) {
            return Instant.parse(time);
        }
        return Instant.MIN;
    }

    /** A {@code velero.io/v1} resource in {@link #NAMESPACE} with this spec. */
    public static GenericKubernetesResource resource(String kind, String name, Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(GROUP + "/v1");
        r.setKind(kind);
        r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE)
                .build());
        r.setAdditionalProperty("spec", spec);
        return r;
    }

    /** The phase in a Velero resource's status, or {@code null}. */
    public static String phase(GenericKubernetesResource r) {
        if (r == null || !(r.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
            return null;
        }
        Object phase = status.get("phase");
        return phase == null ? null : phase.toString();
    }

    /** A client of the cluster Velero runs on (closed with this server). */
    public KubernetesClient client() {
        return client;
    }

    /** The server process's id (its plugins run as its child processes). */
    public long pid() {
        return process.pid();
    }

    /** The server's log (standard output and error). */
    public Path log() {
        return process.log();
    }

    /** The last lines of the server's log. */
    public String tail(int lines) {
        return process.tail(lines);
    }

    /** The BackupStorageLocation as it is now. */
    public GenericKubernetesResource location() {
        return client.genericKubernetesResources(BSL).inNamespace(NAMESPACE).withName(LOCATION).get();
    }

    /**
     * Creates a Backup {@code name} with this spec ({@code storageLocation} defaults to
     * {@value #LOCATION}) and waits until Velero has finished it (Completed, PartiallyFailed,
     * Failed or FailedValidation).
     *
     * @return the Backup as Velero left it
     */
    public GenericKubernetesResource backup(String name, Map<String, Object> spec, Duration timeout) {
        Map<String, Object> s = new LinkedHashMap<>(spec);
        s.putIfAbsent("storageLocation", LOCATION);
        client.genericKubernetesResources(BACKUP).inNamespace(NAMESPACE).resource(resource("Backup", name, s)).create();
        return await(BACKUP, name, BACKUP_DONE, timeout);
    }

    /**
     * Waits until a Backup {@code name} exists (e.g. brought in by Velero's backup sync from the
     * bucket) with a finished phase.
     */
    public GenericKubernetesResource awaitBackup(String name, Duration timeout) {
        return await(BACKUP, name, BACKUP_DONE, timeout);
    }

    /**
     * Creates a Restore {@code name} with this spec (at least {@code backupName}) and waits until
     * Velero has finished it (Completed, PartiallyFailed, Failed or FailedValidation).
     *
     * @return the Restore as Velero left it
     */
    public GenericKubernetesResource restore(String name, Map<String, Object> spec, Duration timeout) {
        client.genericKubernetesResources(RESTORE).inNamespace(NAMESPACE).resource(resource("Restore", name, spec)).create();
        return await(RESTORE, name, RESTORE_DONE, timeout);
    }

    private GenericKubernetesResource await(ResourceDefinitionContext kind, String name, Set<String> done,
            Duration timeout) {
        GenericKubernetesResource[] last = new GenericKubernetesResource[1];
        process.awaitCondition("finish " + kind.getKind() + " " + name, timeout, () -> {
            last[0] = client.genericKubernetesResources(kind).inNamespace(NAMESPACE).withName(name).get();
            String phase = phase(last[0]);
            return phase != null && done.contains(phase);
        });
        return last[0];
    }

    /**
     * Runs the Velero CLI against this server's cluster and namespace, e.g.
     * {@code cli("backup", "describe", "b1", "--details")}.
     *
     * @return its standard output and error
     * @throws IllegalStateException when it exits with an error
     */
    public String cli(String... args) {
        List<String> command = new ArrayList<>(List.of(velero.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--kubeconfig", kubeconfig.toString(), "--namespace", NAMESPACE));
        try {
            return VeleroInstall.run(command, null, home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server, closes the client and deletes the working folder. */
    @Override
    public void close() {
        process.close();
        client.close();
        ServerProcess.deleteTree(home);
    }

    @Override
    public String toString() {
        return "VeleroServer[pid " + process.pid() + ", log " + process.log() + "]";
    }
}
