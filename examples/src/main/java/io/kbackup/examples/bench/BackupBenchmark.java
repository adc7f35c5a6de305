package io.kbackup.examples.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.examples.Logging;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Backup benchmark: one run measures, on the same seeded cluster and with the same client settings,
 * <ol>
 *   <li>a plain paged list of every listable type (fabric8, {@code limit=500}, items deserialised and dropped): the
 *       floor any backup has to pay;</li>
 *   <li>a kbackup backup (DirectEngine) of the whole cluster to a local folder;</li>
 *   <li>{@code kubectl get <every type> -A -o json}, what a user does by hand (skipped if kubectl is absent).</li>
 * </ol>
 * Each list/backup phase reports wall time, objects/s and this JVM's heap ({@link HeapMeter}).
 *
 * <p>Options: {@code --objects N} (10000), {@code --namespaces M} (N/200), {@code --cluster real|embedded} (real
 * when kube-apiserver and etcd are in the test kit's binary folder), {@code --server in-process|separate} (embedded only:
 * in-process; separate runs the API server in a child JVM so the heap figures are the client's alone),
 * {@code --server-heap 4g}, {@code --page-size 500}, {@code --repeat R} (1: list and backup alternate R times),
 * {@code --kubectl PATH} (/usr/bin/kubectl), {@code --no-kubectl}, {@code --seed api|etcd} (real only: api; etcd
 * creates the Namespaces through the API and writes the items into etcd directly, see {@link EtcdSeeder}),
 * {@code --data-bytes MIN-MAX} (with {@code --seed etcd}: the data of each ConfigMap and Secret, 1024-4096),
 * {@code --profile DIR} (one more round, profiled into DIR, see {@link Profiler}). See examples/BENCHMARKS.md.
 */
public final class BackupBenchmark {

    /** {@code --data-bytes MIN-MAX}: data of each ConfigMap and Secret (1024-4096). */
    private static int[] dataBytes = {1024, 4096};
    /** {@code --profile DIR}: one more list and backup round, profiled into DIR ({@link Profiler}), not counted. */
    private static Profiler profiler = Profiler.into(null);

    private BackupBenchmark() {}

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        Args a = Args.parseOrExit(args, Set.of("--objects", "--namespaces", "--cluster", "--server", "--server-heap", "--page-size", "--repeat",
                "--kubectl", "--seed", "--data-bytes", "--profile"), Set.of("--no-kubectl"));
        int objects = a.getInt("--objects", 10_000);
        int namespaces = a.getInt("--namespaces", Workload.defaultNamespaces(objects));
        boolean real = a.get("--cluster", BenchCluster.realAvailable() ? "real" : "embedded").equals("real");
        boolean separate = !real && a.get("--server", "in-process").equals("separate");
        boolean viaEtcd = real && a.get("--seed", "api").equals("etcd");
        String[] data = a.get("--data-bytes", "1024-4096").split("-");
        dataBytes = new int[] {Integer.parseInt(data[0]), Integer.parseInt(data[1])};
        if (!viaEtcd && (dataBytes[0] != 1024 || dataBytes[1] != 4096)) {
            System.out.println("--data-bytes needs --seed etcd");
            System.exit(2);
        }
        int pageSize = a.getInt("--page-size", 500);
        int repeat = Math.max(1, a.getInt("--repeat", 1));
        profiler = Profiler.into(a.get("--profile", null));
        if (profiler.profiling()) {
            BenchCluster.enableProfiling();
        }
        System.exit(run(objects, namespaces, real, viaEtcd, separate, a.get("--server-heap", "4g"), pageSize, repeat,
                a.flag("--no-kubectl") ? null : Kubectl.find(a.get("--kubectl", "/usr/bin/kubectl")),
                a.get("--kubectl", "/usr/bin/kubectl")));
    }

    static int run(int objects, int namespaces, boolean real, boolean viaEtcd, boolean separate, String serverHeap, int pageSize, int repeat,
                   Path kubectl, String kubectlAsked) throws Exception {
        System.out.println("kbackup backup benchmark");
        System.out.println("  machine: " + Report.machine());
        System.out.println("  content: " + objects + " objects in " + namespaces + " namespaces (+" + namespaces
                + " Namespace objects): 40% ConfigMaps and 30% Secrets of " + dataBytes[0] + "-" + dataBytes[1]
                + " bytes of data, 15% Deployments, 15% Services");
        Path work = Files.createTempDirectory("kbackup-bench-");
        long t0 = System.nanoTime();
        try (BenchCluster cluster = real ? (viaEtcd ? BenchCluster.realViaEtcd(objects, namespaces, dataBytes[0], dataBytes[1])
                : BenchCluster.real(Workload.Kind.MIXED, objects, namespaces)) : separate
                ? BenchCluster.separate(Workload.Kind.MIXED, objects, namespaces, serverHeap)
                : BenchCluster.inProcess(Workload.Kind.MIXED, objects, namespaces);
             KubernetesClient client = cluster.client()) {
            List<ApiTypes.Type> types = ApiTypes.discover(client);
            System.out.println("  API server: " + cluster.where() + (separate ? " -Xmx" + serverHeap : "")
                    + (viaEtcd ? ", items written into etcd directly" : "")
                    + ", " + cluster.seeded() + " objects seeded in " + Report.seconds(System.nanoTime() - t0)
                    + "; " + types.size() + " listable resource types; page size " + pageSize);
            System.out.println();

            Report report = new Report("phase", "wall time", "CPU time", "kube-apiserver CPU", "etcd CPU", "objects",
                    "objects/s", "peak heap used", "peak after GC", "above baseline", "GCs", "load avg");
            Bench bench = new Bench(report, cluster);
            // warm-up: JIT of client and server, not reported as a result
            long[] n = new long[1];
            bench.measure("paged list (warm-up)", null, () -> n[0] = ApiTypes.listAll(client, types, pageSize, o -> { }), n);

            DirectOptions options = DirectOptions.builder().pageSize(pageSize).build();
            // the backup's warm-up, as the list's: JIT of kbackup's code, not reported as a result
            try (DirectEngine engine = KBackup.direct(client, options)) {
                BackupPlan plan = BackupPlan.builder().name("bench-warm-up")
                        .location(BackupLocation.localFolder(work.resolve("backups-0")).build()).build();
                bench.measure("kbackup backup (warm-up)", null, () -> n[0] = engine.backup(plan).await(Duration.ofHours(1))
                        .itemsBackedUp(), n);
            }
            Report.deleteTree(work.resolve("backups-0"));
            Timing bestList = null;
            Timing bestBackup = null;
            List<Long> listWalls = new ArrayList<>();
            List<Long> backupWalls = new ArrayList<>();
            boolean backupOk = true;
            List<String> notes = new ArrayList<>();
            // with --profile, one more round, profiled, that does not count
            for (int r = 1; r <= repeat + (profiler.profiling() ? 1 : 0); r++) {
                String profile = r > repeat ? "backup-" + objects + "-" : null;
                String suffix = profile != null ? " (profiled)" : repeat > 1 ? " #" + r : "";
                Timing list = bench.measure("paged list" + suffix, profile == null ? null : profile + "paged-list",
                        () -> n[0] = ApiTypes.listAll(client, types, pageSize, o -> { }), n);
                if (profile == null) {
                    bestList = bestList == null || list.wall() < bestList.wall() ? list : bestList;
                    listWalls.add(list.wall());
                }
                Path folder = work.resolve("backups-" + r);
                BackupInfo[] info = new BackupInfo[1];
                try (DirectEngine engine = KBackup.direct(client, options)) {
                    BackupPlan plan = BackupPlan.builder().name("bench-" + r)
                            .location(BackupLocation.localFolder(folder).build()).build();
                    Timing took = bench.measure("kbackup backup" + suffix,
                            profile == null ? null : profile + "kbackup-backup", () -> {
                        info[0] = engine.backup(plan).await(Duration.ofHours(1));
                        n[0] = info[0].itemsBackedUp();
                    }, n);
                    if (profile == null) {
                        bestBackup = bestBackup == null || took.wall() < bestBackup.wall() ? took : bestBackup;
                        backupWalls.add(took.wall());
                    }
                }
                if (info[0].phase() != BackupPhase.COMPLETED) {
                    backupOk = false;
                    notes.add("backup " + info[0].name() + " ended " + info[0].veleroPhase() + " (" + info[0].errors()
                            + " errors" + info[0].failure().map(f -> ": " + f).orElse("") + ")");
                }
                notes.add("backup " + info[0].name() + ": " + info[0].itemsBackedUp() + " items, "
                        + HeapMeter.mib(Report.sizeOf(folder)) + " in the bucket folder");
                Report.deleteTree(folder);
            }

            if (kubectl != null) {
                Path kubeconfig = cluster.writeKubeconfig(work.resolve("kubeconfig"));
                Kubectl.Run k = Kubectl.getAll(kubectl, kubeconfig, types, work);
                report.row("kubectl get -A -o json", Report.seconds(k.nanos()), "-", "-", "-", "-", "-",
                        "rss " + HeapMeter.mib(k.peakRssBytes()), "-", "-", "-", Report.load());
                notes.add("kubectl " + kubectl + ": exit " + k.exitCode() + ", " + HeapMeter.mib(k.outputBytes())
                        + " of JSON, peak RSS " + HeapMeter.mib(k.peakRssBytes())
                        + (k.exitCode() != 0 ? "; stderr: " + k.stderrTail().strip() : ""));
            } else {
                notes.add("kubectl: skipped (" + kubectlAsked + " not found or --no-kubectl)");
            }

            System.out.print(report.render("  "));
            System.out.println();
            notes.forEach(s -> System.out.println("  " + s));
            System.out.println("  heap: peak used = highest sample of used heap (5 ms); peak after GC = highest occupancy"
                    + " after a collection; above baseline = that minus the live heap before the phase"
                    + (separate || real ? "" : " (the in-process API server's store is in the baseline)"));
            double ratio = (double) bestBackup.wall() / bestList.wall();
            System.out.println("  backup / paged list, wall time (best of " + repeat + "): " + Report.ratio(ratio)
                    + " -> target <= 1.3x " + (ratio <= 1.3 ? "MET" : "MISSED") + "; CPU time: "
                    + Report.ratio((double) bestBackup.cpu() / bestList.cpu())
                    + (repeat > 2 ? "; median wall times: " + Report.ratio((double) median(backupWalls) / median(listWalls)) : "")
                    + (real ? "; CPU of JVM + kube-apiserver + etcd: " + Report.ratio((double) bestBackup.cpus().totalNanos()
                    / bestList.cpus().totalNanos()) : ""));
            return backupOk ? 0 : 1;
        } finally {
            Report.deleteTree(work);
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Wall and CPU time of a phase, nanoseconds, and the CPU of each process. */
    record Timing(long wall, long cpu, Profiler.Cpu cpus) {}

    /** The report and cluster the phases of one run are measured against. */
    private record Bench(Report report, BenchCluster cluster) {

        /**
         * Runs one phase under a {@link HeapMeter} and {@link Profiler} (profiled into {@code profile}.txt when not
         * null), adds its row, returns its times.
         */
        Timing measure(String phase, String profile, Runnable body, long[] count) {
            HeapMeter meter = new HeapMeter().start();
            Profiler.Phase cpus = profiler.start(profile, cluster, profile != null);
            long cpu0 = Report.processCpuNanos();
            long t0 = System.nanoTime();
            body.run();
            long nanos = System.nanoTime() - t0;
            long cpu = Report.processCpuNanos() - cpu0;
            Profiler.Cpu c = cpus.stop();
            HeapMeter.Reading h = meter.stop();
            report.row(phase, Report.seconds(nanos), Report.seconds(cpu), c.apiServer(), c.etcd(), Long.toString(count[0]),
                    Report.rate(count[0], nanos), HeapMeter.mib(h.peakUsed()), h.gcCount() == 0 ? "-" : HeapMeter.mib(h.peakLive()),
                    h.gcCount() == 0 ? "-" : HeapMeter.mib(h.phaseLive()), Long.toString(h.gcCount()), Report.load());
            System.out.println("  done: " + phase + " in " + Report.seconds(nanos));
            return new Timing(nanos, cpu, c);
        }
    }
}
