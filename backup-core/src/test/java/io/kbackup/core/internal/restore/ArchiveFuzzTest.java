package io.kbackup.core.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.kbackup.CorruptBackupException;
import io.kbackup.core.internal.layout.ArchiveReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random, seeded mutations of a genuine archive, of its compressed bytes and of its tar (then
 * compressed again, so that they get past gzip's CRC): each is refused with a
 * {@link CorruptBackupException} or read to exactly the original items, never anything in
 * between, and the spool never grows beyond what the limits allow for the archive's size. A
 * failing case names its seed; rerun it with {@code -Dkbackup.fuzz.seed=<seed>}.
 */
class ArchiveFuzzTest {
    private static final int CASES = Integer.getInteger("kbackup.fuzz.cases", 400);
    private static final ArchiveReader.Limits LIMITS = new ArchiveReader.Limits(64 * 1024, 32 * 1024, 16L << 20, 50);

    @TempDir
    Path spoolDir;

    private static byte[] genuineTar() {
        return TestArchive.velero()
                .item("namespaces", null, "shop", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}")
                .item("configmaps", "shop", "cfg", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\","
                        + "\"namespace\":\"shop\",\"labels\":{\"app\":\"web\"}},\"data\":{\"a\":\"1\",\"b\":\"two\"}}")
                .item("secrets", "shop", "pw", "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"pw\","
                        + "\"namespace\":\"shop\"},\"type\":\"Opaque\",\"data\":{\"password\":\"aHVudGVyMg==\"}}")
                .item("deployments.apps", "shop", "web", "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":"
                        + "{\"name\":\"web\",\"namespace\":\"shop\"},\"spec\":{\"replicas\":2,\"template\":{\"spec\":"
                        + "{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:1.27\"}]}}}}")
                .item("clusterroles.rbac.authorization.k8s.io", null, "reader", "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\","
                        + "\"kind\":\"ClusterRole\",\"metadata\":{\"name\":\"reader\"},\"rules\":[{\"verbs\":[\"get\"],"
                        + "\"resources\":[\"pods\"],\"apiGroups\":[\"\"]}]}")
                .tarBytes(true);
    }

    @Test
    void everyMutationIsRefusedOrReadsTheOriginal() throws Exception {
        byte[] tar = genuineTar();
        byte[] archive = TestArchive.gzip(tar);
        List<String> original = read(archive, -1);
        assertThat(original).hasSize(5);
        Long only = Long.getLong("kbackup.fuzz.seed");
        int refused = 0;
        int identical = 0;
        for (long seed = only != null ? only : 0; seed < (only != null ? only + 1 : CASES); seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            byte[] mutated = seed % 2 == 0 ? mutate(archive, random) : TestArchive.gzip(mutate(tar, random));
            List<String> items;
            try {
                items = read(mutated, seed);
            } catch (CorruptBackupException e) {
                assertThat(e.getMessage()).as("seed %d", seed).contains("Nothing was restored").doesNotContain("null")
                        .doesNotContain("aHVudGVyMg");
                refused++;
                continue;
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("seed " + seed + ": neither refused nor read: " + e, e);
            }
            assertThat(items).as("seed %d: read, so it must read exactly the original", seed).isEqualTo(original);
            identical++;
        }
        if (only == null) {
            assertThat(refused).as("refused").isGreaterThan(CASES / 2);
            assertThat(identical).as("read as the original (harmless mutations)").isPositive();
        }
    }

    /** The items (where and compact JSON) the index holds; checks the spool's size on every item. */
    private List<String> read(byte[] archive, long seed) {
        AtomicLong compressed = new AtomicLong();
        long bound = Math.min(LIMITS.maxArchiveBytes(), ArchiveReader.Limits.EXPANSION_ALLOWANCE + LIMITS.maxExpansion() * (long) archive.length);
        try (ArchiveIndex index = ArchiveIndex.build(new ByteArrayInputStream(archive), "fuzz", LIMITS, null, spoolDir,
                (item, object) -> {
                    long spool = spoolSize();
                    if (spool > bound) {
                        fail("seed %d: the spool is %d bytes, more than the %d the limits allow", seed, spool, bound);
                    }
                }, compressed::addAndGet)) {
            assertThat(compressed.get()).isLessThanOrEqualTo(archive.length);
            List<String> out = new ArrayList<>();
            for (IndexedItem item : index.items()) {
                out.add(item.describe() + " " + item.apiVersion + " " + item.kind + " " + index.read(item));
            }
            return out;
        }
    }

    private long spoolSize() {
        try (Stream<Path> files = Files.list(spoolDir)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One to three mutations: flip bits, overwrite, insert, delete, duplicate a range, truncate, zero a block. */
    static byte[] mutate(byte[] in, SplittableRandom r) {
        byte[] b = in.clone();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n && b.length > 1; i++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) r.nextInt(256);
                case 2 -> {
                    byte[] extra = new byte[1 + r.nextInt(16)];
                    for (int k = 0; k < extra.length; k++) {
                        extra[k] = (byte) r.nextInt(256);
                    }
                    b = splice(b, at, 0, extra);
                }
                case 3 -> b = splice(b, at, Math.min(b.length - at, 1 + r.nextInt(64)), new byte[0]);
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(1024));
                    b = splice(b, r.nextInt(b.length), 0, Arrays.copyOfRange(b, at, at + len));
                }
                case 5 -> b = Arrays.copyOf(b, at);
                default -> Arrays.fill(b, at - at % 512, Math.min(b.length, at - at % 512 + 512), (byte) 0);
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 0, at);
        out.writeBytes(insert);
        out.write(b, at + remove, b.length - at - remove);
        return out.toByteArray();
    }
}
