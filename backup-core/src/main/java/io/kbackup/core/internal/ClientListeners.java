package io.kbackup.core.internal;

import io.kbackup.BackupHandle;
import io.kbackup.BackupPlan;
import io.kbackup.ClientListener;
import io.kbackup.RestoreHandle;
import io.kbackup.RestorePlan;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An engine's {@link ClientListener}s; a listener's exception is logged and ignored. Thread-safe. */
public final class ClientListeners {
    private static final Logger LOG = LoggerFactory.getLogger(ClientListeners.class);
    private final CopyOnWriteArrayList<ClientListener> listeners = new CopyOnWriteArrayList<>();

    public void add(ClientListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.addIfAbsent(listener);
    }

    public void remove(ClientListener listener) {
        listeners.remove(listener);
    }

    /** Tells every listener; called before the backup's worker starts. */
    public void backupStarted(BackupHandle handle, BackupPlan plan) {
        tell(l -> l.backupStarted(handle, plan));
    }

    /** Tells every listener; called before the restore's worker starts. */
    public void restoreStarted(RestoreHandle handle, RestorePlan plan) {
        tell(l -> l.restoreStarted(handle, plan));
    }

    private void tell(Consumer<ClientListener> event) {
        for (ClientListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("A client listener failed (ignored): {}", e.toString());
            }
        }
    }
}
