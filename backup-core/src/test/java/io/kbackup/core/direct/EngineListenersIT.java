package io.kbackup.core.direct;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.ClientListener;
import io.kbackup.KBackupException;
import io.kbackup.OperationListener;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.EmbeddedClusterExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Client listeners see every operation from its start; Kubernetes Events of outcomes only when asked for. */
@ExtendWith(EmbeddedClusterExtension.class)
class EngineListenersIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    @BeforeAll
    static void seed(EmbeddedCluster cluster) {
        cluster.seed(Stream.of(new ConfigMapBuilder().withNewMetadata().withName("cm").withNamespace("app").endMetadata()
                .addToData("k", "v").build()));
    }

    @Test
    void aClientListenerHearsEveryBackupAndRestoreFromItsStartToItsEnd(KubernetesClient client) {
        BackupLocation location = BackupLocation.localFolder(folder).build();
        List<String> heard = new CopyOnWriteArrayList<>();
        ClientListener listener = new ClientListener() {
            @Override
            public void backupStarted(BackupHandle handle, BackupPlan plan) {
                heard.add("backup started " + handle.name() + " " + handle.phase());
                handle.addListener(new OperationListener<BackupPhase, BackupInfo>() {
                    @Override
                    public void onPhase(String operation, BackupPhase phase) {
                        heard.add("backup phase " + phase);
                    }

                    @Override
                    public void onEnd(String operation, BackupInfo info, KBackupException error) {
                        heard.add("backup end " + info.phase() + " " + info.itemsBackedUp());
                    }
                });
            }

            @Override
            public void restoreStarted(RestoreHandle handle, RestorePlan plan) {
                heard.add("restore started " + plan.backupName());
                handle.addListener(new OperationListener<RestorePhase, RestoreInfo>() {
                    @Override
                    public void onEnd(String operation, RestoreInfo info, KBackupException error) {
                        heard.add("restore end " + info.phase());
                    }
                });
            }
        };
        try (DirectEngine engine = KBackup.direct(client)) {
            engine.addListener(listener);
            engine.addListener(listener);
            BackupInfo b = engine.backup(BackupPlan.builder().name("heard").location(location).includedNamespaces("app").build()).await(WAIT);
            engine.restore(RestorePlan.builder().location(location).backupName("heard").namespaceMapping(Map.of("app", "app-2")).build())
                    .await(WAIT);
            engine.removeListener(listener);
            engine.backup(BackupPlan.builder().name("unheard").location(location).includedNamespaces("app").build()).await(WAIT);

            assertThat(heard).containsExactly("backup started heard NEW", "backup phase IN_PROGRESS", "backup phase COMPLETED",
                    "backup end COMPLETED " + b.itemsBackedUp(), "restore started heard", "restore end COMPLETED");
        }
    }

    @Test
    void eventsOfOutcomesAreCreatedOnlyWhenTurnedOn(KubernetesClient client) {
        BackupLocation location = BackupLocation.localFolder(folder).build();
        try (DirectEngine quiet = KBackup.direct(client)) {
            quiet.backup(BackupPlan.builder().name("quiet").location(location).includedNamespaces("app").build()).await(WAIT);
        }
        assertThat(events(client)).noneMatch(e -> e.getInvolvedObject().getName().equals("quiet"));

        try (DirectEngine loud = KBackup.direct(client, DirectOptions.builder().eventsNamespace("app").build())) {
            loud.backup(BackupPlan.builder().name("loud").location(location).includedNamespaces("app").build()).await(WAIT);
            loud.restore(RestorePlan.builder().location(location).backupName("loud").restoreName("loud-back")
                    .namespaceMapping(Map.of("app", "app-3")).build()).await(WAIT);
        }
        Event backup = events(client).stream().filter(e -> e.getInvolvedObject().getName().equals("loud")).findFirst().orElseThrow();
        assertThat(backup.getReason()).isEqualTo("BackupCompleted");
        assertThat(backup.getType()).isEqualTo("Normal");
        assertThat(backup.getInvolvedObject().getKind()).isEqualTo("Backup");
        assertThat(backup.getInvolvedObject().getApiVersion()).isEqualTo("velero.io/v1");
        assertThat(backup.getSource().getComponent()).isEqualTo("kbackup");
        assertThat(backup.getMessage()).startsWith("Backup loud ended Completed: ");
        Event restore = events(client).stream().filter(e -> e.getInvolvedObject().getName().equals("loud-back")).findFirst().orElseThrow();
        assertThat(restore.getReason()).isEqualTo("RestoreCompleted");
        assertThat(restore.getMessage()).contains("of backup loud");
    }

    private static List<Event> events(KubernetesClient client) {
        return client.v1().events().inNamespace("app").list().getItems();
    }
}
