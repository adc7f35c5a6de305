package io.kbackup.core.internal.restore;

import io.kbackup.core.internal.layout.ArchiveReader;
import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.BackupLocation;
import io.kbackup.RestorePlan;
import io.kbackup.core.internal.layout.ArchiveOutput;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check pass keeps memory bounded: items cost a compact index entry in memory, their JSON stays in the spool file on disk. */
class ArchiveIndexScaleTest {
    /** Enough items to see the per-item cost (about 130 bytes measured; 100k items: about 13 MB). */
    private static final int ITEMS = 30_000;

    @TempDir
    Path dir;

    @Test
    void keepsAboutOneHundredBytesPerItemInMemory() throws Exception {
        Path tarball = dir.resolve("big.tar.gz");
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
        long before = usedHeap();
        RestoreSelection selection = new RestoreSelection(RestorePlan.builder().location(BackupLocation.localFolder(dir).build())
                .backupName("big").build());
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tarball));
                ArchiveIndex index = ArchiveIndex.build(in, "big", new ArchiveReader.Limits(1 << 20, 1L << 32), null, dir, selection, n -> { })) {
            List<IndexedItem> synthetic = selection.decide(index.items());
            List<RestoreOrder.Tier> tiers = RestoreOrder.tiers(index.items());
            long retained = usedHeap() - before;

            assertThat(index.items()).hasSize(ITEMS);
            assertThat(synthetic).hasSize(100); // the namespaces, which the archive has no objects for
            assertThat(tiers).singleElement().satisfies(t -> assertThat(t.items()).hasSize(ITEMS));
            // each item's JSON is ~560 bytes: holding them would cost 3x more than this bound
            assertThat(retained).as("heap kept for %d items", ITEMS).isLessThan(ITEMS * 400L);
            IndexedItem last = index.items().get(ITEMS - 1);
            assertThat(index.read(last).path("metadata").path("uid").asText()).isEqualTo(String.valueOf(ITEMS - 1));
        }
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
