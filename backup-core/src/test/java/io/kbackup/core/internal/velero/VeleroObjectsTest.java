package io.kbackup.core.internal.velero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.ClusterWideMode;
import io.kbackup.ExistingResourcePolicy;
import io.kbackup.InvalidPlanException;
import io.kbackup.RestorePlan;
import io.kbackup.Schedule;
import io.kbackup.testkit.velero.CrdSchemaValidator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VeleroObjectsTest {
    private static final CrdSchemaValidator BACKUPS = CrdSchemaValidator.velero("Backup");
    private static final CrdSchemaValidator SCHEDULES = CrdSchemaValidator.velero("Schedule");
    private static final CrdSchemaValidator RESTORES = CrdSchemaValidator.velero("Restore");
    private static final CrdSchemaValidator DELETE_REQUESTS = CrdSchemaValidator.velero("DeleteBackupRequest");
    private static final VeleroObjects.BackupSettings PLAIN = new VeleroObjects.BackupSettings(false, false);

    private final BackupLocation location = BackupLocation.s3("team-backups").name("primary").region("eu-west-1").build();

    private BackupPlan.Builder plan() {
        return BackupPlan.builder().prefix("nightly").location(location);
    }

    @Test
    void backupCarriesThePlanInVelerosFields() {
        BackupPlan plan = plan().includedNamespaces("shop", "payments").excludedNamespaces("kube-system")
                .includedResources("deployments.apps", "configmaps").labelSelector(Map.of("app", "web"))
                .expiry(Duration.ofDays(7)).includeAllDisks(true).labels(Map.of("team", "a")).build();

        GenericKubernetesResource backup = VeleroObjects.backup(plan, "nightly-20261121020000", "velero", PLAIN);

        BACKUPS.assertValid(backup);
        JsonNode node = VeleroStatus.tree(backup);
        assertThat(node.path("metadata").path("name").asText()).isEqualTo("nightly-20261121020000");
        assertThat(node.path("metadata").path("namespace").asText()).isEqualTo("velero");
        assertThat(backup.getMetadata().getLabels()).containsEntry("kbackup.io/plan", "nightly")
                .containsEntry("velero.io/storage-location", "primary").containsEntry("team", "a");
        JsonNode spec = node.path("spec");
        assertThat(spec.path("includedNamespaces")).extracting(JsonNode::asText).containsExactly("payments", "shop");
        assertThat(spec.path("excludedNamespaces")).extracting(JsonNode::asText).containsExactly("kube-system");
        assertThat(spec.path("includedResources")).extracting(JsonNode::asText).containsExactly("deployments.apps", "configmaps");
        assertThat(spec.path("labelSelector").path("matchLabels").path("app").asText()).isEqualTo("web");
        assertThat(spec.path("ttl").asText()).isEqualTo("168h0m0s");
        assertThat(spec.path("storageLocation").asText()).isEqualTo("primary");
        assertThat(spec.path("snapshotVolumes").asBoolean()).isTrue();
        assertThat(spec.has("defaultVolumesToFsBackup")).isFalse();
        assertThat(spec.has("includeClusterResources")).isFalse();
        assertThat(spec.path("metadata").path("labels").path("kbackup.io/plan").asText()).isEqualTo("nightly");
    }

    @ParameterizedTest
    @EnumSource(ClusterWideMode.class)
    void clusterWideModeIsIncludeClusterResources(ClusterWideMode mode) {
        GenericKubernetesResource backup = VeleroObjects.backup(plan().clusterWideMode(mode).build(), "b", "velero", PLAIN);

        BACKUPS.assertValid(backup);
        JsonNode include = VeleroStatus.tree(backup).path("spec").path("includeClusterResources");
        switch (mode) {
            case ALWAYS -> assertThat(include.asBoolean(false)).isTrue();
            case AUTO -> assertThat(include.isMissingNode()).isTrue();
            case NEVER -> assertThat(include.isBoolean() && !include.asBoolean()).isTrue();
        }
    }

    @Test
    void fileSystemBackupAddsDefaultVolumesToFsBackupOnlyWithDisks() {
        VeleroObjects.BackupSettings fs = new VeleroObjects.BackupSettings(true, false);
        JsonNode withDisks = VeleroStatus.tree(VeleroObjects.backup(plan().includeAllDisks(true).build(), "b", "velero", fs));
        JsonNode withoutDisks = VeleroStatus.tree(VeleroObjects.backup(plan().build(), "b", "velero", fs));

        assertThat(withDisks.path("spec").path("defaultVolumesToFsBackup").asBoolean()).isTrue();
        assertThat(withDisks.path("spec").path("snapshotVolumes").asBoolean()).isTrue();
        assertThat(withoutDisks.path("spec").has("defaultVolumesToFsBackup")).isFalse();
        assertThat(withoutDisks.path("spec").path("snapshotVolumes").asBoolean(true)).isFalse();
    }

    @Test
    void scheduleUsesTheCronAndThePlanAsTemplate() {
        BackupPlan plan = plan().schedule(Schedule.cron("30 2 * * *")).includedNamespaces("shop").build();

        GenericKubernetesResource schedule = VeleroObjects.schedule(plan, "velero", PLAIN);

        SCHEDULES.assertValid(schedule);
        JsonNode node = VeleroStatus.tree(schedule);
        assertThat(node.path("metadata").path("name").asText()).isEqualTo("nightly");
        assertThat(node.path("spec").path("schedule").asText()).isEqualTo("30 2 * * *");
        assertThat(node.path("spec").path("skipImmediately").asBoolean()).isTrue();
        assertThat(node.path("spec").path("template").path("includedNamespaces")).extracting(JsonNode::asText)
                .containsExactly("shop");
        assertThat(node.path("spec").path("template").path("ttl").asText()).isEqualTo("720h0m0s");
        assertThat(schedule.getMetadata().getLabels()).containsEntry("kbackup.io/plan", "nightly");
    }

    @Test
    void presetsAndZonesBecomeVeleroCron() {
        assertThat(VeleroObjects.cronExpression(Schedule.weeklyOnSunday(), PLAIN)).isEqualTo("0 0 * * 0");
        assertThat(VeleroObjects.cronExpression(Schedule.monthlyOnFirst(), PLAIN)).isEqualTo("0 0 1 * *");
        assertThat(VeleroObjects.cronExpression(Schedule.everyTwoMonthsOnFirst(), PLAIN)).isEqualTo("0 0 1 1/2 *");
        assertThat(VeleroObjects.cronExpression(Schedule.custom(6, 15, 3, 45), PLAIN)).isEqualTo("45 3 15 6 *");
        assertThat(VeleroObjects.cronExpression(Schedule.cron("0 2 * * *").inZone("Europe/Berlin"), PLAIN))
                .isEqualTo("CRON_TZ=Europe/Berlin 0 2 * * *");
        assertThat(VeleroObjects.cronExpression(Schedule.cron("0 2 * * *").inZone("UTC"), PLAIN)).isEqualTo("0 2 * * *");
    }

    @Test
    void everyTwoWeeksIsRefusedUnlessApproximationIsAccepted() {
        BackupPlan plan = plan().schedule(Schedule.everyTwoWeeks()).build();

        assertThatThrownBy(() -> VeleroObjects.schedule(plan, "velero", PLAIN)).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("@every 336h").hasMessageContaining("approximateEveryTwoWeeks");
        GenericKubernetesResource approximated = VeleroObjects.schedule(plan, "velero", new VeleroObjects.BackupSettings(false, true));
        SCHEDULES.assertValid(approximated);
        assertThat(VeleroStatus.tree(approximated).path("spec").path("schedule").asText()).isEqualTo("@every 336h");
    }

    @Test
    void scheduleNeedsAScheduledPlan() {
        assertThatThrownBy(() -> VeleroObjects.schedule(plan().build(), "velero", PLAIN))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("no schedule");
    }

    @Test
    void restoreCarriesThePlanInVelerosFields() {
        RestorePlan plan = RestorePlan.builder().location(location).backupName("nightly-20261121020000")
                .includedNamespaces("shop").excludedNamespaces("tmp").namespaceMapping(Map.of("shop", "shop-copy"))
                .clusterWideMode(ClusterWideMode.NEVER).restorePersistentVolumes(false).preserveNodePorts(true)
                .existingResourcePolicy(ExistingResourcePolicy.UPDATE).labelSelector(Map.of("app", "web")).build();

        GenericKubernetesResource restore = VeleroObjects.restore(plan, "r1", "velero");

        RESTORES.assertValid(restore);
        JsonNode spec = VeleroStatus.tree(restore).path("spec");
        assertThat(spec.path("backupName").asText()).isEqualTo("nightly-20261121020000");
        assertThat(spec.path("includedNamespaces")).extracting(JsonNode::asText).containsExactly("shop");
        assertThat(spec.path("excludedNamespaces")).extracting(JsonNode::asText).containsExactly("tmp");
        assertThat(spec.path("namespaceMapping").path("shop").asText()).isEqualTo("shop-copy");
        assertThat(spec.path("includeClusterResources").isBoolean()).isTrue();
        assertThat(spec.path("includeClusterResources").asBoolean()).isFalse();
        assertThat(spec.path("restorePVs").asBoolean(true)).isFalse();
        assertThat(spec.path("preserveNodePorts").asBoolean()).isTrue();
        assertThat(spec.path("existingResourcePolicy").asText()).isEqualTo("update");
        assertThat(spec.path("labelSelector").path("matchLabels").path("app").asText()).isEqualTo("web");
        assertThat(restore.getMetadata().getLabels()).containsEntry("velero.io/backup-name", "nightly-20261121020000");
    }

    @Test
    void restoreCarriesRestoreStatusAndRefusesMappingsVeleroReadsOnlyFromItsConfigMaps() {
        RestorePlan plan = RestorePlan.builder().location(location).backupName("b")
                .restoreStatus(java.util.List.of("widgets.example.com"), java.util.List.of("pods")).build();

        GenericKubernetesResource restore = VeleroObjects.restore(plan, "r1", "velero");

        RESTORES.assertValid(restore);
        JsonNode status = VeleroStatus.tree(restore).path("spec").path("restoreStatus");
        assertThat(status.path("includedResources")).extracting(JsonNode::asText).containsExactly("widgets.example.com");
        assertThat(status.path("excludedResources")).extracting(JsonNode::asText).containsExactly("pods");
        assertThat(VeleroStatus.tree(VeleroObjects.restore(plan.toBuilder().restoreStatus(java.util.List.of(), java.util.List.of()).build(),
                "r2", "velero")).path("spec").path("restoreStatus").isObject()).as("all resources: an empty restoreStatus").isTrue();
        VeleroObjects.refuseUnsupported(plan, "velero");
        assertThatThrownBy(() -> VeleroObjects.refuseUnsupported(plan.toBuilder().storageClassMapping(Map.of("a", "b")).build(), "velero"))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("storageClassMapping")
                .hasMessageContaining("velero.io/change-storage-class=RestoreItemAction");
        assertThatThrownBy(() -> VeleroObjects.refuseUnsupported(plan.toBuilder().imageNameMapping(Map.of("a", "b")).build(), "velero"))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("velero.io/change-image-name");
        assertThatThrownBy(() -> VeleroObjects.refuseUnsupported(plan.toBuilder().nodeMapping(Map.of("a", "b")).build(), "velero"))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("velero.io/change-pvc-node-selector");
    }

    @Test
    void restoreDefaultsAreVelerosDefaults() {
        RestorePlan plan = RestorePlan.builder().location(location).backupName("b").build();

        GenericKubernetesResource restore = VeleroObjects.restore(plan, "r1", "velero");

        RESTORES.assertValid(restore);
        JsonNode spec = VeleroStatus.tree(restore).path("spec");
        assertThat(spec.path("existingResourcePolicy").asText()).isEqualTo("none");
        assertThat(spec.path("restorePVs").asBoolean()).isTrue();
        assertThat(spec.has("includeClusterResources")).isFalse();
        assertThat(spec.has("namespaceMapping")).isFalse();
        assertThat(spec.has("restoreStatus")).as("nil: no status restored").isFalse();
    }

    @Test
    void deleteRequestNamesTheBackup() {
        GenericKubernetesResource request = VeleroObjects.deleteRequest("nightly-1", "uid-1", "nightly-1-abc", "velero");

        DELETE_REQUESTS.assertValid(request);
        assertThat(VeleroStatus.tree(request).path("spec").path("backupName").asText()).isEqualTo("nightly-1");
        assertThat(request.getMetadata().getLabels()).containsEntry("velero.io/backup-name", "nightly-1")
                .containsEntry("velero.io/backup-uid", "uid-1");
    }

    @Test
    void longNamesBecomeValidLabelValuesAsVeleroMakesThem() {
        String longName = "a".repeat(70);
        String value = VeleroObjects.labelValue(longName);

        assertThat(value).hasSize(63).startsWith("a".repeat(57)).matches("a{57}[0-9a-f]{6}");
        assertThat(VeleroObjects.labelValue("short")).isEqualTo("short");
        assertThat(VeleroObjects.labelValue(longName + "b")).isNotEqualTo(value);
    }

    @Test
    void generatedObjectsOfEveryShapePassTheirSchemas() {
        for (BackupPlan p : List.of(plan().build(), plan().clusterWideMode(ClusterWideMode.ALWAYS).includeAllDisks(true).build(),
                plan().excludedNamespaces("a", "b").excludedResources("secrets").build())) {
            BACKUPS.assertValid(VeleroObjects.backup(p, "b", "velero", new VeleroObjects.BackupSettings(true, true)));
            SCHEDULES.assertValid(VeleroObjects.schedule(p.toBuilder().schedule(Schedule.monthlyOnFirst()).build(), "velero", PLAIN));
        }
    }
}
