package io.kbackup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Java-style phase constants, Velero's names on the wire, and phases this version does not know. */
class PhasesTest {
    @Test
    void everyKnownPhaseRoundTripsThroughVelerosName() {
        for (BackupPhase p : BackupPhase.values()) {
            assertThat(p.name()).matches("[A-Z_]+");
            if (p != BackupPhase.UNKNOWN) {
                assertThat(BackupPhase.fromVelero(p.veleroName())).isEqualTo(p);
            }
        }
        for (RestorePhase p : RestorePhase.values()) {
            assertThat(p.name()).matches("[A-Z_]+");
            if (p != RestorePhase.UNKNOWN) {
                assertThat(RestorePhase.fromVelero(p.veleroName())).isEqualTo(p);
            }
        }
        assertThat(BackupPhase.PARTIALLY_FAILED.veleroName()).isEqualTo("PartiallyFailed");
        assertThat(RestorePhase.WAITING_FOR_PLUGIN_OPERATIONS_PARTIALLY_FAILED.veleroName())
                .isEqualTo("WaitingForPluginOperationsPartiallyFailed");
    }

    @Test
    void emptyIsNewAndAnUnknownNameIsUnknownNeverAnotherPhase() {
        assertThat(BackupPhase.fromVelero(null)).isEqualTo(BackupPhase.NEW);
        assertThat(RestorePhase.fromVelero("")).isEqualTo(RestorePhase.NEW);
        assertThat(BackupPhase.fromVelero("Paused")).isEqualTo(BackupPhase.UNKNOWN);
        assertThat(BackupPhase.fromVelero("completed")).isEqualTo(BackupPhase.UNKNOWN);
        assertThat(RestorePhase.fromVelero("Queued")).isEqualTo(RestorePhase.UNKNOWN);
        assertThat(BackupPhase.UNKNOWN.isTerminal()).isFalse();
        assertThat(BackupPhase.UNKNOWN.isRestorable()).isFalse();
        assertThat(RestorePhase.UNKNOWN.isTerminal()).isFalse();
    }

    @Test
    void theInfoKeepsTheNameItWasGiven() {
        BackupInfo b = BackupInfo.builder().name("b").veleroPhase("Paused").build();
        assertThat(b.phase()).isEqualTo(BackupPhase.UNKNOWN);
        assertThat(b.veleroPhase()).isEqualTo("Paused");
        assertThat(b.toString()).contains("phase=Paused");
        assertThat(b.toBuilder().build()).isEqualTo(b);
        assertThat(b.toBuilder().veleroPhase("Stopped").build()).isNotEqualTo(b);
        assertThat(b.toBuilder().phase(BackupPhase.COMPLETED).build().veleroPhase()).isEqualTo("Completed");

        RestoreInfo r = RestoreInfo.builder().name("r").veleroPhase("Completed").build();
        assertThat(r.phase()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(r.veleroPhase()).isEqualTo("Completed");
        assertThat(RestoreInfo.builder().name("r").veleroPhase("Paused").build().veleroPhase()).isEqualTo("Paused");
        assertThat(RestoreInfo.builder().name("r").build().veleroPhase()).isNull();
    }
}
