package io.kbackup.testkit.servers;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test server (MinIO, moto, fake-gcs-server, Azurite, ...) per test class, as a JUnit 5
 * extension: started before the class's first test, stopped after its last, instead of each
 * class's own {@code @BeforeAll}/{@code @AfterAll} pair. A missing server binary fails or skips the
 * class as the server's {@code start()} decides ({@link TestServers#require}).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ServerExtension<MinioServer> MINIO = ServerExtension.of(MinioServer::start, m -> m.createBucket("b"));
 *
 * @Test
 * void something() {
 *     String endpoint = MINIO.get().endpoint();
 * }
 * }</pre>
 *
 * <p>Register it on a {@code static} field: it starts the server once per class.
 *
 * @param <S> the server type
 */
public final class ServerExtension<S extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {

    private final Supplier<S> start;
    private final Consumer<S> setUp;
    private volatile S server;
    private int users;

    private ServerExtension(Supplier<S> start, Consumer<S> setUp) {
        this.start = Objects.requireNonNull(start, "start");
        this.setUp = Objects.requireNonNull(setUp, "setUp");
    }

    /** A server made by {@code start}. */
    public static <S extends AutoCloseable> ServerExtension<S> of(Supplier<S> start) {
        return new ServerExtension<>(start, s -> {});
    }

    /** A server made by {@code start}, then prepared by {@code setUp} (buckets, users) before the tests. */
    public static <S extends AutoCloseable> ServerExtension<S> of(Supplier<S> start, Consumer<S> setUp) {
        return new ServerExtension<>(start, setUp);
    }

    /**
     * The running server.
     *
     * @throws IllegalStateException outside the class's tests (before it started, after it stopped)
     */
    public S get() {
        S s = server;
        if (s == null) {
            throw new IllegalStateException("The test server is not running: register the ServerExtension on a"
                    + " static field and use it from the class's tests.");
        }
        return s;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        // called again for the @Nested classes of the test class (they see the static field too): one
        // server serves them all, stopped after the last
        if (users++ > 0) {
            return;
        }
        S s = start.get();
        server = s;
        setUp.accept(s);
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws Exception {
        if (--users > 0) {
            return;
        }
        S s = server;
        server = null;
        if (s != null) {
            s.close();
        }
    }
}
