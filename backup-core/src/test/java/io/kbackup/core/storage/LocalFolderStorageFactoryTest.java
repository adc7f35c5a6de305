package io.kbackup.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFolderStorageFactoryTest {

    @TempDir
    Path tmp;

    @Test
    void servicesFileRegistersTheLocalFactory() {
        assertThat(StorageProviders.discover().factory("local")).isInstanceOf(LocalFolderStorageFactory.class);
        assertThat(StorageProviders.discover().installedIds()).contains("local");
    }

    @Test
    void localFolderLocationOpensAProviderOnThatFolder() {
        BackupLocation location = BackupLocation.localFolder(tmp.resolve("store")).prefix("cluster-1").build();
        try (StorageProvider storage = StorageProviders.discover().open(location)) {
            assertThat(storage).isInstanceOf(LocalFolderStorageProvider.class);
            assertThat(storage.id()).isEqualTo("local");
            storage.put(location.keyPrefix() + "backups/b1/velero-backup.json", "{}".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(tmp.resolve("store/cluster-1/backups/b1/velero-backup.json")).hasContent("{}");
        assertThat(location.validate().isOk()).isTrue();
    }

    @Test
    void refusesARelativeFolder() {
        BackupLocation location = BackupLocation.builder().provider("local").bucket("relative/dir").build();
        assertThatThrownBy(() -> StorageProviders.discover().open(location))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("absolute");
    }

    @Test
    void refusesCredentialsWithoutPrintingThem() {
        BackupLocation location = BackupLocation.localFolder(tmp).credentials(Credentials.azureSas("sv=secret-sas")).build();
        assertThatThrownBy(() -> StorageProviders.discover().open(location))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("azure-sas")
                .hasMessageNotContaining("secret-sas");
    }

    @Test
    void refusesAnEndpointAndUnknownConfig() {
        BackupLocation withEndpoint = BackupLocation.localFolder(tmp).endpoint("http://127.0.0.1:9000").build();
        assertThatThrownBy(() -> StorageProviders.discover().open(withEndpoint))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("endpoint");
        BackupLocation withConfig = BackupLocation.localFolder(tmp).config("s3ForcePathStyle", "true").build();
        assertThatThrownBy(() -> StorageProviders.discover().open(withConfig))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("s3ForcePathStyle")
                .hasMessageContaining("Valid keys: []");
    }
}
