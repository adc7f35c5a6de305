package io.kbackup.storage.gcs.internal;

import com.google.cloud.storage.Storage;
import java.util.function.Supplier;

/** Builds a client on first use; a failed build is retried on the next use. */
final class LazyStorage implements Supplier<Storage> {
    private final Supplier<Storage> factory;
    private Storage value;

    LazyStorage(Supplier<Storage> factory) {
        this.factory = factory;
    }

    @Override
    public synchronized Storage get() {
        if (value == null) {
            value = factory.get();
        }
        return value;
    }

    synchronized void closeIfBuilt() {
        if (value != null) {
            try {
                value.close();
            } catch (Exception ignored) {
                // closing releases connections only
            }
            value = null;
        }
    }
}
