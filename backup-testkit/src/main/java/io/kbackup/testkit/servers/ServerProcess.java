package io.kbackup.testkit.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One real server as a child process: its output goes to a log file, its data to a temporary
 * folder that {@link #close()} deletes with the process (and the process's children).
 *
 * <pre>{@code
 * int port = TestServers.freePort();
 * try (ServerProcess minio = ServerProcess.builder("minio", TestServers.require("minio"))
 *         .args("server", "--address", "127.0.0.1:" + port, "{work}/data")
 *         .env("MINIO_ROOT_USER", "admin").env("MINIO_ROOT_PASSWORD", "password")
 *         .start()) {
 *     minio.awaitPort(port, Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>{@code {work}} in an argument is replaced by the process's own temporary folder.
 */
public final class ServerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path work;
    private final Path log;
    private final boolean keepWork;

    private ServerProcess(String name, Process process, Path work, Path log, boolean keepWork) {
        this.name = name;
        this.process = process;
        this.work = work;
        this.log = log;
        this.keepWork = keepWork;
    }

    /**
     * A builder for a process running {@code binary}.
     *
     * @param name a short label for logs and messages, e.g. {@code kube-apiserver}
     * @param binary the executable, an absolute path
     */
    public static Builder builder(String name, Path binary) {
        return new Builder(name, binary);
    }

    /** The process's own temporary folder, deleted by {@link #close()}. */
    public Path work() {
        return work;
    }

    /** The file that holds the process's standard output and error. */
    public Path log() {
        return log;
    }

    /** The label given to the builder. */
    public String name() {
        return name;
    }

    /** True while the process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The operating-system process id. */
    public long pid() {
        return process.pid();
    }

    /**
     * Waits until something accepts TCP connections on 127.0.0.1:{@code port}.
     *
     * @throws IllegalStateException when the process exits first or the time is up, with the end
     *         of its log
     */
    public ServerProcess awaitPort(int port, Duration timeout) {
        return awaitCondition("listen on 127.0.0.1:" + port, timeout, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    /**
     * Waits until a plain GET of {@code url} answers 200.
     *
     * @throws IllegalStateException when the process exits first or the time is up, with the end
     *         of its log
     */
    public ServerProcess awaitHttpOk(String url, Duration timeout) {
        return awaitCondition("answer 200 on " + url, timeout, () -> Http.status(url) == 200);
    }

    /**
     * Waits until {@code ready} says true, polling every 100 ms.
     *
     * @param what what is awaited, for the message
     * @throws IllegalStateException when the process exits first or the time is up, with the end
     *         of its log
     */
    public ServerProcess awaitCondition(String what, Duration timeout, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it would "
                        + what + "; end of " + log + ":\n" + tail(40));
            }
            if (ready.getAsBoolean()) {
                return this;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not " + what + " within " + timeout.toSeconds()
                        + " s; end of " + log + ":\n" + tail(40));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + name, e);
            }
        }
    }

    /** The last {@code lines} lines of the process's log. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Stops the process and its children (SIGTERM, then SIGKILL after 10 s) and deletes its folder. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                child.onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
        if (!keepWork) {
            deleteTree(work);
        }
    }

    /** Deletes a folder and everything in it, best effort (a folder left behind is no test failure). */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: a temp folder left behind is not a test failure
        }
    }

    @Override
    public String toString() {
        return "ServerProcess[" + name + ", pid " + process.pid() + ", log " + log + "]";
    }

    /** Builds and starts a {@link ServerProcess}. */
    public static final class Builder {
        private final String name;
        private final Path binary;
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new java.util.LinkedHashMap<>();
        private Path work;
        private Path logDir = Path.of("target", "test-servers");
        private boolean keepWork;

        private Builder(String name, Path binary) {
            this.name = Objects.requireNonNull(name, "name");
            this.binary = Objects.requireNonNull(binary, "binary");
        }

        /** Adds arguments; {@code {work}} is replaced by the process's temporary folder. */
        public Builder args(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        /** Adds arguments; {@code {work}} is replaced by the process's temporary folder. */
        public Builder args(List<String> more) {
            args.addAll(more);
            return this;
        }

        /** Sets an environment variable of the process (the rest is inherited). */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** Uses this folder as the process's work folder instead of a new temporary one. */
        public Builder work(Path folder) {
            this.work = folder;
            return this;
        }

        /** Keeps the work folder after {@link ServerProcess#close()} (default: deleted). */
        public Builder keepWork(boolean keep) {
            this.keepWork = keep;
            return this;
        }

        /** Where the log file goes (default {@code target/test-servers}). */
        public Builder logDir(Path folder) {
            this.logDir = folder;
            return this;
        }

        /**
         * Starts the process and hands it to {@code ready}, which waits until the server is ready
         * (with the {@code await*} methods) and returns what wraps the process; when {@code ready}
         * throws, the process is closed before the exception goes on.
         *
         * <pre>{@code
         * return ServerProcess.builder("moto", binary).args("-p", String.valueOf(port)).start(process -> {
         *     process.awaitHttpOk(url + "/moto-api/data.json", Duration.ofSeconds(60));
         *     return new MotoServer(process, port);
         * });
         * }</pre>
         */
        public <T> T start(Function<ServerProcess, T> ready) {
            ServerProcess process = start();
            try {
                return ready.apply(process);
            } catch (RuntimeException e) {
                process.close();
                throw e;
            }
        }

        /** Starts the process; it does not wait for readiness (see {@code await*}). */
        public ServerProcess start() {
            try {
                Path dir = work != null ? work : Files.createTempDirectory("kbackup-" + TestServers.fileSafe(name));
                Files.createDirectories(dir);
                Files.createDirectories(logDir);
                Path log = Files.createTempFile(logDir.toAbsolutePath(), TestServers.fileSafe(name) + "-", ".log");
                List<String> command = new ArrayList<>();
                command.add(binary.toString());
                for (String a : args) {
                    command.add(a.replace("{work}", dir.toString()));
                }
                ProcessBuilder pb = new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                pb.environment().putAll(env);
                return new ServerProcess(name, pb.start(), dir, log, keepWork);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name + " (" + binary + ")", e);
            }
        }
    }
}
