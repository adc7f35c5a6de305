package io.kbackup.examples.bench;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.examples.Logging;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.cluster.TestCluster;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a test harness pays to put a namespace back after a test: a namespace of N objects (60%
 * ConfigMaps, 40% Secrets, 1 KiB of data each) is backed up once; then, R times, a "test" changes
 * 5 objects (creates 2, changes 2, deletes 1) and the namespace is put back two ways:
 * <ol>
 *   <li>a reset ({@code RestorePlan.Builder.reset()}): lists the namespace, acts only on what
 *       differs;</li>
 *   <li>delete the namespace, wait until it is gone, restore the backup into it again.</li>
 * </ol>
 * Each way is checked to leave the namespace as backed up. Options: {@code --cluster real|embedded}
 * (real, with kube-controller-manager, which namespace deletion needs), {@code --objects N} (500),
 * {@code --repeat R} (3).
 *
 * <pre>
 * examples/bench.sh reset --objects 500 --repeat 3
 * </pre>
 */
public final class ResetBenchmark {
    private static final String NS = "reset-bench";
    private static final Duration WAIT = Duration.ofMinutes(10);

    private ResetBenchmark() {}

    public static void main(String[] argv) throws Exception {
        Logging.quiet();
        Args a = Args.parse(argv, Set.of("--cluster", "--objects", "--repeat"), Set.of());
        boolean real = a.get("--cluster", BenchCluster.realAvailable() ? "real" : "embedded").equals("real");
        int objects = a.getInt("--objects", 500);
        int repeat = a.getInt("--repeat", 3);
        Path folder = Files.createTempDirectory("kbackup-reset-bench");
        try (TestCluster cluster = real ? RealCluster.start() : EmbeddedCluster.start(); KubernetesClient client = cluster.client();
                DirectEngine kbackup = KBackup.direct(client)) {
            seed(client, objects);
            BackupLocation location = BackupLocation.localFolder(folder).build();
            Map<String, String> expected = contents(client);
            System.out.printf("%s cluster, namespace of %d objects, load %.1f%n", real ? "real" : "embedded", expected.size(), load());
            System.out.println("| run | way | wall time | outcome | load avg |");
            System.out.println("| ---: | --- | ---: | --- | ---: |");
            for (int run = 1; run <= repeat; run++) {
                // the snapshot a harness takes before a test (after the previous run's recreate, the objects are new ones)
                String name = "before-test-" + run;
                long s0 = System.nanoTime();
                BackupInfo backup = kbackup.backup(BackupPlan.builder().name(name).location(location).includedNamespaces(NS).build())
                        .await(WAIT);
                if (backup.phase() != BackupPhase.COMPLETED) {
                    throw new IllegalStateException("backup " + backup);
                }
                expected = contents(client);
                System.out.printf("| %d | snapshot (backup of the namespace) | %.2f s | %d items | %.1f |%n", run, (System.nanoTime() - s0) / 1e9,
                        backup.itemsBackedUp(), load());
                RestorePlan reset = RestorePlan.builder().location(location).backupName(name).includedNamespaces(NS).reset().build();
                RestorePlan restore = RestorePlan.builder().location(location).backupName(name).includedNamespaces(NS).build();
                changeFive(client, run);
                long t0 = System.nanoTime();
                RestoreInfo r = kbackup.restore(reset).await(WAIT);
                long resetNanos = System.nanoTime() - t0;
                check(client, expected, r, "reset");
                System.out.printf("| %d | reset | %.2f s | %d created, %d updated, %d unchanged | %.1f |%n", run, resetNanos / 1e9,
                        r.created(), r.updated(), r.unchanged(), load());

                changeFive(client, run);
                t0 = System.nanoTime();
                client.namespaces().withName(NS).delete();
                while (client.namespaces().withName(NS).get() != null) {
                    Thread.sleep(50);
                }
                RestoreInfo full = kbackup.restore(restore).await(WAIT);
                long recreateNanos = System.nanoTime() - t0;
                check(client, expected, full, "delete and recreate");
                System.out.printf("| %d | delete the namespace, restore it | %.2f s | %d created | %.1f |%n", run, recreateNanos / 1e9,
                        full.created(), load());
            }
        } finally {
            try (var files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void seed(KubernetesClient client, int objects) throws InterruptedException {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        byte[] data = new byte[768];
        new java.util.Random(1).nextBytes(data);
        String value = Base64.getEncoder().encodeToString(data); // 1 KiB
        List<HasMetadata> all = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            String name = String.format("obj-%04d", i);
            all.add(i % 5 < 3
                    ? new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata().addToData("v", value).build()
                    : new SecretBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata().addToData("v", value).build());
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        for (HasMetadata o : all) {
            pool.execute(() -> client.resource(o).create());
        }
        pool.shutdown();
        pool.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
    }

    /** The "test": creates 2 objects, changes 2, deletes 1. */
    private static void changeFive(KubernetesClient client, int run) {
        for (int i = 0; i < 2; i++) {
            client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("test-" + run + "-" + i)
                    .endMetadata().addToData("v", "x").build()).create();
        }
        client.configMaps().inNamespace(NS).withName("obj-0000").edit(c -> new ConfigMapBuilder(c).addToData("v", "changed").build());
        client.configMaps().inNamespace(NS).withName("obj-0001").edit(c -> new ConfigMapBuilder(c).addToData("extra", "y").build());
        client.configMaps().inNamespace(NS).withName("obj-0002").delete();
    }

    private static Map<String, String> contents(KubernetesClient client) {
        Map<String, String> out = new TreeMap<>();
        client.configMaps().inNamespace(NS).list().getItems().stream().filter(c -> !c.getMetadata().getName().equals("kube-root-ca.crt"))
                .forEach(c -> out.put("cm/" + c.getMetadata().getName(), String.valueOf(c.getData())));
        client.secrets().inNamespace(NS).list().getItems().stream().filter(s -> !"kubernetes.io/service-account-token".equals(s.getType()))
                .forEach(s -> out.put("secret/" + s.getMetadata().getName(), String.valueOf(s.getData())));
        return out;
    }

    private static void check(KubernetesClient client, Map<String, String> expected, RestoreInfo info, String way) {
        if (info.phase() != RestorePhase.COMPLETED) {
            throw new IllegalStateException(way + ": " + info);
        }
        if (!contents(client).equals(expected)) {
            throw new IllegalStateException(way + " did not put the namespace back");
        }
    }
}
