package io.kbackup.core.schedule;

import io.kbackup.BackupLocation;
import io.kbackup.core.storage.LocalFolderStorageFactory;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviderFactory;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The real local-folder provider, except that opening a tarball writer waits at a gate the test
 * opens: a backup stays in progress for as long as the test needs.
 */
final class GatedStorageFactory implements StorageProviderFactory {
    static final String ID = "gated";
    private final LocalFolderStorageFactory local = new LocalFolderStorageFactory();
    volatile CountDownLatch gate = new CountDownLatch(0);

    void close() {
        gate = new CountDownLatch(1);
    }

    void open() {
        gate.countDown();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<String> configKeys() {
        return local.configKeys();
    }

    @Override
    public StorageProvider create(BackupLocation location) {
        StorageProvider real = local.create(location.toBuilder().provider(BackupLocation.LOCAL).build());
        return (StorageProvider) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {StorageProvider.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("openWriter") && ((String) args[0]).endsWith(".tar.gz")) {
                        if (!gate.await(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("test gate never opened");
                        }
                    }
                    if (method.getName().equals("id")) {
                        return ID;
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
