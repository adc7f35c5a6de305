package io.kbackup.testkit.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A CSI driver process for tests with the storage model of the Kubernetes project's
 * csi-driver-host-path: a volume is a folder {@code <stateDir>/<volume handle>/}, a snapshot is a
 * gzipped tarball {@code <stateDir>/<snapshot handle>.snap} of that folder, and a volume created
 * from a snapshot is the tarball unpacked into a new folder. Tests write bytes straight into a
 * volume's folder and compare the folder of the volume restored from a snapshot; nothing is
 * mounted, no kubelet is needed.
 *
 * <p>The binary {@value #BINARY} is kbackup's own small driver ({@code .ci/servers/csi-hostpath/},
 * built by {@code .ci/servers/build.sh csi}): the module proxy does not serve
 * {@code github.com/kubernetes-csi/csi-driver-host-path}. It serves the CSI identity and controller
 * services (volumes, also from a snapshot or a volume; snapshots, listed by id) on a unix socket,
 * for the real external-provisioner and external-snapshotter ({@link CsiServers}). One driver can
 * serve several clusters: each cluster's sidecars connect to the same {@link #socket()}, so a
 * snapshot cut in cluster A can be restored in cluster B, as with storage shared by two clusters.
 *
 * <pre>{@code
 * try (CsiHostPathDriver driver = CsiHostPathDriver.start();
 *      CsiServers csi = CsiServers.start(cluster, driver)) { ... }
 * }</pre>
 */
public final class CsiHostPathDriver implements AutoCloseable {

    /** The driver's binary name in {@link TestServers#binDir()}. */
    public static final String BINARY = "csi-hostpath";

    /** The CSI driver name it registers by default, csi-driver-host-path's. */
    public static final String DEFAULT_NAME = "hostpath.csi.k8s.io";

    private final ServerProcess process;
    private final String name;
    private final Path socket;
    private final Path stateDir;

    private CsiHostPathDriver(ServerProcess process, String name, Path socket, Path stateDir) {
        this.process = process;
        this.name = name;
        this.socket = socket;
        this.stateDir = stateDir;
    }

    /** Starts a driver named {@value #DEFAULT_NAME}. */
    public static CsiHostPathDriver start() {
        return start(DEFAULT_NAME);
    }

    /**
     * Starts a driver registering as {@code driverName}, with an empty state folder, and waits until
     * its socket is there.
     */
    public static CsiHostPathDriver start(String driverName) {
        Objects.requireNonNull(driverName, "driverName");
        Path binary = TestServers.require(BINARY);
        Path work;
        try {
            // unix socket paths are short (108 bytes): a folder of its own directly under the temp folder
            work = Files.createTempDirectory("kbackup-csi");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path socket = work.resolve("csi.sock");
        Path state = work.resolve("state");
        return ServerProcess.builder("csi-hostpath", binary)
                .work(work)
                .args("--endpoint", "unix://" + socket, "--nodeid", "kbackup-node", "--statedir", state.toString(),
                        "--drivername", driverName)
                .start(process -> {
                    process.awaitCondition("create its socket " + socket, Duration.ofSeconds(30), () -> Files.exists(socket));
                    return new CsiHostPathDriver(process, driverName, socket, state);
                });
    }

    /** The CSI driver name (the {@code provisioner} of its StorageClass, the {@code driver} of its snapshot classes). */
    public String driverName() {
        return name;
    }

    /** The driver's unix socket, for the sidecars' {@code --csi-address}. */
    public Path socket() {
        return socket;
    }

    /** The folder holding the volumes' folders, the snapshots' tarballs and {@code state.json}. */
    public Path stateDir() {
        return stateDir;
    }

    /** The folder of the volume with this handle ({@code spec.csi.volumeHandle} of its PersistentVolume). */
    public Path volumeFolder(String volumeHandle) {
        return stateDir.resolve(requireHandle(volumeHandle));
    }

    /** The tarball of the snapshot with this handle ({@code status.snapshotHandle} of its VolumeSnapshotContent). */
    public Path snapshotFile(String snapshotHandle) {
        return stateDir.resolve(requireHandle(snapshotHandle) + ".snap");
    }

    /** The handles of the snapshots the driver holds now (its {@code .snap} tarballs), sorted. */
    public List<String> snapshotHandles() {
        try (Stream<Path> files = Files.list(stateDir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".snap"))
                    .map(n -> n.substring(0, n.length() - ".snap".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes sample data into a volume folder: a file of random bytes (from {@code seed}, a few MiB,
     * in a sub-folder) and a small text file.
     *
     * @return {@link #digests} of what was written, to compare a restored volume with
     */
    public static Map<String, String> writeSample(Path volume, long seed) {
        byte[] blob = new byte[3 * 1024 * 1024 + 17];
        new Random(seed).nextBytes(blob);
        try {
            Files.createDirectories(volume.resolve("db"));
            Files.write(volume.resolve("db/blob.bin"), blob);
            Files.writeString(volume.resolve("README.txt"), "volume data " + seed + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return digests(volume);
    }

    /** Every regular file under a volume folder (path relative to it, with {@code /}) and the SHA-256 of its bytes, sorted. */
    public static Map<String, String> digests(Path volume) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(volume)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                String rel = volume.relativize(p).toString().replace(java.io.File.separatorChar, '/');
                out.put(rel, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static String requireHandle(String handle) {
        if (handle == null || handle.isEmpty() || handle.contains("/") || handle.startsWith(".")) {
            throw new IllegalArgumentException("not a handle of this driver: " + handle);
        }
        return handle;
    }

    /** The driver's log (one line per CSI call it served). */
    public Path log() {
        return process.log();
    }

    /** The last lines of the driver's log. */
    public String tail(int lines) {
        return process.tail(lines);
    }

    /** Stops the driver and deletes its state folder with every volume and snapshot. */
    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "CsiHostPathDriver[" + name + ", " + socket + "]";
    }
}
