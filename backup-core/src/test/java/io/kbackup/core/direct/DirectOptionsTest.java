package io.kbackup.core.direct;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.core.velero.VeleroOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DirectOptionsTest {

    @Test
    void optionsWithTheSameSettingsAreEqual() {
        assertThat(DirectOptions.defaults()).isEqualTo(DirectOptions.defaults()).hasSameHashCodeAs(DirectOptions.defaults());
        DirectOptions tuned = DirectOptions.builder().pageSize(1000).snapshotReadyTimeout(Duration.ofMinutes(2)).build();
        assertThat(tuned.toBuilder().build()).isEqualTo(tuned);
        assertThat(tuned).isNotEqualTo(DirectOptions.defaults());
        assertThat(tuned.toString()).contains("pageSize=1000", "snapshotReadyTimeout=PT2M");
    }

    @Test
    void veleroOptionsWithTheSameSettingsAreEqual() {
        assertThat(VeleroOptions.defaults()).isEqualTo(VeleroOptions.defaults()).hasSameHashCodeAs(VeleroOptions.defaults());
        assertThat(VeleroOptions.builder().namespace("backup-system").build()).isNotEqualTo(VeleroOptions.defaults());
    }
}
