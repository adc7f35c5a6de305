package io.kbackup.examples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time and peak resident memory of a process (optionally with its descendants), read from Linux's {@code /proc}:
 * CPU = {@code utime + stime} (and {@code cutime + cstime}, children that ended) of {@code /proc/<pid>/stat} at the
 * end minus at the start; peak RSS = the highest sum of {@code VmRSS} of {@code /proc/<pid>/status} sampled every
 * 20 ms while it runs. Works for any process, a Go server as well as this JVM.
 */
final class ProcessMeter implements AutoCloseable {
    /** Linux's USER_HZ, the unit of the times in /proc/<pid>/stat (100 on every common architecture). */
    private static final long TICKS_PER_SECOND = 100;

    private final long pid;
    private final boolean descendants;
    private final long startTicks;
    private final Thread sampler;
    private volatile long peakRss;
    private long endTicks = -1;

    private ProcessMeter(long pid, boolean descendants) {
        this.pid = pid;
        this.descendants = descendants;
        this.startTicks = ticks();
        this.peakRss = rss();
        this.sampler = Report.sampler("process-meter-" + pid, 20, () -> peakRss = Math.max(peakRss, rss()));
    }

    /** Starts measuring process {@code pid} and, when {@code descendants}, the processes it started. */
    static ProcessMeter start(long pid, boolean descendants) {
        return new ProcessMeter(pid, descendants);
    }

    /** Starts measuring this JVM alone (not the servers it started). */
    static ProcessMeter self() {
        return start(ProcessHandle.current().pid(), false);
    }

    /** Stops sampling; the figures stay. */
    @Override
    public void close() {
        if (endTicks < 0) {
            peakRss = Math.max(peakRss, rss());
            endTicks = ticks();
            sampler.interrupt();
        }
    }

    /** CPU time used between start and {@link #close()} (or now). */
    long cpuNanos() {
        long end = endTicks >= 0 ? endTicks : ticks();
        return (end - startTicks) * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /** The highest resident memory seen, bytes. */
    long peakRssBytes() {
        return peakRss;
    }

    private List<Long> pids() {
        List<Long> out = new ArrayList<>();
        out.add(pid);
        if (descendants) {
            ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> out.add(d.pid())));
        }
        return out;
    }

    private long ticks() {
        long total = 0;
        boolean root = true;
        for (long p : pids()) {
            String[] f = statFields(p);
            if (f.length > 14) {
                // fields after "(comm)": index 0 = state (field 3); utime = field 14, stime 15, cutime 16, cstime 17
                total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                if (root && descendants) {
                    total += Long.parseLong(f[13]) + Long.parseLong(f[14]);
                }
            }
            root = false;
        }
        return total;
    }

    private static String[] statFields(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            return s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
        } catch (IOException | RuntimeException e) {
            return new String[0]; // ended meanwhile
        }
    }

    private long rss() {
        long total = 0;
        for (long p : pids()) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p), "status"), StandardCharsets.US_ASCII)) {
                    if (line.startsWith("VmRSS:")) {
                        total += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // ended meanwhile
            }
        }
        return total;
    }
}
