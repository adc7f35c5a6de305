package io.kbackup.examples.bench;

import io.kbackup.BackupClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.core.fleet.ClusterGroup;
import io.kbackup.core.fleet.GroupRun;
import io.kbackup.core.fleet.GroupRunInfo;
import io.kbackup.core.fleet.MemberPhase;
import io.kbackup.testkit.engine.MemberDouble;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The group machinery's own cost per member: a {@link ClusterGroup} of N light member doubles
 * (each "backup" ends after {@code --member-ms} on a shared timer and writes nothing) against the
 * same doubles started directly with the same concurrency bound and nothing recorded. The
 * difference per member is what the group adds: the health-check call, two record writes into the
 * member's folder (local folder storage), dispatch and bookkeeping. Also prints the peak thread
 * count and heap of each phase.
 *
 * <pre>
 * examples/bench.sh -Xmx256m group --members 100,1000,5000 --concurrency 16 --member-ms 1
 * </pre>
 */
public final class GroupBenchmark {
    private GroupBenchmark() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, Set.of("--members", "--concurrency", "--member-ms"), Set.of());
        int concurrency = args.getInt("--concurrency", 16);
        int memberMs = args.getInt("--member-ms", 1);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "member-timer");
            t.setDaemon(true);
            return t;
        });
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("load %.2f, heap max %s, concurrency %d, member backup %d ms%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                HeapMeter.mib(Runtime.getRuntime().maxMemory()), concurrency, memberMs);
        System.out.println("| members | direct (ms) | group (ms) | overhead per member (ms) | peak threads direct / group | group heap peak used / kept live |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: |");
        // a first, unprinted run of 200 members warms up the JIT, class loading and the storage provider
        for (String n : ("w200," + args.get("--members", "100,1000")).split(",")) {
            boolean warmUp = n.startsWith("w");
            int members = Integer.parseInt(n.trim().replace("w", ""));
            List<BackupClient> doubles = new ArrayList<>();
            AtomicInteger running = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            for (int i = 0; i < members; i++) {
                doubles.add(new MemberDouble(timer, Duration.ofMillis(memberMs), 10, running, peak));
            }
            // direct: the same doubles, the same bound, nothing recorded
            int base = threads.getThreadCount();
            threads.resetPeakThreadCount();
            long t0 = System.nanoTime();
            Semaphore slots = new Semaphore(concurrency);
            List<CompletableFuture<BackupInfo>> all = new ArrayList<>();
            BackupPlan direct = BackupPlan.builder().name("direct").location(BackupLocation.localFolder(Path.of("/tmp")).build()).build();
            for (BackupClient c : doubles) {
                slots.acquire();
                CompletableFuture<BackupInfo> f = c.backup(direct).completion();
                f.whenComplete((i, e) -> slots.release());
                all.add(f);
            }
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
            long directMs = (System.nanoTime() - t0) / 1_000_000;
            int directThreads = threads.getPeakThreadCount() - base;

            Path folder = Files.createTempDirectory("kbackup-group-bench");
            ClusterGroup.Builder b = ClusterGroup.builder().name("bench").concurrency(concurrency).maxConcurrency(concurrency);
            for (int i = 0; i < members; i++) {
                b.member(String.format("m-%05d", i), doubles.get(i));
            }
            try (ClusterGroup group = b.build(); HeapMeter heap = new HeapMeter()) {
                heap.start();
                base = threads.getThreadCount();
                threads.resetPeakThreadCount();
                t0 = System.nanoTime();
                GroupRun<BackupHandle, BackupInfo> run = group.backup(BackupPlan.builder().prefix("bench")
                        .location(BackupLocation.localFolder(folder).build()).build());
                GroupRunInfo info = run.await(Duration.ofMinutes(30));
                long groupMs = (System.nanoTime() - t0) / 1_000_000;
                int groupThreads = threads.getPeakThreadCount() - base;
                HeapMeter.Reading r = heap.stop();
                if (info.count(MemberPhase.COMPLETED) != members) {
                    throw new IllegalStateException("not every member completed: " + info.phase());
                }
                if (warmUp) {
                    continue;
                }
                System.out.printf("| %d | %d | %d | %.3f | %d / %d | %s / %s |%n", members, directMs, groupMs,
                        (groupMs - directMs) / (double) members, Math.max(0, directThreads), Math.max(0, groupThreads),
                        HeapMeter.mib(r.peakUsed() - r.baseline()), HeapMeter.mib(r.phaseLive()));
            }
        }
    }
}
