package io.kbackup.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupInProgressException;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Exclusive backup names through one storage provider on a real (or emulated) service: two
 * engines (two instances, on two threads) racing on one name give exactly one backup, the other
 * is refused (or ends visibly Failed) and the bucket holds one whole, restorable backup; a delete
 * racing a backup never leaves a listed backup without its tarball. The race is real: both
 * {@code backup()} calls start together, so both exclusive creates reach the server at once.
 * Subclass it per provider as {@link EngineRoundTripContract}. Each test uses a fresh prefix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class NameClaimContract {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int CONFIG_MAPS = 40;

    private TestCluster cluster;
    private KubernetesClient client;

    /** A new engine on the given cluster (each call a separate instance). Closed by the test. */
    protected abstract BackupClient engine(KubernetesClient cluster) throws Exception;

    /** A location on the provider under test; a unique prefix is added per test. */
    protected abstract BackupLocation location() throws Exception;

    @BeforeAll
    void startCluster() {
        cluster = EmbeddedCluster.start();
        client = cluster.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("race").endMetadata().build()).create();
        for (int i = 0; i < CONFIG_MAPS; i++) {
            client.configMaps().inNamespace("race").resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i).endMetadata()
                    .addToData("payload", Integer.toString(i).repeat(1000)).build()).create();
        }
    }

    @AfterAll
    void stopCluster() {
        client.close();
        cluster.close();
    }

    private BackupLocation freshLocation() throws Exception {
        BackupLocation location = location();
        return location.toBuilder()
                .prefix((location.prefix().isEmpty() ? "" : location.prefix() + "/") + "claim-" + UUID.randomUUID()).build();
    }

    private static BackupPlan plan(BackupLocation location, String name) {
        return BackupPlan.builder().name(name).location(location).includedNamespaces("race").build();
    }

    @Test
    void twoEnginesRacingOnOneNameGiveExactlyOneWholeRestorableBackup() throws Exception {
        BackupLocation location = freshLocation();
        try (BackupClient a = engine(client); BackupClient b = engine(client)) {
            for (int round = 0; round < 3; round++) {
                String name = "twice-" + round;
                List<Object> outcomes = race(() -> a.backup(plan(location, name)).await(WAIT),
                        () -> b.backup(plan(location, name)).await(WAIT));
                assertThat(outcomes).as("round %d: %s", round, outcomes)
                        .filteredOn(o -> o instanceof BackupInfo i && i.phase() == BackupPhase.Completed).hasSize(1);
                assertThat(outcomes).as("round %d: %s", round, outcomes).filteredOn(o -> o instanceof BackupInProgressException
                        || o instanceof InvalidPlanException || o instanceof BackupInfo i && i.phase() == BackupPhase.Failed).hasSize(1);
            }
            assertThat(a.listBackups(location)).extracting(BackupInfo::name).containsExactlyInAnyOrder("twice-0", "twice-1", "twice-2");
            assertThat(a.listBackups(location)).extracting(BackupInfo::phase).containsOnly(BackupPhase.Completed);
            restoresWhole(b, location, "twice-1", "race-copy");
        }
    }

    @Test
    void aDeleteRacingABackupNeverLeavesAListedBackupWithoutItsArchive() throws Exception {
        BackupLocation location = freshLocation();
        try (BackupClient writer = engine(client); BackupClient deleter = engine(client)) {
            for (int round = 0; round < 3; round++) {
                String name = "racing-" + round;
                var handle = writer.backup(plan(location, name));
                Object deleted = race(() -> {
                    deleter.deleteBackup(location, name);
                    return "deleted";
                }).get(0);
                BackupInfo info = handle.await(WAIT);
                if (deleted instanceof BackupInProgressException refused) {
                    // refused while it was being written: the backup completes whole
                    assertThat(refused.name()).isEqualTo(name);
                    assertThat(info.phase()).isEqualTo(BackupPhase.Completed);
                    assertThat(writer.describeBackup(location, name).phase()).isEqualTo(BackupPhase.Completed);
                } else {
                    // the backup had finished (or the delete took it after it finished): then it is gone entirely
                    assertThat(deleted).as("round %d", round).isEqualTo("deleted");
                    assertThat(info.phase()).isEqualTo(BackupPhase.Completed);
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.describeBackup(location, name))
                            .isInstanceOf(NotFoundException.class);
                }
            }
            for (BackupInfo listed : writer.listBackups(location)) {
                assertThat(listed.phase()).isEqualTo(BackupPhase.Completed);
                restoresWhole(deleter, location, listed.name(), "race-" + listed.name());
            }
        }
    }

    private void restoresWhole(BackupClient engine, BackupLocation location, String backup, String targetNamespace) {
        RestoreInfo restored = engine.restore(RestorePlan.builder().location(location).backupName(backup)
                .namespaceMapping(Map.of("race", targetNamespace)).build()).await(WAIT);
        assertThat(restored.phase()).isEqualTo(RestorePhase.Completed);
        for (int i = 0; i < CONFIG_MAPS; i++) {
            assertThat(client.configMaps().inNamespace(targetNamespace).withName("cm-" + i).get().getData())
                    .containsEntry("payload", Integer.toString(i).repeat(1000));
        }
    }

    /** Runs the tasks at once, each on its own thread; each outcome is the task's result or the exception it threw. */
    @SafeVarargs
    public static List<Object> race(Callable<Object>... tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.length);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (Callable<Object> t : tasks) {
                futures.add(pool.submit(() -> {
                    go.await();
                    try {
                        return t.call();
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            go.countDown();
            List<Object> out = new ArrayList<>();
            for (Future<Object> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
