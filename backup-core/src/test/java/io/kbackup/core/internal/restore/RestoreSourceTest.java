package io.kbackup.core.internal.restore;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.BackupLocation;
import io.kbackup.CorruptBackupException;
import io.kbackup.RestorePlan;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreSourceTest {
    @TempDir
    Path folder;

    @Test
    void refusesABackupWhoseDocumentNamesAnotherBackup() {
        BackupLocation location = BackupLocation.localFolder(folder).build();
        BackupFixture.put(location, "copied", "Completed", TestArchive.velero().tarGz(), true);
        try (StorageProvider storage = StorageProviders.discover().open(location)) {
            storage.put(new BucketLayout(location).backupJson("copied"),
                    BackupFixture.backupJson("original", "Completed").getBytes(StandardCharsets.UTF_8));
        }
        RestorePlan plan = RestorePlan.builder().location(location).backupName("copied").build();

        assertThatThrownBy(() -> RestoreSource.open(StorageProviders.discover(), plan)).isInstanceOf(CorruptBackupException.class)
                .hasMessageContaining("names backup 'original'").hasMessageContaining("Nothing was restored");
    }
}
