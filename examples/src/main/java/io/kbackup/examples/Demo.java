package io.kbackup.examples;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.KBackupException;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.ResultMessage;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.StandInSnapshotController;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The README's demo: backs up a cluster to a local folder, lists the backup's details, restores it into a second
 * cluster with a namespace mapping and checks that every restored object matches its source.
 *
 * <p>Both clusters are in-process API servers ({@link EmbeddedCluster}); the source is seeded with
 * {@link SampleApp}. The backup includes disks: the CSI volume is snapshotted (a {@link StandInSnapshotController}
 * plays the snapshot controller) and its claim is restored from the snapshot. Run it with
 * <pre>
 * mvn -B -q -pl examples -am package -DskipTests -Pdemo
 * </pre>
 * Arguments: {@code --location DIR} (default {@code ./kbackup-demo-backups}). Exit code 0 when the backup and the
 * restore completed and the round-trip check passed, 1 otherwise, 2 for bad arguments.
 */
public final class Demo {

    /** The default backup folder, relative to the working directory. */
    public static final Path DEFAULT_LOCATION = Path.of("kbackup-demo-backups");

    /** The restore's namespace mapping. */
    public static final Map<String, String> NAMESPACE_MAPPING = Map.of("shop", "shop-restored");

    private static final Duration WAIT = Duration.ofMinutes(5);

    /**
     * What a run produced.
     *
     * @param exitCode 0 on success
     * @param backup   the backup's details, null if the backup did not complete
     * @param backups  the backups listed at the location after the backup
     * @param restore  the restore's details, null if it did not run
     * @param check    the round-trip check, null if it did not run
     */
    public record Outcome(int exitCode, BackupInfo backup, List<BackupInfo> backups, RestoreInfo restore,
                          RoundTripCheck.Result check) {}

    private final PrintStream out;

    private Demo(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        Logging.quiet();
        int code = run(List.of(args), System.out).exitCode();
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs the demo, writing its report to {@code out}.
     *
     * @param args command-line arguments
     * @param out  where the report goes
     * @return the outcome; never null
     */
    public static Outcome run(List<String> args, PrintStream out) {
        Path location = DEFAULT_LOCATION;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--location") && i + 1 < args.size()) {
                location = Path.of(args.get(++i));
            } else if (a.startsWith("--location=")) {
                location = Path.of(a.substring("--location=".length()));
            } else if (a.equals("--help") || a.equals("-h")) {
                out.println(usage());
                return new Outcome(0, null, List.of(), null, null);
            } else {
                out.println("Unknown argument '" + a + "'.\n" + usage());
                return new Outcome(2, null, List.of(), null, null);
            }
        }
        return new Demo(out).run(location.toAbsolutePath().normalize());
    }

    private static String usage() {
        return "Usage: Demo [--location DIR]   (default: ./" + DEFAULT_LOCATION + ")";
    }

    private Outcome run(Path folder) {
        out.println("kbackup demo: back up a cluster, list the backup, restore it into another cluster, compare.");
        out.println();
        BackupLocation location = BackupLocation.localFolder(folder).build();
        BackupInfo backup = null;
        List<BackupInfo> backups = List.of();
        RestoreInfo restore = null;
        try (EmbeddedCluster sourceCluster = EmbeddedCluster.start();
             KubernetesClient source = sourceCluster.client();
             DirectEngine engine = KBackup.direct(source)) {
            List<ObjectRef> seeded = SampleApp.seed(source);
            out.println("1. Source cluster: embedded API server at " + sourceCluster.url());
            out.println("   seeded " + seeded.size() + " objects: " + describe(seeded));

            BackupPlan plan = BackupPlan.builder().prefix("demo").location(location).expiry(Duration.ofDays(7))
                    .includeAllDisks(true).build();
            out.print("2. Backup with all disks to " + folder + " ... ");
            out.flush();
            long t0 = System.nanoTime();
            // the embedded server runs no controllers: this stand-in answers the backup's VolumeSnapshots
            try (StandInSnapshotController snapshots = new StandInSnapshotController(source)) {
                backup = engine.backup(plan).await(WAIT);
            }
            out.println(backup.veleroPhase() + " in " + seconds(t0) + " (" + backup.name() + ", volume snapshots "
                    + backup.volumeSnapshotsCompleted() + "/" + backup.volumeSnapshotsAttempted() + ")");
            if (backup.failure().isPresent()) {
                out.println("   failure: " + backup.failure().get());
            }
            List<ObjectRef> inBackup = new ArrayList<>();
            engine.backupResources(location, backup.name(),
                    e -> inBackup.add(new ObjectRef(e.apiVersion(), e.kind(), e.namespace(), e.name())));
            explainCounts(seeded, inBackup);
            backups = new ArrayList<>(engine.listBackups(location));
            backups.sort(Comparator.comparing(BackupInfo::created, Comparator.nullsFirst(Comparator.naturalOrder())));
            out.println();
            out.println(indent(BackupTable.render(backups, Map.of(backup.name(), new BackupTable.Contents(
                    inBackup.stream().filter(ObjectRef::clusterScoped).count(),
                    inBackup.stream().filter(r -> r.kind().equals("PersistentVolumeClaim")).count())))));
            List<String> warnings = new ArrayList<>();
            engine.backupResults(location, backup.name(), m -> {
                if (m.severity() == ResultMessage.Severity.WARNING && warnings.size() < 10) {
                    warnings.add(m.toString());
                }
            });
            warnings.forEach(w -> out.println("   warning: " + w));
            out.println();
            if (backup.phase() != BackupPhase.COMPLETED) {
                out.println("FAILED: the backup ended " + backup.veleroPhase() + " with " + backup.errors() + " error(s).");
                return new Outcome(1, backup, backups, null, null);
            }

            try (EmbeddedCluster targetCluster = EmbeddedCluster.start();
                 KubernetesClient target = targetCluster.client();
                 DirectEngine targetEngine = KBackup.direct(target)) {
                RestorePlan restorePlan = RestorePlan.builder().location(location).backupName(backup.name())
                        .namespaceMapping(NAMESPACE_MAPPING).build();
                out.print("3. Restore into a second cluster (" + targetCluster.url() + "), namespaces "
                        + NAMESPACE_MAPPING.entrySet().stream().map(e -> e.getKey() + " -> " + e.getValue())
                        .collect(Collectors.joining(", ")) + " ... ");
                out.flush();
                t0 = System.nanoTime();
                restore = targetEngine.restore(restorePlan).await(WAIT);
                out.println(restore.veleroPhase() + " in " + seconds(t0));
                out.println("   items " + restore.itemsRestored() + "/" + restore.itemsTotal() + " restored: created "
                        + restore.created() + ", updated " + restore.updated() + ", unchanged " + restore.unchanged() + ", skipped " + restore.skipped()
                        + ", failed " + restore.failed() + "; " + restore.errors().size() + " error(s), "
                        + restore.warnings().size() + " warning(s)");
                restore.errors().stream().limit(10).forEach(e -> out.println("   error: " + e));
                if (restore.failureReason() != null) {
                    out.println("   failure: " + restore.failureReason());
                }

                RoundTripCheck.Result check = new RoundTripCheck(source, target, NAMESPACE_MAPPING, true).check(seeded);
                out.println("4. Round-trip check: " + check.matched().size() + " objects match their source"
                        + " (ignoring what a restore resets: uid, resourceVersion, timestamps, ownerReferences, status,"
                        + " velero.io labels, Service IPs/nodePorts, Pod nodeName, volume binding)");
                check.skippedByReason().forEach((reason, n) -> out.println("   not restored, as in Velero: " + n + " ("
                        + reason + ")"));
                check.missing().forEach(m -> out.println("   MISSING: " + m));
                check.mismatches().forEach(m -> out.println("   DIFFERS: " + m));
                boolean ok = restore.phase() == RestorePhase.COMPLETED && check.passed();
                out.println();
                out.println(ok ? "OK: backup, restore and round-trip check passed."
                        : "FAILED: " + (restore.phase() != RestorePhase.COMPLETED ? "the restore ended " + restore.veleroPhase()
                        + ". " : "") + (check.passed() ? "" : "the restored objects differ from their source."));
                return new Outcome(ok ? 0 : 1, backup, backups, restore, check);
            }
        } catch (KBackupException e) {
            out.println();
            out.println("FAILED: " + e.getMessage());
            return new Outcome(1, backup, backups, restore, null);
        }
    }

    /**
     * Why the backup holds more items than were seeded: the cluster itself made or holds some (each namespace's
     * default ServiceAccount and kube-root-ca.crt ConfigMap, the Namespace objects, the PersistentVolumes of claims,
     * the CRDs of custom resources), and what was seeded but left out (items a backup never takes).
     */
    private void explainCounts(List<ObjectRef> seeded, List<ObjectRef> inBackup) {
        java.util.Set<ObjectRef> seededSet = new java.util.HashSet<>(seeded);
        List<ObjectRef> extra = inBackup.stream().filter(r -> !seededSet.contains(r)).toList();
        java.util.Set<ObjectRef> backedUp = new java.util.HashSet<>(inBackup);
        List<ObjectRef> leftOut = seeded.stream().filter(r -> !backedUp.contains(r)).toList();
        out.println("   backed up " + inBackup.size() + " items: " + (seeded.size() - leftOut.size()) + " of the " + seeded.size()
                + " seeded objects" + (extra.isEmpty() ? "" : " + " + extra.size() + " the cluster holds as well ("
                + describe(extra) + ")"));
        if (!leftOut.isEmpty()) {
            out.println("   not in the backup: " + leftOut.stream().map(ObjectRef::toString).collect(Collectors.joining(", ")));
        }
    }

    private static String describe(List<ObjectRef> objects) {
        Map<String, Long> byKind = objects.stream()
                .collect(Collectors.groupingBy(ObjectRef::kind, java.util.LinkedHashMap::new, Collectors.counting()));
        return byKind.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }

    private static String seconds(long startNanos) {
        return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }

    private static String indent(String text) {
        return text.lines().map(l -> "   " + l).collect(Collectors.joining("\n"));
    }
}
