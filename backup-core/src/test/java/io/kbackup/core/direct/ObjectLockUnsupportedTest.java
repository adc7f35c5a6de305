package io.kbackup.core.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import io.kbackup.ObjectLock;
import io.kbackup.ValidationResult;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A location that asks for object lock on a store without it: validate() says so, a backup is refused before writing. */
class ObjectLockUnsupportedTest {

    @TempDir
    Path folder;

    @Test
    void aLocalFolderCannotLockSoValidateFailsAndABackupIsRefusedBeforeWritingAnything() throws Exception {
        BackupLocation location = BackupLocation.localFolder(folder).objectLock(ObjectLock.GOVERNANCE).build();
        assertThat(location.toString()).contains("objectLock=GOVERNANCE");
        assertThat(BackupLocation.localFolder(folder).build().validate().isOk()).isTrue();

        ValidationResult result = location.validate();
        assertThat(result.has(ValidationResult.Kind.OBJECT_LOCK_UNAVAILABLE)).isTrue();
        assertThat(result.problems().get(0).message()).contains("object lock GOVERNANCE", "'local'");
        assertThat(result.problems().get(0).fix()).contains("objectLock(NONE)");

        try (EmbeddedCluster cluster = EmbeddedCluster.start(); KubernetesClient client = cluster.client();
                BackupClient engine = KBackup.direct(client)) {
            assertThatThrownBy(() -> engine.backup(BackupPlan.builder().prefix("lk").location(location).build()))
                    .isInstanceOf(InvalidPlanException.class).hasMessageContaining("has no object lock enabled")
                    .hasMessageContaining("nothing was written");
        }
        try (var files = Files.walk(folder)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }
}
