package io.kbackup.examples.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Measures the heap of this JVM during one phase of a benchmark, two ways:
 * <ul>
 *   <li><b>peak used</b>: heap used sampled every 5 ms by a daemon thread ({@link MemoryMXBean#getHeapMemoryUsage()});
 *       includes garbage not yet collected, so it depends on the collector and on -Xmx;</li>
 *   <li><b>peak live</b>: the largest heap occupancy right after a garbage collection (from the collectors'
 *       {@code GarbageCollectionNotificationInfo}, summed over all heap pools), i.e. what the program actually kept
 *       reachable; needs at least one collection during the phase ({@link Reading#gcCount()}).</li>
 * </ul>
 * Baseline: {@link #start()} runs {@code System.gc()} first and records the live heap then (e.g. an in-process API
 * server's store), so {@code peakLive - baseline} is what the phase itself kept.
 */
public final class HeapMeter implements AutoCloseable {

    /**
     * One phase's figures, in bytes.
     *
     * @param baseline  live heap after a full GC before the phase
     * @param peakUsed  highest sampled heap use during the phase
     * @param peakLive  highest heap occupancy after a GC during the phase (0 if no GC ran)
     * @param gcCount   garbage collections during the phase
     * @param max       the heap limit (-Xmx)
     */
    public record Reading(long baseline, long peakUsed, long peakLive, long gcCount, long max) {
        /** What the phase itself kept live, above the baseline (never negative). */
        public long phaseLive() {
            return Math.max(0, peakLive - baseline);
        }
    }

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong();
    private final AtomicLong gcs = new AtomicLong();
    private final List<Runnable> unregister = new ArrayList<>();
    private volatile boolean running;
    private Thread sampler;
    private long baseline;

    /** Collects garbage, records the baseline and starts measuring. */
    public HeapMeter start() {
        System.gc();
        baseline = memory.getHeapMemoryUsage().getUsed();
        peakUsed.set(baseline);
        peakLive.set(0);
        gcs.set(0);
        NotificationListener listener = this::onGc;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                unregister.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (Exception ignored) {
                        // already removed
                    }
                });
            }
        }
        running = true;
        sampler = Report.sampler("heap-sampler", 5, () -> peakUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max));
        return this;
    }

    /** Stops measuring and returns the figures. */
    public Reading stop() {
        running = false;
        if (sampler != null) {
            sampler.interrupt();
            try {
                sampler.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        peakUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        unregister.forEach(Runnable::run);
        unregister.clear();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        return new Reading(baseline, peakUsed.get(), peakLive.get(), gcs.get(), heap.getMax());
    }

    @Override
    public void close() {
        if (running) {
            stop();
        }
    }

    private void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long after = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (isHeapPool(e.getKey())) {
                after += e.getValue().getUsed();
            }
        }
        gcs.incrementAndGet();
        peakLive.accumulateAndGet(after, Math::max);
    }

    private static boolean isHeapPool(String pool) {
        for (var p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getName().equals(pool)) {
                return p.getType() == java.lang.management.MemoryType.HEAP;
            }
        }
        return false;
    }

    /** Bytes as MiB with one decimal, e.g. {@code 12.3 MiB}. */
    public static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
