package io.kbackup.core.velero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.InvalidPlanException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VeleroOptionsTest {

    @Test
    void defaultsAreVelerosNamespaceAndSaneWaits() {
        VeleroOptions options = VeleroOptions.defaults();

        assertThat(options.namespace()).isEqualTo("velero");
        assertThat(options.pickupTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.locationValidationTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.syncTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.deleteTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(options.fileSystemBackup()).isFalse();
        assertThat(options.approximateEveryTwoWeeks()).isFalse();
    }

    @Test
    void toBuilderKeepsEveryValue() {
        VeleroOptions options = VeleroOptions.builder().namespace("backup-system").pickupTimeout(Duration.ofSeconds(5))
                .fileSystemBackup(true).approximateEveryTwoWeeks(true).locationValidationTimeout(Duration.ZERO).build();

        VeleroOptions copy = options.toBuilder().build();

        assertThat(copy.namespace()).isEqualTo("backup-system");
        assertThat(copy.pickupTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(copy.fileSystemBackup()).isTrue();
        assertThat(copy.approximateEveryTwoWeeks()).isTrue();
        assertThat(copy.locationValidationTimeout()).isZero();
        assertThat(copy.toString()).contains("backup-system");
    }

    @Test
    void invalidValuesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> VeleroOptions.builder().namespace("Velero_NS").build()).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("namespace");
        assertThatThrownBy(() -> VeleroOptions.builder().pickupTimeout(Duration.ZERO).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("pickupTimeout");
        assertThatThrownBy(() -> VeleroOptions.builder().locationValidationTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("locationValidationTimeout");
    }
}
