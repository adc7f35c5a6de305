package io.kbackup.examples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Runs {@code kubectl get <every type> -A -o json} against a benchmark cluster, as a user would by hand. */
final class Kubectl {

    /**
     * One run.
     *
     * @param nanos        wall time
     * @param exitCode     kubectl's exit code
     * @param outputBytes  size of the JSON it printed
     * @param peakRssBytes its peak resident set size (VmHWM polled from /proc every 20 ms; 0 if unavailable)
     * @param stderrTail   the end of its error output, for failures
     */
    record Run(long nanos, int exitCode, long outputBytes, long peakRssBytes, String stderrTail) {}

    private Kubectl() {}

    /** The kubectl to use, or null if {@code path} is not an executable file. */
    static Path find(String path) {
        Path p = Path.of(path);
        return Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
    }

    static Run getAll(Path kubectl, Path kubeconfig, List<ApiTypes.Type> types, Path workDir)
            throws IOException, InterruptedException {
        Path out = workDir.resolve("kubectl-out.json");
        Path err = workDir.resolve("kubectl-err.txt");
        Path cache = Files.createDirectories(workDir.resolve("kubectl-cache"));
        List<String> cmd = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", cache.toString(), "get",
                types.stream().map(ApiTypes.Type::kubectlName).collect(Collectors.joining(",")),
                "-A", "-o", "json"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        long peak = 0;
        while (!p.waitFor(20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, vmHwm(status));
        }
        long nanos = System.nanoTime() - t0;
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        long size = Files.size(out);
        Files.deleteIfExists(out);
        return new Run(nanos, p.exitValue(), size, peak,
                stderr.length() > 2000 ? stderr.substring(stderr.length() - 2000) : stderr);
    }

    private static long vmHwm(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process has just ended
        }
        return 0;
    }
}
