package io.kbackup.core.internal.catalog;

import io.kbackup.BackupLocation;
import io.kbackup.core.storage.LocalFolderStorageFactory;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviderFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The local-folder provider (same id, so the locations stay plain local folders), except that
 * storing a key the predicate names waits until the test opens the gate: the operation stays
 * running for as long as the test needs.
 */
final class GateOnPut implements StorageProviderFactory {
    private final LocalFolderStorageFactory local = new LocalFolderStorageFactory();
    private final Predicate<String> keys;
    final CountDownLatch gate = new CountDownLatch(1);
    final CountDownLatch reached = new CountDownLatch(1);

    GateOnPut(Predicate<String> keys) {
        this.keys = keys;
    }

    @Override
    public String id() {
        return local.id();
    }

    @Override
    public Set<String> configKeys() {
        return local.configKeys();
    }

    @Override
    public StorageProvider create(BackupLocation location) {
        StorageProvider real = local.create(location);
        return (StorageProvider) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {StorageProvider.class},
                (proxy, method, args) -> {
                    if ((method.getName().equals("put") || method.getName().equals("openWriter")) && keys.test((String) args[0])) {
                        reached.countDown();
                        if (!gate.await(60, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("test gate never opened");
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
