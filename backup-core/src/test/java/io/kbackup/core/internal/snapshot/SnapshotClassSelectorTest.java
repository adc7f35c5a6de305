package io.kbackup.core.internal.snapshot;

import static io.kbackup.core.internal.snapshot.SnapshotFixture.snapshotClass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.core.internal.layout.VeleroKeys;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotClassSelectorTest {
    private static final String DRIVER = "disk.csi.example.com";

    @Test
    void theClaimAnnotationWinsOverLabelAndDefault() throws Exception {
        var selector = new SnapshotClassSelector(List.of(snapshotClass("labelled", DRIVER, "Retain", "label"),
                snapshotClass("default", DRIVER, "Retain", "default"), snapshotClass("picked", DRIVER, "Retain", null)));
        var choice = selector.choose(Map.of(VeleroKeys.CSI_SNAPSHOT_CLASS, "picked"), DRIVER);
        assertThat(choice.name()).isEqualTo("picked");
        assertThat(choice.rule()).contains("annotation");
    }

    @Test
    void theVeleroLabelWinsOverTheDefaultClass() throws Exception {
        var selector = new SnapshotClassSelector(List.of(snapshotClass("a-default", DRIVER, "Retain", "default"),
                snapshotClass("z-labelled", DRIVER, "Retain", "label")));
        assertThat(selector.choose(null, DRIVER).name()).isEqualTo("z-labelled");
    }

    @Test
    void theDefaultClassOfTheDriverIsNextAndOtherDriversDoNotCount() throws Exception {
        var selector = new SnapshotClassSelector(List.of(snapshotClass("other-labelled", "other.csi", "Retain", "label"),
                snapshotClass("plain", DRIVER, "Retain", null), snapshotClass("default", DRIVER, "Delete", "default")));
        var choice = selector.choose(Map.of(), DRIVER);
        assertThat(choice.name()).isEqualTo("default");
        assertThat(choice.deletionPolicy()).isEqualTo("Delete");
    }

    @Test
    void theOnlyClassOfTheDriverIsLast() throws Exception {
        var selector = new SnapshotClassSelector(List.of(snapshotClass("other", "other.csi", "Retain", "default"),
                snapshotClass("only", DRIVER, "Retain", null)));
        assertThat(selector.choose(Map.of(), DRIVER).rule()).isEqualTo("the only class for the driver");
    }

    @Test
    void noClassAmbiguityOrAWrongAnnotationSayWhatToDo() {
        var none = new SnapshotClassSelector(List.of(snapshotClass("other", "other.csi", "Retain", null)));
        assertThatThrownBy(() -> none.choose(Map.of(), DRIVER)).hasMessageContaining("no VolumeSnapshotClass exists for driver");
        var two = new SnapshotClassSelector(List.of(snapshotClass("x", DRIVER, "Retain", null), snapshotClass("y", DRIVER, "Retain", null)));
        assertThatThrownBy(() -> two.choose(Map.of(), DRIVER)).hasMessageContaining("2 VolumeSnapshotClasses")
                .hasMessageContaining(VeleroKeys.CSI_SNAPSHOT_CLASS);
        assertThatThrownBy(() -> two.choose(Map.of(VeleroKeys.CSI_SNAPSHOT_CLASS, "missing"), DRIVER)).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> none.choose(Map.of(VeleroKeys.CSI_SNAPSHOT_CLASS, "other"), DRIVER))
                .hasMessageContaining("for driver 'other.csi'");
    }

    @Test
    void snapshotNamesAreStableValidAndDifferPerBackup() {
        String a = SnapshotApi.snapshotName("nightly-1", "shop", "data");
        assertThat(a).matches("velero-data-[0-9a-f]{8}").isEqualTo(SnapshotApi.snapshotName("nightly-1", "shop", "data"));
        assertThat(SnapshotApi.snapshotName("nightly-2", "shop", "data")).isNotEqualTo(a);
        assertThat(SnapshotApi.snapshotName("b", "ns", "x".repeat(100) + "-")).hasSizeLessThanOrEqualTo(63);
        assertThat(SnapshotApi.labelValue("n".repeat(80))).hasSize(63);
    }
}
