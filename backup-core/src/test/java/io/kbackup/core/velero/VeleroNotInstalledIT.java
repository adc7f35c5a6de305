package io.kbackup.core.velero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.Credentials;
import io.kbackup.RestorePlan;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import org.junit.jupiter.api.Test;

class VeleroNotInstalledIT {

    @Test
    void withoutVelerosCrdsEveryOperationSaysToInstallVeleroOrUseTheDirectEngine() {
        try (EmbeddedCluster cluster = EmbeddedCluster.start();
                KubernetesClient client = cluster.client();
                VeleroEngine velero = KBackup.velero(client, VeleroOptions.builder().storageProviders(SharedBucket.providers()).build())) {
            BackupLocation location = BackupLocation.s3("b").credentials(Credentials.awsStatic("AKIA1", "secret-1")).build();

            assertThatThrownBy(() -> velero.backup(BackupPlan.builder().prefix("p").location(location).build()))
                    .isInstanceOf(VeleroNotInstalledException.class)
                    .hasMessageContaining("Velero is not installed").hasMessageContaining("velero.io")
                    .hasMessageContaining("KBackup.direct");
            assertThatThrownBy(() -> velero.restore(RestorePlan.builder().location(location).backupName("b1").build()))
                    .isInstanceOf(VeleroNotInstalledException.class);
            assertThatThrownBy(() -> velero.deleteBackup(location, "b1")).isInstanceOf(VeleroNotInstalledException.class);
            assertThat(client.secrets().inAnyNamespace().list().getItems()).as("nothing was written").isEmpty();
            assertThat(velero.listBackups(location)).as("listing reads the bucket, Velero or not").isEmpty();
        }
    }
}
