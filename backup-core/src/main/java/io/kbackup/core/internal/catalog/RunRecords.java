package io.kbackup.core.internal.catalog;

import io.kbackup.core.internal.DaemonThreads;
import io.kbackup.spi.StorageProvider;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the records of running operations fresh in their location, so that other processes see
 * them ({@code kbackup-progress.json} of a backup, {@code kbackup-restore.json} of a restore): each
 * is written at the start and then every {@link #every()} from one timer thread per engine, which
 * also proves that the process still runs. A record not refreshed for {@link #STALE_AFTER} is read
 * as abandoned. Failures to write are logged (DEBUG after the first WARN) and never stop the operation.
 */
public final class RunRecords implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunRecords.class);
    /** How often a running operation's record is refreshed by default. */
    public static final Duration DEFAULT_EVERY = Duration.ofSeconds(15);
    /** A record of a running operation older than this belongs to a process that stopped. */
    public static final Duration STALE_AFTER = Duration.ofMinutes(10);

    private final Duration every;
    private final ScheduledExecutorService timer;

    public RunRecords(Duration every) {
        this.every = every;
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kbackup-records"));
    }

    public Duration every() {
        return every;
    }

    /** Writes {@code record} to {@code key} now and then every {@link #every()} until the heartbeat is stopped. */
    public Heartbeat start(StorageProvider storage, String key, Supplier<byte[]> record) {
        Heartbeat h = new Heartbeat(storage, key, record);
        h.beat();
        try {
            h.future = timer.scheduleWithFixedDelay(h::beat, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Record {} is not refreshed: the engine is closing", key);
        }
        return h;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One operation's record. Thread-safe. */
    public static final class Heartbeat {
        private final StorageProvider storage;
        private final String key;
        private final Supplier<byte[]> record;
        private volatile ScheduledFuture<?> future;
        private boolean stopped;
        private boolean warned;
        /** What this heartbeat last wrote. */
        private byte[] last;

        private Heartbeat(StorageProvider storage, String key, Supplier<byte[]> record) {
            this.storage = storage;
            this.key = key;
            this.record = record;
        }

        private synchronized void beat() {
            if (!stopped) {
                write(record.get());
            }
        }

        /** Stops refreshing; after it returns no refresh is written any more. */
        public synchronized void stop() {
            stopped = true;
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
        }

        /** Stops refreshing and writes the final record. */
        public synchronized void finish(byte[] last) {
            stop();
            write(last);
        }

        /** Stops refreshing and deletes the record (the operation left its own final document). */
        public synchronized void remove() {
            stop();
            try {
                storage.delete(key);
            } catch (RuntimeException e) {
                LOG.debug("Could not delete {}: {}", key, e.toString());
            }
        }

        /**
         * Stops refreshing and deletes the record only if it still holds what this heartbeat last
         * wrote (another operation of the same name may have written its own since).
         */
        public synchronized void removeIfOwn() {
            stop();
            try {
                if (last != null && Arrays.equals(storage.getBytes(key), last)) {
                    storage.delete(key);
                }
            } catch (RuntimeException e) {
                LOG.debug("Could not delete {}: {}", key, e.toString());
            }
        }

        private void write(byte[] bytes) {
            last = bytes;
            try {
                storage.put(key, bytes);
            } catch (RuntimeException e) {
                if (!warned) {
                    warned = true;
                    LOG.warn("Could not write {} (other processes may not see this operation's progress): {}", key, e.getMessage());
                } else {
                    LOG.debug("Could not write {}: {}", key, e.toString());
                }
            }
        }
    }
}
