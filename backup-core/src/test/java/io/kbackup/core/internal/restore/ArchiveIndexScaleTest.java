package io.kbackup.core.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.BackupLocation;
import io.kbackup.RestorePlan;
import io.kbackup.core.internal.layout.ArchiveOutput;
import io.kbackup.core.internal.layout.ArchiveReader;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check pass at scale: items cost a compact index entry, their JSON goes to the spool file on
 * disk. (What that costs in heap is measured by the benchmark harness, {@code examples/bench.sh}
 * restore, "peak after GC", not asserted here: a heap reading after {@code System.gc()} depends on
 * the collector and on what else the JVM holds.)
 */
class ArchiveIndexScaleTest {
    private static final int ITEMS = 30_000;

    @TempDir
    static Path dir;
    private static Path tarball;
    private static RestoreSelection selection;
    private static ArchiveIndex index;

    @BeforeAll
    static void writeAndIndexArchive() throws Exception {
        tarball = dir.resolve("big.tar.gz");
        String filler = "x".repeat(400);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tarball))) {
            ArchiveOutput archive = new ArchiveOutput(out, Instant.parse("2026-11-21T00:00:00Z"));
            for (int i = 0; i < ITEMS; i++) {
                String ns = "ns-" + (i % 100);
                String name = "cm-" + i;
                archive.addItem("configmaps", "v1", ns, name, ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                        + "\",\"namespace\":\"" + ns + "\",\"uid\":\"" + i + "\",\"labels\":{\"app\":\"a" + (i % 7) + "\"}},\"data\":{\"v\":\""
                        + filler + "\"}}").getBytes(StandardCharsets.UTF_8));
            }
            archive.finish();
        }
        selection = new RestoreSelection(RestorePlan.builder().location(BackupLocation.localFolder(dir).build()).backupName("big").build());
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tarball))) {
            index = ArchiveIndex.build(in, "big", new ArchiveReader.Limits(1 << 20, 1L << 32), null, dir, selection, n -> { });
        }
    }

    @AfterAll
    static void closeIndex() {
        if (index != null) {
            index.close();
        }
    }

    @Test
    void everyItemIsIndexedAndReadBackFromTheSpool() {
        assertThat(index.items()).hasSize(ITEMS);
        IndexedItem last = index.items().get(ITEMS - 1);
        assertThat(index.read(last).path("metadata").path("uid").asText()).isEqualTo(String.valueOf(ITEMS - 1));
    }

    @Test
    void selectionAndOrderTakeEveryItemOfALargeArchive() {
        assertThat(selection.decide(index.items())).hasSize(100); // the namespaces, which the archive has no objects for
        assertThat(RestoreOrder.tiers(index.items())).singleElement().satisfies(t -> assertThat(t.items()).hasSize(ITEMS));
    }
}
