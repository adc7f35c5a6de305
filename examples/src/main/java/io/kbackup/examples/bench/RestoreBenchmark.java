package io.kbackup.examples.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.examples.Logging;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Restore benchmark: restores the same backup two ways into fresh clusters, in one run:
 * <ol>
 *   <li>kbackup's restore (DirectEngine, {@code restoreConcurrency} parallel creates);</li>
 *   <li>a one-at-a-time create loop over the same objects in Velero's restore order (namespaces, secrets,
 *       configmaps, services, then the rest alphabetically), the objects prepared beforehand as Velero's restore
 *       prepares them (uid, resourceVersion, timestamps, generation, managedFields, ownerReferences and status
 *       removed, velero.io labels added): Velero restores one item at a time.</li>
 * </ol>
 *
 * <p>Options: {@code --kind mixed|secrets} (mixed: the backup benchmark's content; secrets: Velero issue #6845,
 * N Secrets in one namespace), {@code --objects N} (10000; 31000 for #6845), {@code --namespaces M} (N/200),
 * {@code --concurrency C} (DirectOptions default 16), {@code --page-size 500}, {@code --fsync} (real only: the
 * targets' etcd syncs every write to disk, as a production etcd does), {@code --repeat R} (restore and loop alternate R
 * times, best of each compared), {@code --profile DIR} (the last round profiled into DIR, see {@link Profiler}). See
 * examples/BENCHMARKS.md.
 */
public final class RestoreBenchmark {

    private static final List<String> VELERO_ORDER = List.of("Namespace", "PersistentVolume", "PersistentVolumeClaim",
            "ServiceAccount", "Secret", "ConfigMap", "Pod", "ReplicaSet", "Endpoints", "Service");
    private static final Set<String> DEFAULT_NAMESPACES = Set.of("default", "kube-system", "kube-public", "kube-node-lease");

    /** {@code --cluster real}: source and targets are RealClusters (etcd + kube-apiserver), no latency proxy. */
    private static boolean real;
    /** {@code --fsync}: the target RealClusters' etcd syncs every write to disk, as in production. */
    private static boolean fsync;
    /** {@code --repeat R}: restore and loop alternate R times, each into a fresh cluster; best of each compared. */
    private static int repeat = 1;
    /** {@code --profile DIR}: the last round's restore and loop profiled into DIR ({@link Profiler}). */
    private static Profiler profiler = Profiler.into(null);

    private RestoreBenchmark() {}

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        Args a = Args.parseOrExit(args, Set.of("--kind", "--objects", "--namespaces", "--concurrency", "--page-size", "--latency-ms",
                "--server", "--server-heap", "--cluster", "--repeat", "--profile"),
                Set.of("--fsync"));
        Workload.Kind kind = Workload.Kind.valueOf(a.get("--kind", "mixed").toUpperCase(java.util.Locale.ROOT));
        int objects = a.getInt("--objects", kind == Workload.Kind.SECRETS ? 31_000 : 10_000);
        int namespaces = kind == Workload.Kind.SECRETS ? 1 : a.getInt("--namespaces", Workload.defaultNamespaces(objects));
        int concurrency = a.getInt("--concurrency", DirectOptions.defaults().restoreConcurrency());
        double latency = Double.parseDouble(a.get("--latency-ms", "0"));
        String server = a.get("--server", "in-process");
        real = a.get("--cluster", BenchCluster.realAvailable() ? "real" : "embedded").equals("real");
        fsync = a.flag("--fsync");
        repeat = Math.max(1, a.getInt("--repeat", 1));
        profiler = Profiler.into(a.get("--profile", null));
        if (profiler.profiling()) {
            BenchCluster.enableProfiling();
        }
        if (fsync && !real) {
            System.out.println("--fsync needs --cluster real");
            System.exit(2);
        }
        if (real && latency > 0) {
            System.out.println("--latency-ms needs --cluster embedded (the real API server speaks TLS)");
            System.exit(2);
        }
        System.exit(run(kind, objects, namespaces, concurrency, a.getInt("--page-size", 500), latency,
                server.equals("separate") ? a.get("--server-heap", "3g") : null));
    }

    static int run(Workload.Kind kind, int objects, int namespaces, int concurrency, int pageSize, double latencyMs,
                   String separateHeap) throws Exception {
        System.out.println("kbackup restore benchmark");
        System.out.println("  machine: " + Report.machine());
        System.out.println("  content: " + (kind == Workload.Kind.SECRETS
                ? objects + " Secrets of 1-4 KiB in one namespace (Velero issue #6845)"
                : objects + " objects in " + namespaces + " namespaces: 40% ConfigMaps and 30% Secrets of 1-4 KiB,"
                + " 15% Deployments, 15% Services"));
        System.out.println("  API servers: " + (real ? "RealCluster (etcd + kube-apiserver, no controller-manager)"
                + (fsync ? "; the targets' etcd fsyncs every write" : "; etcd --unsafe-no-fsync")
                : "EmbeddedCluster " + (separateHeap == null ? "in this JVM"
                : "each in a separate JVM (-Xmx" + separateHeap + ")")) + " (source and each target); restore concurrency "
                + concurrency + (latencyMs > 0 ? "; targets behind a proxy adding " + latencyMs + " ms each way ("
                + (2 * latencyMs) + " ms per round trip)" : "; no added latency"));
        Path work = Files.createTempDirectory("kbackup-bench-");
        BackupLocation location = BackupLocation.localFolder(work.resolve("backups")).build();
        DirectOptions options = DirectOptions.builder().pageSize(pageSize).restoreConcurrency(concurrency).build();
        try {
            BackupInfo backup;
            List<GenericKubernetesResource> items = new ArrayList<>();
            try (BenchCluster source = real ? BenchCluster.real(kind, objects, namespaces)
                         : separateHeap == null ? BenchCluster.inProcess(kind, objects, namespaces)
                         : BenchCluster.separate(kind, objects, namespaces, separateHeap);
                 KubernetesClient client = source.client();
                 DirectEngine engine = KBackup.direct(client, options)) {
                long t0 = System.nanoTime();
                backup = engine.backup(BackupPlan.builder().name("restore-bench").location(location).build())
                        .await(Duration.ofHours(1));
                System.out.println("  backup of the source: " + backup.veleroPhase() + ", " + backup.itemsBackedUp()
                        + " items in " + Report.seconds(System.nanoTime() - t0));
                if (backup.phase() != BackupPhase.COMPLETED) {
                    System.out.println("FAILED: the backup did not complete: " + backup.failure().orElse(""));
                    return 1;
                }
                List<ApiTypes.Type> types = ApiTypes.discover(client);
                ApiTypes.listAll(client, types, pageSize, o -> {
                    if (restorable(o)) {
                        items.add(preparedAsVelero(o, backup.name()));
                    }
                });
            }
            items.sort(Comparator.comparingInt(RestoreBenchmark::veleroRank)
                    .thenComparing(o -> o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()));
            System.out.println("  objects to restore (excluding the default namespaces): " + items.size());
            System.out.println();

            // warm-up of the create path (client and server JIT), not reported
            try (BenchCluster scratch = emptyCluster(separateHeap).withLatency(latencyMs); KubernetesClient c = scratch.client()) {
                createOneAtATime(c, items.subList(0, Math.min(items.size(), 1000)));
            }
            // and of kbackup's restore: the whole archive read, a tenth of the namespaces applied
            try (BenchCluster scratch = emptyCluster(separateHeap).withLatency(latencyMs); KubernetesClient c = scratch.client();
                 DirectEngine engine = KBackup.direct(c, options)) {
                List<String> some = java.util.stream.IntStream.range(0, Math.max(1, namespaces / 10))
                        .mapToObj(Workload::nsName).toList();
                engine.restore(RestorePlan.builder().location(location).backupName(backup.name()).includedNamespaces(some).build())
                        .await(Duration.ofHours(1));
            }

            Report report = new Report("method", "wall time", "CPU time", "kube-apiserver CPU", "etcd CPU", "objects",
                    "objects/s", "created", "existing/skipped", "failed", "peak heap used", "peak after GC", "load avg");
            long restoreNanos = Long.MAX_VALUE;
            long serialNanos = Long.MAX_VALUE;
            Profiler.Cpu restoreCpu = null;
            Profiler.Cpu serialCpu = null;
            RestoreInfo info = null;
            Counts serial = null;
            for (int r = 1; r <= repeat; r++) {
                String suffix = repeat > 1 ? " #" + r : "";
                String profile = r == repeat && profiler.profiling() ? "restore-" + kind.name().toLowerCase(java.util.Locale.ROOT)
                        + "-" + objects + (fsync ? "-fsync" : "") + "-" : null;
                try (BenchCluster target = emptyCluster(separateHeap).withLatency(latencyMs); KubernetesClient c = target.client();
                     DirectEngine engine = KBackup.direct(c, options)) {
                    Timed<RestoreInfo> t = timed(profile == null ? null : profile + "kbackup-restore", target, () -> engine.restore(
                            RestorePlan.builder().location(location).backupName(backup.name()).build()).await(Duration.ofHours(1)));
                    info = t.result();
                    if (t.nanos() < restoreNanos) {
                        restoreNanos = t.nanos();
                        restoreCpu = t.cpus();
                    }
                    t.row(report, "kbackup restore" + suffix, info.itemsRestored(), info.created(),
                            info.unchanged() + info.skipped(), info.failed());
                }
                try (BenchCluster target = emptyCluster(separateHeap).withLatency(latencyMs); KubernetesClient c = target.client()) {
                    Timed<Counts> t = timed(profile == null ? null : profile + "one-at-a-time", target, () -> createOneAtATime(c, items));
                    serial = t.result();
                    if (t.nanos() < serialNanos) {
                        serialNanos = t.nanos();
                        serialCpu = t.cpus();
                    }
                    t.row(report, "one at a time (Velero's way)" + suffix, serial.created + serial.existing, serial.created,
                            serial.existing, serial.failed);
                }
            }
            System.out.print(report.render("  "));
            System.out.println();
            double speedup = (double) serialNanos / restoreNanos;
            System.out.println("  kbackup restore: " + info.veleroPhase() + ", " + info.errors().size() + " errors, "
                    + info.warnings().size() + " warnings");
            info.errors().stream().limit(5).forEach(e -> System.out.println("    error: " + e));
            System.out.println("  speed-up over one at a time" + (repeat > 1 ? " (best of " + repeat + ")" : "") + ": "
                    + Report.ratio(speedup) + " -> target >= 5x " + (speedup >= 5 ? "MET" : "MISSED")
                    + (real ? String.format(java.util.Locale.ROOT, "; CPU of JVM + kube-apiserver + etcd: restore %.2f s,"
                    + " one at a time %.2f s; as a share of the cores during each: %.0f%% and %.0f%%",
                    restoreCpu.totalNanos() / 1e9, serialCpu.totalNanos() / 1e9,
                    100.0 * restoreCpu.totalNanos() / restoreNanos / Runtime.getRuntime().availableProcessors(),
                    100.0 * serialCpu.totalNanos() / serialNanos / Runtime.getRuntime().availableProcessors()) : ""));
            System.out.println("  (the serial loop's objects were prepared in memory before timing; the restore reads"
                    + " and unpacks the backup from the local folder inside its time)");
            return info.phase() == RestorePhase.COMPLETED && serial.failed == 0 ? 0 : 1;
        } finally {
            Report.deleteTree(work);
        }
    }

    private static BenchCluster emptyCluster(String separateHeap) {
        if (real) {
            return BenchCluster.real(fsync);
        }
        return separateHeap == null ? BenchCluster.inProcess() : BenchCluster.separate(Workload.Kind.MIXED, 0, 0, separateHeap);
    }

    /** One timed phase: its result, wall and CPU time, the three processes' CPU and this JVM's heap. */
    private record Timed<T>(T result, long nanos, long cpu, Profiler.Cpu cpus, HeapMeter.Reading heap) {

        /** Adds the phase's row to {@code report} and says it is done. */
        void row(Report report, String method, long objects, long created, long existing, long failed) {
            report.row(method, Report.seconds(nanos), Report.seconds(cpu), cpus.apiServer(), cpus.etcd(), Long.toString(objects),
                    Report.rate(objects, nanos), Long.toString(created), Long.toString(existing), Long.toString(failed),
                    HeapMeter.mib(heap.peakUsed()), heap.gcCount() == 0 ? "-" : HeapMeter.mib(heap.peakLive()), Report.load());
            System.out.println("  done: " + method + " in " + Report.seconds(nanos));
        }
    }

    /** Runs {@code body} under a {@link HeapMeter} and the {@link Profiler} (profiled as {@code profile} unless null). */
    private static <T> Timed<T> timed(String profile, BenchCluster target, java.util.function.Supplier<T> body) {
        HeapMeter meter = new HeapMeter().start();
        Profiler.Phase phase = profiler.start(profile, target, profile != null);
        long cpu0 = Report.processCpuNanos();
        long t0 = System.nanoTime();
        T result = body.get();
        long nanos = System.nanoTime() - t0;
        long cpu = Report.processCpuNanos() - cpu0;
        Profiler.Cpu cpus = phase.stop();
        return new Timed<>(result, nanos, cpu, cpus, meter.stop());
    }

    /** Counts of a create loop. */
    record Counts(long created, long existing, long failed) {}

    /**
     * Creates {@code items} one after the other, each with one POST through a client resolved once per type (as
     * Velero's dynamic client does), counting 409 Conflict as existing.
     */
    static Counts createOneAtATime(KubernetesClient client, List<GenericKubernetesResource> items) {
        long created = 0;
        long existing = 0;
        long failed = 0;
        Map<String, ApiTypes.Type> types = new HashMap<>();
        for (ApiTypes.Type t : ApiTypes.discover(client)) {
            types.put((t.group().isEmpty() ? t.version() : t.group() + "/" + t.version()) + "/" + t.kind(), t);
        }
        for (GenericKubernetesResource o : items) {
            try {
                ApiTypes.Type t = types.get(o.getApiVersion() + "/" + o.getKind());
                var op = client.genericKubernetesResources(t.context());
                if (t.namespaced()) {
                    op.inNamespace(o.getMetadata().getNamespace()).resource(o).create();
                } else {
                    op.resource(o).create();
                }
                created++;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    existing++;
                } else {
                    failed++;
                }
            }
        }
        return new Counts(created, existing, failed);
    }

    private static boolean restorable(GenericKubernetesResource o) {
        String kind = o.getKind();
        if (kind.equals("Node") || kind.equals("Event")) {
            return false;
        }
        return !(kind.equals("Namespace") && DEFAULT_NAMESPACES.contains(o.getMetadata().getName()));
    }

    private static int veleroRank(GenericKubernetesResource o) {
        int i = VELERO_ORDER.indexOf(o.getKind());
        return i < 0 ? VELERO_ORDER.size() : i;
    }

    /** What Velero's restore does to an item before it creates it. */
    private static GenericKubernetesResource preparedAsVelero(GenericKubernetesResource o, String backupName) {
        ObjectMeta m = o.getMetadata();
        m.setUid(null);
        m.setResourceVersion(null);
        m.setCreationTimestamp(null);
        m.setGeneration(null);
        m.setManagedFields(null);
        m.setOwnerReferences(null);
        m.setSelfLink(null);
        m.setGenerateName(null);
        Map<String, String> labels = m.getLabels() == null ? new HashMap<>() : new HashMap<>(m.getLabels());
        labels.put("velero.io/backup-name", backupName);
        labels.put("velero.io/restore-name", backupName + "-serial");
        m.setLabels(labels);
        o.getAdditionalProperties().remove("status");
        if (o.getKind().equals("Service") && o.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                && !"None".equals(spec.get("clusterIP"))) {
            spec.remove("clusterIP");
            spec.remove("clusterIPs");
        }
        return o;
    }
}
