package io.kbackup.core.storage;

import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.storage.StorageProviderContract;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class LocalFolderStorageProviderTest extends StorageProviderContract {

    @TempDir
    Path tmp;

    @Override
    protected StorageProvider createProvider() {
        return new LocalFolderStorageProvider(tmp.resolve("bucket"));
    }

    @Override
    protected StorageProvider createProviderForMissingBucket() throws Exception {
        // a folder that cannot be created: its parent is a regular file
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
        return new LocalFolderStorageProvider(file.resolve("bucket"));
    }
}
