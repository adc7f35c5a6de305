package io.kbackup.examples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/** The {@link Profiler}'s summaries of this JVM: CPU by thread from {@code /proc/self/task}, and JFR's samples. */
final class JvmProfile {

    private JvmProfile() {}

    /** This JVM's threads (JIT compiler and GC threads included): thread id -> (name, utime + stime ticks). */
    static Map<Long, Map.Entry<String, Long>> threadTicks() {
        Map<Long, Map.Entry<String, Long>> out = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(t -> {
                try {
                    String st = Files.readString(t.resolve("stat"), StandardCharsets.UTF_8);
                    String comm = st.substring(st.indexOf('(') + 1, st.lastIndexOf(')'));
                    String[] f = st.substring(st.lastIndexOf(')') + 2).trim().split(" ");
                    out.put(Long.parseLong(t.getFileName().toString()),
                            Map.entry(comm, Long.parseLong(f[11]) + Long.parseLong(f[12])));
                } catch (IOException | RuntimeException e) {
                    // ended meanwhile
                }
            });
        } catch (IOException e) {
            // not Linux: no per-thread figures
        }
        return out;
    }

    /**
     * CPU of the phase by thread, from {@code /proc/self/task} (names as the kernel has them, digits folded): JIT
     * compiler and GC threads included; threads that ended during the phase count as "threads that ended".
     */
    static String threadCpu(Map<Long, Map.Entry<String, Long>> before, Map<Long, Map.Entry<String, Long>> after,
            long jvmNanos) {
        Map<String, Long> byName = new HashMap<>();
        long seen = 0;
        for (Map.Entry<Long, Map.Entry<String, Long>> e : after.entrySet()) {
            Map.Entry<String, Long> b = before.get(e.getKey());
            long ticks = e.getValue().getValue() - (b == null ? 0 : b.getValue());
            seen += ticks;
            byName.merge(e.getValue().getKey().replaceAll("[0-9]+", "N"), ticks, Long::sum);
        }
        long ended = jvmNanos / 10_000_000 - seen;
        if (ended > 0) {
            byName.merge("(threads that lived less than 200 ms)", ended, Long::sum);
        }
        StringBuilder sb = new StringBuilder("\n== this JVM's CPU by thread (/proc/self/task, utime + stime, read every 200 ms;"
                + " names cut to 15 characters by the kernel)\n");
        byName.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(14)
                .forEach(e -> sb.append(String.format(Locale.ROOT, "%8.2fs %5.1f%%  %s%n", e.getValue() / 100.0,
                        100.0 * e.getValue() / Math.max(1, jvmNanos / 10_000_000), e.getKey())));
        return sb.toString();
    }

    /** JFR's samples of the phase, counted by top frame, package and thread. */
    static String summariseJfr(Path file) throws IOException {
        Map<String, Integer> javaTop = new HashMap<>();
        Map<String, Integer> javaPackage = new HashMap<>();
        Map<String, Integer> javaThread = new HashMap<>();
        Map<String, Integer> nativeTop = new HashMap<>();
        int[] counts = new int[2];
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            boolean java = type.equals("jdk.ExecutionSample");
            if (!java && !type.equals("jdk.NativeMethodSample")) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            RecordedFrame top = st.getFrames().get(0);
            String cls = top.getMethod().getType().getName();
            String method = cls.substring(cls.lastIndexOf('.') + 1) + "." + top.getMethod().getName();
            if (java) {
                counts[0]++;
                javaTop.merge(method, 1, Integer::sum);
                javaPackage.merge(cls.lastIndexOf('.') < 0 ? "" : cls.substring(0, cls.lastIndexOf('.')), 1, Integer::sum);
                String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
                javaThread.merge(thread == null ? "?" : thread.replaceAll("[0-9]+", "N"), 1, Integer::sum);
            } else {
                counts[1]++;
                nativeTop.merge(method, 1, Integer::sum);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("\n== this JVM (JFR jdk.ExecutionSample, ").append(counts[0]).append(" samples; threads running Java)\n");
        top(sb, "by top frame", javaTop, counts[0], 25);
        top(sb, "by package of the top frame", javaPackage, counts[0], 12);
        top(sb, "by thread", javaThread, counts[0], 10);
        sb.append("\n== this JVM (JFR jdk.NativeMethodSample, ").append(counts[1])
                .append(" samples; threads in native code, waiting ones included)\n");
        top(sb, "by top frame", nativeTop, counts[1], 10);
        return sb.toString();
    }

    private static void top(StringBuilder sb, String title, Map<String, Integer> counts, int total, int n) {
        sb.append("-- ").append(title).append('\n');
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                .forEach(e -> sb.append(String.format(Locale.ROOT, "%6d %5.1f%%  %s%n", e.getValue(),
                        100.0 * e.getValue() / Math.max(1, total), e.getKey())));
    }
}
