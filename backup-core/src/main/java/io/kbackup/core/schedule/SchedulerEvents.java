package io.kbackup.core.schedule;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each {@link SchedulerEvent} and hands it to the listeners; a failing listener is logged, not rethrown. */
final class SchedulerEvents {
    private static final Logger LOG = LoggerFactory.getLogger(BackupScheduler.class);

    private final List<SchedulerListener> listeners;

    SchedulerEvents(Collection<SchedulerListener> initial) {
        this.listeners = new CopyOnWriteArrayList<>(initial);
    }

    void add(SchedulerListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void emit(SchedulerEvent.Type type, String plan, String backup, Instant time, String message) {
        SchedulerEvent event = new SchedulerEvent(type, plan, backup, time, message);
        if (type == SchedulerEvent.Type.FAILED || type == SchedulerEvent.Type.ERROR || type == SchedulerEvent.Type.LOCKED) {
            LOG.warn("{}", event);
        } else {
            LOG.info("{}", event);
        }
        for (SchedulerListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException ex) {
                LOG.warn("kbackup scheduler listener failed on {}: {}", type, ex.toString());
            }
        }
    }
}
