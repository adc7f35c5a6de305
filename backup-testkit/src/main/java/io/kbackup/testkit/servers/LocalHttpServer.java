package io.kbackup.testkit.servers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * The base of a real HTTP server run as a child process on 127.0.0.1 ({@link MinioServer},
 * {@link MotoServer}, {@link FakeGcsServer}): its endpoint, port and log, and {@link #close()},
 * which stops it and deletes its data.
 */
public abstract class LocalHttpServer implements AutoCloseable {

    private final ServerProcess process;
    private final int port;

    /**
     * Wraps a started server process.
     *
     * @param process the running server
     * @param port the port it serves on 127.0.0.1
     */
    protected LocalHttpServer(ServerProcess process, int port) {
        this.process = Objects.requireNonNull(process, "process");
        this.port = port;
    }

    /**
     * Starts {@code binary} (required through {@link TestServers#require(String)}) on a free port,
     * waits until a GET of {@code readyPath} answers 200 and wraps the process with {@code wrap}; a
     * server that does not get ready is stopped.
     *
     * @param name a short label for logs and messages
     * @param binary the executable's name in {@link TestServers#binDir()}
     * @param args the server's arguments for a port
     * @param readyPath the path that answers 200 once the server is ready, e.g. {@code /storage/v1/b}
     * @param timeout how long the server may take to get ready
     * @param wrap makes the server object from the process and its port
     */
    protected static <T extends LocalHttpServer> T startOnFreePort(String name, String binary,
            IntFunction<List<String>> args, String readyPath, Duration timeout,
            BiFunction<ServerProcess, Integer, T> wrap) {
        Path executable = TestServers.require(binary);
        int port = TestServers.freePort();
        return ServerProcess.builder(name, executable).args(args.apply(port)).start(process -> {
            process.awaitHttpOk(url(port) + readyPath, timeout);
            return wrap.apply(process, port);
        });
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** The endpoint, {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return url(port);
    }

    /** The port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The server's log file (standard output and error). */
    public Path log() {
        return process.log();
    }

    /** The server's process, for what a subclass adds. */
    protected ServerProcess process() {
        return process;
    }

    /** Stops the server and deletes its data. */
    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + endpoint() + ", log " + process.log() + "]";
    }
}
