package io.kbackup.examples.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.Credentials;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.examples.Logging;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.servers.VeleroServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * kbackup against the real Velero server (v1.18 with the AWS plugin, from the test kit), in one run on the same
 * objects and the same MinIO bucket: one source {@code RealCluster} holds both contents ({@code --objects} mixed
 * objects over {@code --namespaces} namespaces, and {@code --secrets} Secrets in one namespace, Velero issue #6845);
 * for each content, Velero's backup (a {@code Backup} of its namespaces, until Completed) then kbackup's
 * (DirectEngine, same namespaces, same bucket); then each restore into an empty {@code RealCluster} of its own:
 * Velero's (a Velero server on the target syncs the bucket; a {@code Restore}, until it ends) and kbackup's.
 *
 * <p>A kbackup backup of the first content runs first as this JVM's warm-up (not reported). Figures per phase: wall time, objects/s, CPU seconds and peak RSS of the process doing the work: Velero's
 * server and its plugin processes ({@code /proc}), or this JVM (kbackup runs in it). One Velero server runs
 * at a time, so that the figures of one do not include another's work. {@code --secrets 0} or {@code --objects 0} skips a
 * content. See examples/BENCHMARKS.md.
 */
public final class VeleroBenchmark {
    private static final String BUCKET = "bench";
    private static final String PREFIX = "bench";
    private static final String SECRETS_NS = "bench-secrets";
    private static final Duration WAIT = Duration.ofHours(2);

    private VeleroBenchmark() {}

    /** A content: its label, namespaces and object count. */
    private record Content(String label, List<String> namespaces, long objects) {}

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        Args a = Args.parseOrExit(args, Set.of("--objects", "--namespaces", "--secrets"), Set.of());
        int objects = a.getInt("--objects", 10_000);
        int namespaces = a.getInt("--namespaces", 50);
        int secrets = a.getInt("--secrets", 31_000);
        System.exit(run(objects, namespaces, secrets));
    }

    static int run(int objects, int namespaces, int secrets) throws Exception {
        List<Content> contents = new ArrayList<>();
        if (objects > 0) {
            contents.add(new Content(String.format(Locale.ROOT, "%,d mixed in %d ns", objects, namespaces),
                    IntStream.range(0, namespaces).mapToObj(Workload::nsName).toList(), objects));
        }
        if (secrets > 0) {
            contents.add(new Content(String.format(Locale.ROOT, "%,d Secrets in 1 ns", secrets), List.of(SECRETS_NS), secrets));
        }
        System.out.println("kbackup against Velero " + VeleroServer.IMAGE.replaceAll(".*:", "") + " (AWS plugin), MinIO bucket");
        System.out.println("  machine: " + Report.machine() + ", load " + Report.load());
        Report report = new Report("content", "phase", "items", "wall time", "objects/s", "CPU time", "peak RSS", "load avg");
        try (MinioServer minio = MinioServer.start()) {
            minio.createBucket(BUCKET);
            BackupLocation location = BackupLocation.minio(minio.endpoint(), BUCKET).prefix(PREFIX)
                    .credentials(Credentials.awsStatic(minio.rootUser(), minio.rootPassword())).build();
            Stream<HasMetadata> nss = Stream.concat(objects > 0 ? Workload.mixed(objects, namespaces).limit(namespaces)
                    : Stream.empty(), secrets > 0 ? Stream.of(new NamespaceBuilder().withNewMetadata().withName(SECRETS_NS)
                    .endMetadata().build()) : Stream.empty());
            Stream<HasMetadata> items = Stream.concat(objects > 0 ? Workload.mixed(objects, namespaces).skip(namespaces)
                    : Stream.empty(), secrets > 0 ? Workload.secrets(secrets, SECRETS_NS).skip(1) : Stream.empty());
            long t0 = System.nanoTime();
            try (BenchCluster source = BenchCluster.real(Stream.concat(nss, items))) {
                System.out.println("  source: " + source.where() + ", seeded " + source.seeded() + " objects in "
                        + Report.seconds(System.nanoTime() - t0));
                try (VeleroServer velero = VeleroServer.start(source.realCluster(), minio, BUCKET, PREFIX);
                        var client = source.client(); DirectEngine direct = KBackup.direct(client)) {
                    // warm-up, not reported: this JVM's JIT on the first content
                    direct.backup(BackupPlan.builder().name("kbackup-warm-up").location(location)
                            .includedNamespaces(contents.get(0).namespaces()).build()).await(WAIT);
                    for (int i = 0; i < contents.size(); i++) {
                        Content c = contents.get(i);
                        veleroBackup(report, velero, c, "velero-" + i);
                        kbackupBackup(report, direct, location, c, "kbackup-" + i);
                    }
                }
            }
            for (int i = 0; i < contents.size(); i++) {
                Content c = contents.get(i);
                try (BenchCluster target = BenchCluster.real();
                        VeleroServer velero = VeleroServer.start(target.realCluster(), minio, BUCKET, PREFIX)) {
                    veleroRestore(report, velero, c, "velero-" + i);
                }
                try (BenchCluster target = BenchCluster.real(); var client = target.client();
                        DirectEngine direct = KBackup.direct(client)) {
                    kbackupRestore(report, direct, location, c, "kbackup-" + i);
                }
            }
        }
        System.out.println();
        System.out.print(report.render("  "));
        return 0;
    }

    private static void veleroBackup(Report report, VeleroServer velero, Content c, String name) {
        GenericKubernetesResource done;
        long start = System.nanoTime();
        try (ProcessMeter meter = ProcessMeter.start(velero.pid(), true)) {
            done = velero.backup(name, Map.of("includedNamespaces", c.namespaces()), WAIT);
            meter.close();
            long wall = System.nanoTime() - start;
            require("Completed".equals(VeleroServer.phase(done)), "Velero's backup " + name + " ended " + VeleroServer.phase(done)
                    + "; log " + velero.log());
            long items = progress(done, "itemsBackedUp");
            row(report, c, "Velero backup", items, wall, meter);
        }
    }

    private static void kbackupBackup(Report report, DirectEngine direct, BackupLocation location, Content c, String name) {
        long start = System.nanoTime();
        try (ProcessMeter meter = ProcessMeter.self()) {
            BackupInfo info = direct.backup(BackupPlan.builder().name(name).location(location)
                    .includedNamespaces(c.namespaces()).build()).await(WAIT);
            meter.close();
            long wall = System.nanoTime() - start;
            require(info.phase() == BackupPhase.COMPLETED, "kbackup's backup " + name + ": " + info);
            row(report, c, "kbackup backup", info.itemsBackedUp(), wall, meter);
        }
    }

    private static void veleroRestore(Report report, VeleroServer velero, Content c, String backup) {
        velero.awaitBackup(backup, Duration.ofMinutes(5)); // synced from the bucket
        long start = System.nanoTime();
        try (ProcessMeter meter = ProcessMeter.start(velero.pid(), true)) {
            GenericKubernetesResource done = velero.restore(backup + "-restore", Map.of("backupName", backup), WAIT);
            meter.close();
            long wall = System.nanoTime() - start;
            require(Set.of("Completed", "PartiallyFailed").contains(VeleroServer.phase(done)),
                    "Velero's restore of " + backup + " ended " + VeleroServer.phase(done) + "; log " + velero.log());
            row(report, c, "Velero restore" + ("Completed".equals(VeleroServer.phase(done)) ? "" : " (PartiallyFailed)"),
                    progress(done, "itemsRestored"), wall, meter);
        }
    }

    private static void kbackupRestore(Report report, DirectEngine direct, BackupLocation location, Content c, String backup) {
        long start = System.nanoTime();
        try (ProcessMeter meter = ProcessMeter.self()) {
            RestoreInfo info = direct.restore(RestorePlan.builder().location(location).backupName(backup)
                    .restoreName(backup + "-restore").build()).await(WAIT);
            meter.close();
            long wall = System.nanoTime() - start;
            require(info.phase() == RestorePhase.COMPLETED || info.phase() == RestorePhase.PARTIALLY_FAILED,
                    "kbackup's restore of " + backup + ": " + info);
            row(report, c, "kbackup restore" + (info.phase() == RestorePhase.COMPLETED ? "" : " (PartiallyFailed)"),
                    info.itemsRestored(), wall, meter);
        }
    }

    private static void row(Report report, Content c, String phase, long items, long wall, ProcessMeter meter) {
        report.row(c.label(), phase, String.format(Locale.ROOT, "%,d", items), Report.seconds(wall), Report.rate(items, wall),
                Report.seconds(meter.cpuNanos()), HeapMeter.mib(meter.peakRssBytes()), Report.load());
        System.out.printf(Locale.ROOT, "  %s, %s: %,d items in %s (%s objects/s), CPU %s, peak RSS %s, load %s%n",
                c.label(), phase, items, Report.seconds(wall), Report.rate(items, wall), Report.seconds(meter.cpuNanos()),
                HeapMeter.mib(meter.peakRssBytes()), Report.load());
    }

    private static long progress(GenericKubernetesResource r, String field) {
        if (r.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                && status.get("progress") instanceof Map<?, ?> progress && progress.get(field) instanceof Number n) {
            return n.longValue();
        }
        return 0;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
