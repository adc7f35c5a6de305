package io.kbackup.testkit.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the real test servers (kube-apiserver, etcd, kube-controller-manager, kubectl, MinIO,
 * fake-gcs-server, moto, Velero, the CSI pieces) are found, and what a test does when one is
 * missing.
 *
 * <p>The servers are built from the Go module proxy and PyPI by {@code .ci/servers/build.sh} in
 * the kbackup repository (about 22 minutes the first time on two cores, seconds afterwards) into
 * {@code ~/.cache/kbackup-test-servers/<name>-<version>/}, and linked from
 * {@code ~/.cache/kbackup-test-servers/bin/}. That {@code bin} folder is where they are looked
 * for; the system property {@code kbackup.testServers} or the environment variable
 * {@code KBACKUP_TEST_SERVERS} names another one.
 *
 * <p>A missing binary skips the test with one line saying how to build it, except under
 * {@code CI=true}, where it fails the test instead: CI must never go green on skipped real-server
 * tests.
 */
public final class TestServers {

    /** The command that builds every server binary into the cache. */
    public static final String BUILD_HINT = "build them with `bash .ci/servers/build.sh` from the kbackup repository"
            + " (needs Go 1.26 and Python 3; the first build takes about 22 minutes on two cores, later ones a second)";

    private TestServers() {
    }

    /** The folder the server binaries are looked up in. */
    public static Path binDir() {
        String configured = System.getProperty("kbackup.testServers");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("KBACKUP_TEST_SERVERS");
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "kbackup-test-servers", "bin");
    }

    /** True when the tests run under CI ({@code CI=true}), where a missing server is a failure. */
    public static boolean underCi() {
        String ci = System.getenv("CI");
        return ci != null && (ci.equalsIgnoreCase("true") || ci.equals("1"));
    }

    /**
     * The absolute path of an executable server binary, or, when it is missing, a skipped test
     * ({@code Assumptions}) or under {@code CI=true} a failed one.
     *
     * @param name the binary's file name in {@link #binDir()}, e.g. {@code kube-apiserver}
     * @return the binary's real path (links resolved), executable
     */
    public static Path require(String name) {
        Path bin = binDir().resolve(name);
        if (Files.isExecutable(bin)) {
            try {
                return bin.toRealPath();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String message = "real-server test needs " + name + ", not found in " + binDir() + ": " + BUILD_HINT;
        if (underCi()) {
            Assertions.fail(message + " (CI=true: a missing server fails instead of skipping)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** True when every named binary is present and executable (no skip, no failure). */
    public static boolean available(String... names) {
        for (String name : names) {
            if (!Files.isExecutable(binDir().resolve(name))) {
                return false;
            }
        }
        return true;
    }

    /** A free TCP port on 127.0.0.1 (free at the time of the call). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** A lower-case name safe for file names, from a label. */
    static String fileSafe(String label) {
        return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-");
    }

    /**
     * Closes each resource that is not null, in the order given (servers, clusters, clients in
     * {@code @AfterAll}); one that throws does not keep the others open. The first failure is then
     * thrown (unchecked), the others added to it as suppressed.
     */
    public static void closeAll(AutoCloseable... resources) {
        RuntimeException failure = null;
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException re ? re : new IllegalStateException("could not close " + r, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
