package io.kbackup.storage.s3;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.engine.EngineRoundTripContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DirectEngine backup, restore and delete through the s3 provider, against S3Mock. */
class S3EngineRoundTripIT extends EngineRoundTripContract {

    @RegisterExtension
    static final S3MockExtension S3_MOCK = S3MockExtension.builder().withInitialBuckets("kbackup-e2e")
            .withProperty("server.address", "127.0.0.1").silent().build();

    @Override
    protected BackupClient engine(KubernetesClient cluster) {
        return KBackup.direct(cluster);
    }

    @Override
    protected BackupLocation location() {
        return S3StorageProviderIT.mockLocation("http://127.0.0.1:" + S3_MOCK.getHttpPort(), "kbackup-e2e").build();
    }
}
