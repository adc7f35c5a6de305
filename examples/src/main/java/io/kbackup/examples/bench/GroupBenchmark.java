package io.kbackup.examples.bench;

import io.kbackup.ClientListener;
import io.kbackup.OperationListener;
import io.kbackup.ResourceEntry;
import io.kbackup.ResultMessage;
import io.kbackup.RestoreInfo;
import java.util.function.Consumer;
import io.kbackup.BackupClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.Progress;
import io.kbackup.RestoreHandle;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import io.kbackup.core.fleet.ClusterGroup;
import io.kbackup.core.fleet.GroupRun;
import io.kbackup.core.fleet.GroupRunInfo;
import io.kbackup.core.fleet.MemberPhase;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

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
            for (int i = 0; i < members; i++) {
                doubles.add(new Member(timer, memberMs));
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

    /** A member double: its backup ends Completed after a fixed time on a shared timer. */
    private static final class Member implements BackupClient {
        private final ScheduledExecutorService timer;
        private final int ms;

        Member(ScheduledExecutorService timer, int ms) {
            this.timer = timer;
            this.ms = ms;
        }

        @Override
        public BackupHandle backup(BackupPlan plan) {
            String name = plan.backupNameAt(Instant.now());
            CompletableFuture<BackupInfo> done = new CompletableFuture<>();
            timer.schedule(() -> done.complete(BackupInfo.builder().name(name).phase(BackupPhase.Completed).itemsTotal(10)
                    .itemsBackedUp(10).build()), ms, TimeUnit.MILLISECONDS);
            return new BackupHandle() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public BackupPhase phase() {
                    return done.isDone() ? BackupPhase.Completed : BackupPhase.InProgress;
                }

                @Override
                public Progress progress() {
                    return new Progress(10, done.isDone() ? 10 : 0, 0);
                }

                @Override
                public BackupInfo await(Duration timeout) {
                    return done.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
                }

                @Override
                public CompletableFuture<BackupInfo> completion() {
                    return done;
                }

                @Override
                public void cancel() {}

                @Override
                public void addListener(OperationListener<? super BackupPhase, ? super BackupInfo> listener) {
                    done.thenAccept(info -> listener.onEnd(name, info, null));
                }

                @Override
                public void removeListener(OperationListener<? super BackupPhase, ? super BackupInfo> listener) {}
            };
        }

        @Override
        public List<BackupInfo> listBackups(BackupLocation location) {
            return List.of();
        }

        @Override
        public BackupInfo describeBackup(BackupLocation location, String backupName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteBackup(BackupLocation location, String backupName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.kbackup.VerifyReport verify(BackupLocation location, String backupName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RestoreHandle restore(RestorePlan plan) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RestorePreview preview(RestorePlan plan) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<RestoreInfo> listRestores(BackupLocation location) {
            return List.of();
        }

        @Override
        public RestoreInfo describeRestore(BackupLocation location, String restoreName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void backupLog(BackupLocation location, String backupName, Consumer<String> line) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void backupResults(BackupLocation location, String backupName, Consumer<ResultMessage> message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void backupResources(BackupLocation location, String backupName, Consumer<ResourceEntry> item) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void restoreLog(BackupLocation location, String restoreName, Consumer<String> line) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void restoreResults(BackupLocation location, String restoreName, Consumer<ResultMessage> message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void restoreResources(BackupLocation location, String restoreName, Consumer<ResourceEntry> item) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void addListener(ClientListener listener) {}

        @Override
        public void removeListener(ClientListener listener) {}

        @Override
        public void close() {}
    }
}
