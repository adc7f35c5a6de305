package io.kbackup.core.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.CorruptBackupException;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.GzipJson;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What a restore cannot vouch for is said or refused: no integrity manifest (warned, or refused
 * when required), a PartiallyFailed backup (warned with what it lacks), an item whose kind or scope
 * disagrees with what the cluster serves at its path (refused before anything is applied), a
 * binding for anonymous users (warned), a cluster binding a namespace-only restore brings along
 * (said).
 */
class RestoreTrustIT extends RestoreIntoFreshCluster {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NS = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}";
    private static final String CM = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"shop\"},"
            + "\"data\":{\"a\":\"1\"}}";

    private RestoreInfo restore(DirectOptions options, String backup) {
        try (DirectEngine engine = KBackup.direct(k8s, options)) {
            return engine.restore(RestorePlan.builder().location(location).backupName(backup).build()).await(WAIT);
        }
    }

    @Test
    void aBackupWithoutManifestRestoresWithAWarningOrIsRefusedWhenOneIsRequired() {
        byte[] archive = TestArchive.velero().item("namespaces", null, "shop", NS).item("configmaps", "shop", "cfg", CM).tarGz();
        BackupFixture.put(location, "signed", "Completed", archive, true);
        BackupFixture.put(location, "unsigned", "Completed", archive, false);

        RestoreInfo signed = restore(DirectOptions.defaults(), "signed");
        assertThat(signed.phase()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(signed.warnings()).noneMatch(w -> w.contains("integrity manifest"));
        k8s.configMaps().inNamespace("shop").withName("cfg").delete();

        RestoreInfo unsigned = restore(DirectOptions.defaults(), "unsigned");
        assertThat(unsigned.phase()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(unsigned.warnings()).anyMatch(w -> w.contains("backup unsigned has no integrity manifest")
                && w.contains("DirectOptions.requireManifest"));
        k8s.configMaps().inNamespace("shop").withName("cfg").delete();

        try (DirectEngine engine = KBackup.direct(k8s, DirectOptions.builder().requireManifest(true).build())) {
            RestoreHandle handle = engine.restore(RestorePlan.builder().location(location).backupName("unsigned").build());
            assertThatThrownBy(() -> handle.await(WAIT)).isInstanceOf(CorruptBackupException.class)
                    .hasMessageContaining("has no integrity manifest").hasMessageContaining("Nothing was restored");
            assertThat(handle.phase()).isEqualTo(RestorePhase.FAILED_VALIDATION);
            assertThat(k8s.configMaps().inNamespace("shop").withName("cfg").get()).as("nothing applied").isNull();
            assertThat(engine.restore(RestorePlan.builder().location(location).backupName("signed").restoreName("again").build())
                    .await(WAIT).phase()).as("a backup with its manifest still restores").isEqualTo(RestorePhase.COMPLETED);
        }
    }

    @Test
    void aPartiallyFailedBackupRestoresWithAWarningSayingWhatItLacks() {
        byte[] archive = TestArchive.velero().item("namespaces", null, "shop", NS).item("configmaps", "shop", "cfg", CM).tarGz();
        BackupFixture.put(location, "partial", "PartiallyFailed", archive, true);
        try (StorageProvider storage = StorageProviders.discover().open(location)) {
            var results = GzipJson.MAPPER.createObjectNode();
            results.putObject("errors").putObject("namespaces").putArray("shop").add("could not list secrets: 500 Internal Server Error");
            storage.put(new BucketLayout(location).results("partial"), GzipJson.gzipJson(results));
        }

        RestoreInfo info = restore(DirectOptions.defaults(), "partial");

        assertThat(info.phase()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(info.warnings()).anyMatch(w -> w.contains("backup partial ended PartiallyFailed")
                && w.contains("shop: could not list secrets"));
        assertThat(k8s.configMaps().inNamespace("shop").withName("cfg").get()).isNotNull();
    }

    @Test
    void anItemOfAnotherKindThanItsFolderIsRefusedBeforeAnythingIsApplied() {
        String secretInConfigMaps = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"shop\"},"
                + "\"data\":{\"a\":\"MQ==\"}}";
        assertRefusedBeforeAnythingIsApplied("configmaps", "cfg", secretInConfigMaps,
                "configmaps shop/cfg is a Secret, but configmaps in v1 are ConfigMap objects");
    }

    @Test
    void aClusterScopedObjectAtANamespacedPathIsRefused() {
        String nsInNamespace = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"prod\",\"namespace\":\"shop\"}}";
        assertRefusedBeforeAnythingIsApplied("namespaces", "prod", nsInNamespace,
                "is at a namespaced path, but Namespace is cluster-scoped");
    }

    /**
     * A backup b1 of namespace shop whose archive also holds {@code json} at {@code resource/shop/name}:
     * its restore is refused as corrupt with {@code message}, and nothing is applied.
     */
    private void assertRefusedBeforeAnythingIsApplied(String resource, String name, String json, String message) {
        BackupFixture.put(location, "b1", "Completed", TestArchive.velero().item("namespaces", null, "shop", NS)
                .item(resource, "shop", name, json).tarGz(), true);

        assertThatThrownBy(() -> restore(DirectOptions.defaults(), "b1")).isInstanceOf(CorruptBackupException.class)
                .hasMessageContaining(message);
        assertThat(k8s.namespaces().withName("shop").get()).as("nothing applied").isNull();
    }

    @Test
    void aBindingForAnonymousUsersIsRestoredOnlyWithAWarningAndANamespaceRestoreSaysWhatItBringsAlong() {
        String sa = "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"app\",\"namespace\":\"shop\"}}";
        String open = "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\",\"metadata\":{\"name\":\"open-admin\"},"
                + "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"cluster-admin\"},"
                + "\"subjects\":[{\"kind\":\"Group\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"system:unauthenticated\"},"
                + "{\"kind\":\"ServiceAccount\",\"name\":\"app\",\"namespace\":\"shop\"}]}";
        BackupFixture.put(location, "b1", "Completed", TestArchive.velero().item("namespaces", null, "shop", NS)
                .item("serviceaccounts", "shop", "app", sa).item("clusterrolebindings.rbac.authorization.k8s.io", null, "open-admin", open)
                .tarGz(), true);

        RestoreInfo info;
        try (DirectEngine engine = KBackup.direct(k8s, DirectOptions.defaults())) {
            info = engine.restore(RestorePlan.builder().location(location).backupName("b1").includedNamespaces("shop").build()).await(WAIT);
        }

        assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(k8s.rbac().clusterRoleBindings().withName("open-admin").get()).as("restored as the backup has it").isNotNull();
        assertThat(info.warnings()).anyMatch(w -> w.contains("open-admin grants ClusterRole cluster-admin to Group system:unauthenticated")
                && w.contains("anyone who can reach the API server"));
        assertThat(info.warnings()).anyMatch(w -> w.contains("open-admin comes with this namespace-only restore")
                && w.contains("ServiceAccount shop/app") && w.contains("in the whole cluster"));
    }
}
