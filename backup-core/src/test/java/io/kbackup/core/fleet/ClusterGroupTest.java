package io.kbackup.core.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import io.kbackup.KBackupException;
import io.kbackup.OperationListener;
import io.kbackup.Progress;
import io.kbackup.testkit.engine.MemberDouble;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterGroupTest {
    @TempDir
    Path folder;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private BackupLocation shared() {
        return BackupLocation.localFolder(folder).prefix("ws").build();
    }

    private MemberDouble fast() {
        return new MemberDouble(timer, Duration.ofMillis(2), 10, running, peak);
    }

    private MemberDouble gated() {
        return new MemberDouble(timer, null, 10, running, peak);
    }

    @Test
    void unhealthyAndUnreachableMembersAreSkippedWithATypedReasonAndTheOthersComplete() throws Exception {
        try (ClusterGroup g = ClusterGroup.builder().name("shop")
                .member("ok", fast())
                .member("sick", fast(), t -> MemberHealth.Status.unhealthy("/readyz answered 500: [-]etcd failed"))
                .member("gone", fast(), t -> MemberHealth.Status.unreachable("connection refused"))
                .member("broken", fast(), t -> {
                    throw new IllegalStateException("boom");
                })
                .build()) {
            GroupRun<BackupHandle, BackupInfo> run = g.backup(BackupPlan.builder().prefix("nightly").location(shared()).build());
            GroupRunInfo info = run.await(Duration.ofSeconds(10));
            assertThat(info.phase()).isEqualTo(GroupPhase.PARTIALLY_FAILED);
            assertThat(info.members().get("ok").phase()).isEqualTo(MemberPhase.COMPLETED);
            assertThat(info.members().get("ok").itemsDone()).isEqualTo(10);
            assertThat(info.members().get("sick").skipReason()).isEqualTo(SkipReason.UNHEALTHY);
            assertThat(info.members().get("sick").message()).contains("etcd failed");
            assertThat(info.members().get("gone").skipReason()).isEqualTo(SkipReason.UNREACHABLE);
            assertThat(info.members().get("broken").skipReason()).isEqualTo(SkipReason.UNREACHABLE);
            assertThat(run.started()).containsOnlyKeys("ok");
            assertThat(info.membersDone()).isEqualTo(4);
            // every member's part is recorded inside its own backup folder, skipped ones too
            assertThat(Files.exists(folder.resolve("ws/sick/backups/" + run.name() + "/kbackup-group-run.json"))).isTrue();
            assertThat(Files.exists(folder.resolve("ws/ok/backups/" + run.name() + "/kbackup-group-run.json"))).isTrue();
            assertThat(folder.resolve("ws/sick")).isDirectory();
            try (var top = Files.list(folder.resolve("ws/sick"))) {
                assertThat(top.map(p -> p.getFileName().toString())).containsExactly("backups");
            }
        }
        // a new host (same group name) reads the run back from the bucket alone
        try (ClusterGroup again = ClusterGroup.builder().name("shop").member("ok", fast()).build()) {
            List<GroupRunInfo> runs = again.listGroupBackups(shared());
            assertThat(runs).hasSize(1);
            GroupRunInfo read = runs.get(0);
            assertThat(read.members()).containsOnlyKeys("ok", "sick", "gone", "broken");
            assertThat(read.members().get("sick").skipReason()).isEqualTo(SkipReason.UNHEALTHY);
            assertThat(read.members().get("ok").phase()).isEqualTo(MemberPhase.COMPLETED);
            assertThat(read.phase()).isEqualTo(GroupPhase.PARTIALLY_FAILED);
            assertThat(again.describeGroupBackup(shared(), read.name())).isEqualTo(read);
            // another group's runs in the same location are not its own
            try (ClusterGroup other = ClusterGroup.builder().name("other").member("ok", fast()).build()) {
                assertThat(other.listGroupBackups(shared())).isEmpty();
            }
            assertThat(again.deleteBackup(shared(), read.name())).contains("sick", "gone", "broken", "ok");
            assertThat(again.listGroupBackups(shared())).isEmpty();
        }
    }

    @Test
    void readyzTellsHealthyUnhealthyAndUnreachableApart() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(true);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/readyz", ex -> {
            byte[] body = (ready.get() ? "ok" : "[-]etcd failed: reason withheld\nreadyz check failed").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ready.get() ? 200 : 500, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try (KubernetesClient up = client("http://127.0.0.1:" + server.getAddress().getPort());
             KubernetesClient down = client("http://127.0.0.1:1")) {
            assertThat(MemberHealth.readyz(up).check(Duration.ofSeconds(5)).ready()).isTrue();
            ready.set(false);
            MemberHealth.Status sick = MemberHealth.readyz(up).check(Duration.ofSeconds(5));
            assertThat(sick.reason()).isEqualTo(SkipReason.UNHEALTHY);
            assertThat(sick.message()).contains("500").contains("etcd failed");
            long t0 = System.nanoTime();
            MemberHealth.Status gone = MemberHealth.readyz(down).check(Duration.ofSeconds(2));
            assertThat(gone.reason()).isEqualTo(SkipReason.UNREACHABLE);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        } finally {
            server.stop(0);
        }
    }

    private static KubernetesClient client(String url) {
        return new KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl(url)
                .withRequestRetryBackoffLimit(0).withConnectionTimeout(1000).build()).build();
    }

    @Test
    void aThousandMembersRunWithBoundedConcurrencyAndThreads() throws Exception {
        ClusterGroup.Builder b = ClusterGroup.builder().name("fleet").concurrency(8).maxConcurrency(16);
        for (int i = 0; i < 1000; i++) {
            b.member(String.format("c-%04d", i), fast());
        }
        try (ClusterGroup g = b.build()) {
            int threadsBefore = groupThreads();
            GroupRun<BackupHandle, BackupInfo> run = g.backup(BackupPlan.builder().prefix("nightly").location(shared()).build());
            int maxThreads = 0;
            long lastDone = -1;
            while (!run.completion().isDone()) {
                maxThreads = Math.max(maxThreads, groupThreads());
                Progress p = run.progress();
                assertThat(p.itemsDone()).isGreaterThanOrEqualTo(lastDone);
                lastDone = p.itemsDone();
                assertThat(run.membersDone()).isBetween(0, 1000);
                Thread.sleep(5);
            }
            GroupRunInfo info = run.await(Duration.ofSeconds(60));
            assertThat(threadsBefore).isZero();
            assertThat(maxThreads).isLessThanOrEqualTo(g.maxConcurrency()).isGreaterThan(0);
            assertThat(peak.get()).isLessThanOrEqualTo(8).isGreaterThan(1);
            assertThat(info.phase()).isEqualTo(GroupPhase.COMPLETED);
            assertThat(info.membersDone()).isEqualTo(1000);
            assertThat(run.progress()).isEqualTo(new Progress(10_000, 10_000, 0));
            assertThat(g.listGroupBackups(shared())).singleElement().satisfies(r -> {
                assertThat(r.count(MemberPhase.COMPLETED)).isEqualTo(1000);
                assertThat(r.itemsDone()).isEqualTo(10_000);
            });
            assertThatThrownBy(() -> g.backup(BackupPlan.builder().prefix("x").location(shared()).build(), 17))
                    .isInstanceOf(InvalidPlanException.class).hasMessageContaining("maxConcurrency");
        }
    }

    private static int groupThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("kbackup-group-fleet-")).count();
    }

    @Test
    void aHostRestartInTheMiddleOfARunLeavesARecordThatSaysHowFarItGot() throws Exception {
        MemberDouble a = fast();
        MemberDouble b = fast();
        MemberDouble c = gated();
        MemberDouble d = gated();
        String name;
        ClusterGroup g = ClusterGroup.builder().name("shop").concurrency(2)
                .member("a", a).member("b", b).member("c", c).member("d", d).build();
        GroupRun<BackupHandle, BackupInfo> run = g.backup(BackupPlan.builder().prefix("nightly").location(shared()).build());
        name = run.name();
        long deadline = System.currentTimeMillis() + 10_000;
        while (run.started().size() < 4 && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertThat(run.phase()).isEqualTo(GroupPhase.IN_PROGRESS);
        assertThat(run.membersDone()).isEqualTo(2);
        // the host goes away: nothing more is recorded by it
        g.close();

        try (ClusterGroup restarted = ClusterGroup.builder().name("shop").member("a", fast()).build()) {
            GroupRunInfo seen = restarted.describeGroupBackup(shared(), name);
            assertThat(seen.phase()).isEqualTo(GroupPhase.IN_PROGRESS);
            assertThat(seen.members().get("a").phase()).isEqualTo(MemberPhase.COMPLETED);
            assertThat(seen.members().get("b").phase()).isEqualTo(MemberPhase.COMPLETED);
            assertThat(seen.members().get("c").phase()).isEqualTo(MemberPhase.STARTED);
            // c's engine finished elsewhere after the restart: its velero-backup.json is the truth
            Path json = folder.resolve("ws/c/backups/" + name + "/velero-backup.json");
            Files.writeString(json, "{\"apiVersion\":\"velero.io/v1\",\"kind\":\"Backup\",\"metadata\":{\"name\":\"" + name
                    + "\"},\"spec\":{},\"status\":{\"phase\":\"Completed\",\"progress\":{\"totalItems\":7,\"itemsBackedUp\":7}}}");
            GroupRunInfo later = restarted.describeGroupBackup(shared(), name);
            assertThat(later.members().get("c").phase()).isEqualTo(MemberPhase.COMPLETED);
            assertThat(later.members().get("c").itemsDone()).isEqualTo(7);
            assertThat(later.members().get("d").phase()).isEqualTo(MemberPhase.STARTED);
        }
        c.finishAll(BackupPhase.COMPLETED);
        d.finishAll(BackupPhase.COMPLETED);
    }

    @Test
    void cancelStartsNoMoreMembers() throws Exception {
        MemberDouble slow = gated();
        ClusterGroup.Builder b = ClusterGroup.builder().concurrency(1).member("first", slow);
        for (int i = 0; i < 5; i++) {
            b.member("m" + i, fast());
        }
        try (ClusterGroup g = b.build()) {
            GroupRun<BackupHandle, BackupInfo> run = g.backup(BackupPlan.builder().prefix("p").location(shared()).build());
            while (run.started().isEmpty()) {
                Thread.sleep(2);
            }
            run.cancel();
            GroupRunInfo info = run.await(Duration.ofSeconds(10));
            assertThat(info.members().get("first").phase()).isEqualTo(MemberPhase.FAILED);
            assertThat(info.count(MemberPhase.SKIPPED)).isEqualTo(5);
            assertThat(info.members().get("m4").skipReason()).isEqualTo(SkipReason.CANCELLED);
            assertThat(info.phase()).isEqualTo(GroupPhase.FAILED);
        }
    }

    @Test
    void listenersHearTheRunsEndExactlyOnceWithItsFinalRecord() throws Exception {
        try (ClusterGroup g = ClusterGroup.builder().name("shop").member("a", fast()).member("b", fast()).build()) {
            GroupRun<BackupHandle, BackupInfo> run = g.backup(BackupPlan.builder().prefix("nightly").location(shared()).build());
            List<GroupRunInfo> ends = new CopyOnWriteArrayList<>();
            OperationListener<GroupPhase, GroupRunInfo> listener = new OperationListener<>() {
                @Override
                public void onEnd(String operation, GroupRunInfo info, KBackupException error) {
                    assertThat(error).isNull();
                    ends.add(info);
                }
            };
            run.addListener(listener);
            run.addListener(listener);
            GroupRunInfo info = run.await(Duration.ofSeconds(10));
            List<GroupRunInfo> late = new CopyOnWriteArrayList<>();
            run.addListener(new OperationListener<GroupPhase, GroupRunInfo>() {
                @Override
                public void onEnd(String operation, GroupRunInfo i, KBackupException error) {
                    late.add(i);
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (ends.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(ends).as("added twice, told once").singleElement().isEqualTo(info);
            assertThat(info.phase()).isEqualTo(GroupPhase.COMPLETED);
            assertThat(info.membersDone()).isEqualTo(2);
            assertThat(late).as("added after the end: told at once").containsExactly(info);
        }
    }

    @Test
    void listenersHearPhasesThenTheFinalProgressThenTheEnd() throws Exception {
        try (ClusterGroup g = ClusterGroup.builder().name("shop").member("a", fast()).member("b", fast()).build()) {
            List<String> heard = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> ended = new CompletableFuture<>();
            GroupRun<BackupHandle, BackupInfo> run = g.backup(BackupPlan.builder().prefix("nightly").location(shared()).build());
            run.addListener(new OperationListener<GroupPhase, GroupRunInfo>() {
                @Override
                public void onPhase(String operation, GroupPhase phase) {
                    heard.add(operation + " phase " + phase);
                }

                @Override
                public void onProgress(String operation, Progress progress) {
                    heard.add(operation + " progress " + progress.itemsDone() + "/" + progress.itemsTotal());
                }

                @Override
                public void onEnd(String operation, GroupRunInfo info, KBackupException error) {
                    heard.add(operation + " end " + info.phase());
                    ended.complete(null);
                }
            });
            run.await(Duration.ofSeconds(10));
            ended.get(5, TimeUnit.SECONDS);
            String n = run.name();
            int last = heard.size() - 1;
            assertThat(heard.get(last)).isEqualTo(n + " end COMPLETED");
            assertThat(heard.get(last - 1)).as("right before the end: the final progress of both members' 10 items")
                    .isEqualTo(n + " progress 20/20");
            assertThat(heard.indexOf(n + " phase COMPLETED")).isBetween(0, last - 2);
            assertThat(heard).filteredOn(e -> e.contains(" phase ")).as("each phase told once, in order")
                    .containsExactly(n + " phase IN_PROGRESS", n + " phase COMPLETED");
        }
    }
}
