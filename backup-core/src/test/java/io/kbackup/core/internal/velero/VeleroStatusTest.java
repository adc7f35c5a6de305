package io.kbackup.core.internal.velero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VeleroStatusTest {

    private static JsonNode restore(String phase, int errors, int warnings) {
        return VeleroStatus.tree(Map.of("metadata", Map.of("name", "r1"), "spec", Map.of("backupName", "b1"),
                "status", Map.of("phase", phase, "errors", errors, "warnings", warnings)));
    }

    @Test
    void itemsVeleroListsAsFailedOnlyForWarningsCountAsSkippedInARestoreWithoutErrors() {
        // as the real Velero 1.18 wrote it for a restore into a cluster where three objects existed and differed
        RestoreResults results = new RestoreResults(12, 0, 1, 3, List.of(),
                List.of("could not restore, ConfigMap \"kube-root-ca.crt\" already exists."));

        RestoreInfo info = VeleroStatus.restoreInfo(restore("Completed", 0, 3), results);

        assertThat(info.phase()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(info.failed()).isZero();
        assertThat(info.skipped()).isEqualTo(4);
        assertThat(info.created()).isEqualTo(12);
    }

    @Test
    void withErrorsTheFailedItemsStayFailed() {
        RestoreResults results = new RestoreResults(12, 0, 1, 3, List.of("error restoring configmaps/shop/a: denied"), List.of());

        RestoreInfo info = VeleroStatus.restoreInfo(restore("PartiallyFailed", 1, 0), results);

        assertThat(info.failed()).isEqualTo(3);
        assertThat(info.skipped()).isEqualTo(1);
        assertThat(info.errors()).containsExactly("error restoring configmaps/shop/a: denied");
    }
}
