package io.kbackup.examples.bench;

import io.kbackup.testkit.cluster.RealCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Per-process CPU and, with {@code --profile DIR}, profiles of one benchmark phase on a real cluster, written as small
 * text files into {@code DIR}:
 * <ul>
 *   <li>CPU seconds (utime + stime of {@code /proc/<pid>/stat}, before and after) of this JVM (kbackup, or the
 *       comparison's client), the cluster's kube-apiserver and its etcd;</li>
 *   <li>this JVM: a JFR recording (settings {@code profile}) of the phase, its {@code jdk.ExecutionSample} events
 *       counted by top frame, by the top frame's package and by thread (digits folded), and its
 *       {@code jdk.NativeMethodSample} events by top frame (threads in native code: deflate, but also socket reads);</li>
 *   <li>kube-apiserver ({@code --profiling=true}) and etcd ({@code ETCD_ENABLE_PPROF=true}, which {@code bench.sh}
 *       exports with {@code --profile}): their {@code /debug/pprof/profile} fetched in consecutive 2-second windows
 *       while the phase runs, merged and summarised by {@code go tool pprof -top} (flat), plus flat time by Go
 *       package.</li>
 * </ul>
 */
final class Profiler {

    private static final int WINDOW_SECONDS = 2;

    private final Path dir;

    private Profiler(Path dir) {
        this.dir = dir;
    }

    /** Profiles into {@code dir} (created); {@code null}: per-process CPU only. */
    static Profiler into(String dir) {
        if (dir == null) {
            return new Profiler(null);
        }
        try {
            Profiler p = new Profiler(Files.createDirectories(Path.of(dir)));
            // JFR's first recording in a JVM starts its machinery (threads, class loading, JIT): not in a phase
            try (Recording warmUp = new Recording(Configuration.getConfiguration("profile"))) {
                warmUp.start();
                Thread.sleep(500);
                warmUp.stop();
            }
            return p;
        } catch (IOException | java.text.ParseException e) {
            throw new IllegalStateException("cannot start profiling into " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    boolean profiling() {
        return dir != null;
    }

    /** The kube-apiserver flag that turns its /debug/pprof on (the test kit turns it off). */
    static String[] apiServerArgs() {
        return new String[] {"--profiling=true"};
    }

    /** CPU seconds of the three processes over one phase. */
    record Cpu(long jvmNanos, long apiServerNanos, long etcdNanos) {

        String apiServer() {
            return apiServerNanos < 0 ? "-" : Report.seconds(apiServerNanos);
        }

        String etcd() {
            return etcdNanos < 0 ? "-" : Report.seconds(etcdNanos);
        }

        long totalNanos() {
            return jvmNanos + Math.max(0, apiServerNanos) + Math.max(0, etcdNanos);
        }
    }

    /**
     * Starts measuring a phase against {@code cluster} (its server processes are found among this JVM's descendants by
     * their ports; an embedded cluster has none); {@code profile} and a directory: profiled into {@code <name>.txt}.
     */
    Phase start(String name, BenchCluster cluster, boolean profile) {
        return new Phase(name, cluster, profile && dir != null);
    }

    /** One measured (and, with a directory, profiled) phase. */
    final class Phase {
        private final String name;
        private final ProcessMeter jvm = ProcessMeter.self();
        private final ProcessMeter api;
        private final ProcessMeter etcd;
        private final Recording jfr;
        private final List<Fetcher> fetchers = new ArrayList<>();
        private final Map<Long, Map.Entry<String, Long>> threads0 = JvmProfile.threadTicks();
        /** Each thread's latest reading, kept every 200 ms so that threads ending in the phase still count. */
        private final Map<Long, Map.Entry<String, Long>> threadsLatest = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile Thread threadSampler;

        private Phase(String name, BenchCluster cluster, boolean profile) {
            this.name = name;
            RealCluster rc = cluster.isReal() ? cluster.realCluster() : null;
            Optional<Long> apiPid = rc == null ? Optional.empty()
                    : childWith("kube-apiserver", "--secure-port\0" + rc.port() + "\0");
            Optional<Long> etcdPid = rc == null ? Optional.empty()
                    : childWith("etcd", "--listen-client-urls\0" + rc.etcdUrl() + "\0");
            this.api = apiPid.map(p -> ProcessMeter.start(p, false)).orElse(null);
            this.etcd = etcdPid.map(p -> ProcessMeter.start(p, false)).orElse(null);
            if (!profile) {
                this.jfr = null;
                return;
            }
            try {
                this.jfr = new Recording(Configuration.getConfiguration("profile"));
            } catch (IOException | java.text.ParseException e) {
                throw new IllegalStateException("cannot load JFR's 'profile' settings", e);
            }
            jfr.start();
            threadSampler = Report.sampler("profiler-threads", 200, () -> threadsLatest.putAll(JvmProfile.threadTicks()));
            if (rc != null) {
                HttpClient http = HttpClient.newBuilder().sslContext(rc.sslContext()).build();
                fetchers.add(new Fetcher("kube-apiserver", http, rc.url() + "/debug/pprof/profile", rc.adminToken()));
                fetchers.add(new Fetcher("etcd", HttpClient.newHttpClient(), rc.etcdUrl() + "/debug/pprof/profile", null));
                fetchers.forEach(Fetcher::begin);
            }
        }

        /** Ends the phase: CPU of each process; with a directory, writes {@code <name>.txt} there. */
        Cpu stop() {
            jvm.close();
            if (api != null) {
                api.close();
            }
            if (etcd != null) {
                etcd.close();
            }
            Cpu cpu = new Cpu(jvm.cpuNanos(), api == null ? -1 : api.cpuNanos(), etcd == null ? -1 : etcd.cpuNanos());
            if (jfr == null) {
                return cpu;
            }
            jfr.stop();
            threadSampler.interrupt();
            Map<Long, Map.Entry<String, Long>> threadsAfter = new HashMap<>(threadsLatest);
            threadsAfter.putAll(JvmProfile.threadTicks());
            StringBuilder out = new StringBuilder();
            out.append("phase: ").append(name).append(", load average ").append(Report.load()).append('\n');
            out.append("CPU: this JVM ").append(Report.seconds(cpu.jvmNanos())).append(", kube-apiserver ")
                    .append(cpu.apiServer()).append(", etcd ").append(cpu.etcd()).append('\n');
            out.append(JvmProfile.threadCpu(threads0, threadsAfter, cpu.jvmNanos()));
            try {
                Path file = Files.createTempFile("kbackup-bench-", ".jfr");
                try {
                    jfr.dump(file);
                    out.append(JvmProfile.summariseJfr(file));
                } finally {
                    jfr.close();
                    Files.deleteIfExists(file);
                }
                fetchers.forEach(f -> f.stop.set(true)); // no window starts after the phase
                for (Fetcher f : fetchers) {
                    out.append(f.finish());
                }
                Path txt = dir.resolve(name.replaceAll("[^A-Za-z0-9.-]+", "-") + ".txt");
                Files.writeString(txt, out, StandardCharsets.UTF_8);
                System.out.println("  profile: " + txt);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the profile of " + name, e);
            }
            return cpu;
        }
    }

    /** Fetches {@code /debug/pprof/profile} in consecutive windows until {@link #finish()}. */
    private final class Fetcher {
        private final String process;
        private final HttpClient http;
        private final String url;
        private final String token;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Path> windows = new ArrayList<>();
        private final Thread thread;
        private volatile String error;

        Fetcher(String process, HttpClient http, String url, String token) {
            this.process = process;
            this.http = http;
            this.url = url;
            this.token = token;
            this.thread = new Thread(this::run, "pprof-" + process);
            thread.setDaemon(true);
        }

        void begin() {
            thread.start();
        }

        private void run() {
            while (!stop.get()) {
                HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(url + "?seconds=" + WINDOW_SECONDS))
                        .timeout(Duration.ofSeconds(WINDOW_SECONDS + 60));
                if (token != null) {
                    rb.header("Authorization", "Bearer " + token);
                }
                try {
                    HttpResponse<byte[]> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 200) {
                        error = "HTTP " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8).strip();
                        return;
                    }
                    Path f = Files.createTempFile("kbackup-pprof-" + process + "-", ".pb.gz");
                    Files.write(f, r.body());
                    windows.add(f);
                } catch (IOException e) {
                    error = e.toString();
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        String finish() throws IOException {
            stop.set(true);
            try {
                thread.join(Duration.ofSeconds(WINDOW_SECONDS + 70).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            StringBuilder sb = new StringBuilder("\n== ").append(process).append(" (go tool pprof -top, ")
                    .append(windows.size()).append(" windows of ").append(WINDOW_SECONDS).append(" s merged)\n");
            if (error != null) {
                sb.append("profile not available: ").append(error).append('\n');
            }
            if (windows.isEmpty()) {
                return sb.toString();
            }
            List<String> cmd = new ArrayList<>(List.of(goTool(), "tool", "pprof", "-top", "-nodecount=200"));
            windows.forEach(w -> cmd.add(w.toString()));
            String top;
            String cum;
            try {
                top = exec(cmd);
                cmd.add(4, "-cum");
                cmd.set(5, "-nodecount=15");
                cum = exec(cmd);
            } catch (IOException e) {
                return sb.append("go tool pprof could not run (is Go installed?): ").append(e.getMessage()).append('\n').toString();
            } finally {
                for (Path w : windows) {
                    Files.deleteIfExists(w);
                }
            }
            List<String> lines = top.lines().toList();
            int shown = 0;
            Map<String, Double> byPackage = new HashMap<>();
            double total = 0;
            for (String line : lines) {
                String[] f = line.trim().split("\\s+", 6);
                boolean row = f.length == 6 && f[1].endsWith("%") && f[0].matches("[0-9.]+m?s");
                if (!row) {
                    if (shown == 0) {
                        sb.append(line).append('\n'); // header lines
                    }
                    continue;
                }
                double flat = seconds(f[0]);
                total += flat;
                byPackage.merge(goPackage(f[5]), flat, Double::sum);
                if (shown++ < 25) {
                    sb.append(line).append('\n');
                }
            }
            sb.append("-- flat time by Go package (top 12 of the 200 hottest functions)\n");
            double sum = total;
            byPackage.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(12)
                    .forEach(e -> sb.append(String.format(Locale.ROOT, "%8.2fs %5.1f%%  %s%n", e.getValue(),
                            100 * e.getValue() / sum, e.getKey())));
            sb.append("-- by cumulative time (top 15)\n");
            cum.lines().dropWhile(l -> !l.trim().startsWith("flat")).forEach(l -> sb.append(l).append('\n'));
            return sb.toString();
        }
    }

    /** {@code k8s.io/apimachinery/pkg/runtime.(*Scheme).Convert} -> {@code k8s.io/apimachinery/pkg/runtime}. */
    static String goPackage(String function) {
        int slash = function.lastIndexOf('/');
        int dot = function.indexOf('.', Math.max(0, slash));
        return dot < 0 ? function : function.substring(0, dot);
    }

    private static double seconds(String s) {
        return s.endsWith("ms") ? Double.parseDouble(s.substring(0, s.length() - 2)) / 1000
                : Double.parseDouble(s.substring(0, s.length() - 1));
    }

    private static String goTool() {
        Path local = Path.of("/usr/local/go/bin/go");
        return Files.isExecutable(local) ? local.toString() : "go";
    }

    private static String exec(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A descendant of this JVM whose command line names {@code binary} and contains {@code argument}. */
    private static Optional<Long> childWith(String binary, String argument) {
        return ProcessHandle.current().descendants().map(ProcessHandle::pid).filter(pid -> {
            try {
                String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
                String exe = cmdline.substring(0, Math.max(0, cmdline.indexOf('\0')));
                return exe.endsWith("/" + binary) && cmdline.contains(argument);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }).findFirst();
    }
}
