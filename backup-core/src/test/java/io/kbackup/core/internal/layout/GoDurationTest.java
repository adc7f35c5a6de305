package io.kbackup.core.internal.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
    @Test
    void formatsAsGoDoes() {
        assertThat(GoDuration.format(Duration.ofHours(720))).isEqualTo("720h0m0s");
        assertThat(GoDuration.format(Duration.ofDays(7))).isEqualTo("168h0m0s");
        assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(GoDuration.format(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(GoDuration.format(Duration.ofMillis(300))).isEqualTo("300ms");
        assertThat(GoDuration.format(Duration.ofMinutes(61))).isEqualTo("1h1m0s");
        assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void parsesGoSyntax() {
        assertThat(GoDuration.parse("720h0m0s")).isEqualTo(Duration.ofHours(720));
        assertThat(GoDuration.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(GoDuration.parse(GoDuration.format(Duration.ofSeconds(98765)))).isEqualTo(Duration.ofSeconds(98765));
    }

    @Test
    void refusesWhatIsNotADuration() {
        assertThatThrownBy(() -> GoDuration.parse("7 days")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDuration.parse("10")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDuration.parse("")).isInstanceOf(IllegalArgumentException.class);
    }
}
