package io.kbackup.core.schedule;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.InvalidPlanException;
import org.junit.jupiter.api.Test;

class BackupSchedulerBuilderTest {

    @Test
    void aSchedulerWithoutABackupClientIsRefused() {
        assertThatThrownBy(() -> BackupScheduler.builder().build()).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("backupClient is required");
    }
}
