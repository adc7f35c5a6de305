package io.kbackup.core.schedule;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BackupSchedulerBuilderTest {

    @Test
    void aSchedulerWithoutABackupClientTakesGroupPlansOnly() {
        try (BackupScheduler scheduler = BackupScheduler.builder().build()) {
            BackupPlan plan = BackupPlan.builder().prefix("nightly").location(BackupLocation.localFolder(Path.of("/tmp/x")).build()).build();
            assertThatThrownBy(() -> scheduler.add(plan)).isInstanceOf(InvalidPlanException.class)
                    .hasMessageContaining("backupClient");
        }
    }
}
