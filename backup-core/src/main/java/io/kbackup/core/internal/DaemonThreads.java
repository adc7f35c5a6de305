package io.kbackup.core.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories for the engines' own threads: daemon threads (they never keep a JVM alive), named for thread dumps. */
public final class DaemonThreads {
    private DaemonThreads() {}

    /** Daemon threads named {@code prefix1}, {@code prefix2}, ... (numbered per factory). */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> daemon(r, prefix + n.incrementAndGet());
    }

    /** Daemon threads all named {@code name} (for an executor of one thread). */
    public static ThreadFactory named(String name) {
        return r -> daemon(r, name);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
