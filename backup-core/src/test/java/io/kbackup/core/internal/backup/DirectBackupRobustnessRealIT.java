package io.kbackup.core.internal.backup;

import static io.kbackup.core.internal.backup.BackupFixture.configMap;
import static io.kbackup.core.internal.backup.BackupFixture.namespace;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.testkit.cluster.RealCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link DirectBackupRobustnessIT} (paging with real continue tokens, retries, failures part-way,
 * cancel) on a real kube-apiserver; the expired-token case is the real one: etcd compacted past
 * the list's revision while a page was in flight.
 */
class DirectBackupRobustnessRealIT extends DirectBackupRobustnessIT {

    @BeforeAll
    static void startCluster() {
        // compaction every second and lists read from etcd (the watch cache would serve a continue
        // token from its own snapshots): a token older than a couple of seconds, with writes in
        // between, is answered 410 Gone (Expired) as on a busy production cluster
        cluster = RealCluster.builder().apiServerArgs("--etcd-compaction-interval=1s", "--watch-cache=false").start();
        seedBulk(100);
    }

    @Override
    @Test
    void anExpiredContinueTokenRestartsTheListWithoutDuplicatesOrGaps() throws Exception {
        cluster.seed(Stream.concat(Stream.of(namespace("expiring"), namespace("churn")),
                IntStream.range(0, 100).mapToObj(i -> configMap("expiring", String.format("cm-%03d", i), Map.of()))));
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread churn = new Thread(() -> {
            try (KubernetesClient c = cluster.client()) {
                for (int i = 0; writing.get(); i++) {
                    c.resource(configMap("churn", "c-" + i, Map.of())).create();
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        churn.start();
        try (ApiProxy slow = new ApiProxy(cluster);
                KubernetesClient c = slow.client();
                DirectEngine engine = KBackup.direct(c, DirectOptions.builder().pageSize(10).build())) {
            slow.delay(r -> r.startsWith("GET /api/v1/namespaces/expiring/configmaps?") && r.contains("continue="), 4000, 1);
            BackupInfo info = engine.backup(BackupPlan.builder().name("expired").location(location).includedNamespaces("expiring")
                    .build()).await(Duration.ofSeconds(120));

            assertThat(info.phase()).isEqualTo(BackupPhase.COMPLETED);
            List<String> names = io.kbackup.core.internal.layout.TarArchiveWriterTestAccess.gnuList(folder.resolve("backups/expired/expired.tar.gz"));
            assertThat(names).doesNotHaveDuplicates();
            assertThat(names.stream().filter(n -> n.startsWith("resources/configmaps/namespaces/expiring/cm-"))).hasSize(100);
            assertThat(slow.requests().stream().filter(r -> r.startsWith("GET /api/v1/namespaces/expiring/configmaps?")
                    && !r.contains("continue=")).count()).as("the server expired the token, the list started again").isEqualTo(2);
        } finally {
            writing.set(false);
            churn.join();
        }
    }
}
