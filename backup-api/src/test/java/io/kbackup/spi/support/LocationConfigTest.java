package io.kbackup.spi.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.InvalidPlanException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Blank config values count as unset; numbers are taken only when whole and in range. */
class LocationConfigTest {

    private static final Map<String, String> CONFIG = Map.of("blank", "  ", "size", " 2048 ", "name", "x");

    @Test
    void blankAndMissingValuesAreUnsetAndOthersAreKeptAsGiven() {
        assertThat(LocationConfig.text(CONFIG, "blank")).isNull();
        assertThat(LocationConfig.text(CONFIG, "missing")).isNull();
        assertThat(LocationConfig.text(CONFIG, "size")).isEqualTo(" 2048 ");
    }

    @Test
    void wholeNumberIsReadStrippedOrFallsBackWhenUnset() {
        assertThat(LocationConfig.wholeNumber(CONFIG, "size", 7, n -> n >= 1024, "here", "at least 1024")).isEqualTo(2048);
        assertThat(LocationConfig.wholeNumber(CONFIG, "blank", 7, n -> n >= 1024, "here", "at least 1024")).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"512", "-2048", "2k", "99999999999"})
    void numberThatIsNotWholeOrOutOfRangeIsRefusedNamingKeyAndValue(String value) {
        assertThatThrownBy(() -> LocationConfig.wholeNumber(Map.of("size", value), "size", 7, n -> n >= 1024, "Location 'l'",
                "at least 1024"))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessage("Location 'l': config size '" + value + "' must be at least 1024.");
    }
}
