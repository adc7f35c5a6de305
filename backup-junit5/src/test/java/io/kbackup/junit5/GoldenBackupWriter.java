package io.kbackup.junit5;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Wrote the golden backup under {@code src/test/resources/golden} (backup {@code shop-golden} of
 * namespace {@code shop}) with kbackup's own writer, from an embedded cluster. Run again to remake
 * it: {@code java -cp <test class path> io.kbackup.junit5.GoldenBackupWriter <bucket folder>}, then
 * copy the folder's {@code backups/} there.
 */
public final class GoldenBackupWriter {
    private GoldenBackupWriter() {}

    /** @param args the bucket folder to write to */
    public static void main(String[] args) {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(); KubernetesClient c = cluster.client();
             BackupClient kbackup = KBackup.direct(c)) {
            c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").addToLabels("team", "shop").endMetadata().build()).create();
            c.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("catalog").addToLabels("app", "shop").endMetadata()
                    .addToData("apples", "3").addToData("pears", "5").build()).create();
            c.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("prices").addToLabels("app", "shop").endMetadata()
                    .addToData("apples", "0.40").addToData("pears", "0.55").build()).create();
            c.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("db-credentials").addToLabels("app", "shop").endMetadata()
                    .addToData("password", "Z29sZGVuLXRlc3Qtb25seQ==").build()).create();
            c.serviceAccounts().inNamespace("shop").resource(new ServiceAccountBuilder().withNewMetadata().withName("shop-app").endMetadata().build()).create();
            c.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withName("web").addToLabels("app", "shop").endMetadata()
                    .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).withNewTargetPort(8080).endPort().endSpec().build()).create();
            c.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder().withNewMetadata().withName("web").addToLabels("app", "shop").endMetadata()
                    .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "web").endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                    .withNewSpec().withServiceAccountName("shop-app").addNewContainer().withName("web").withImage("nginx:1.27").endContainer().endSpec()
                    .endTemplate().endSpec().build()).create();
            BackupInfo info = kbackup.backup(BackupPlan.builder().name("shop-golden").location(BackupLocation.localFolder(Path.of(args[0])).build())
                    .includedNamespaces("shop").build()).await(Duration.ofMinutes(2));
            System.out.println(info);
        }
    }
}
