package io.kbackup.core.internal.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.NotFoundException;
import io.kbackup.Progress;
import io.kbackup.core.internal.layout.BackupDocument;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.GzipJson;
import io.kbackup.spi.StorageProvider;
import java.io.IOException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of a running backup, {@code backups/<name>/kbackup-progress.json}: the Backup document
 * the backup will end with, in phase {@code InProgress}, with its progress so far and an
 * annotation {@value #HEARTBEAT} saying when the running process last wrote it. Velero's sync never
 * reads it (it reads only {@code velero-backup.json}, written last), so a running backup neither
 * shows up in Velero early nor makes the location Unavailable.
 */
public final class BackupProgress {
    private static final Logger LOG = LoggerFactory.getLogger(BackupProgress.class);
    /** Annotation: when the record was last written by the process that runs the backup. */
    public static final String HEARTBEAT = "kbackup.io/progress-heartbeat";

    private BackupProgress() {}

    /** The record of a backup running now. */
    public static byte[] record(String name, BackupPlan plan, Instant start, BackupPhase phase, Progress progress, Instant now) {
        ObjectNode doc = BackupDocument.document(name, plan, start, new BackupDocument.Status(phase, start, null,
                start.plus(plan.expiry()), progress.itemsTotal(), progress.itemsDone(), 0, 0, null, 0, 0));
        BackupDocument.annotations(doc).put(HEARTBEAT, BackupDocument.timestamp(now));
        return BackupDocument.toBytes(doc);
    }

    /**
     * The running backup {@code name} as its record tells, or null when there is no readable record.
     * A record whose heartbeat is older than {@link RunRecords#STALE_AFTER} reads as {@code Failed}:
     * the process that ran the backup stopped without finishing it (as Velero marks backups it finds
     * {@code InProgress} when its server starts).
     */
    static BackupInfo read(StorageProvider storage, BucketLayout layout, String name, Instant now) {
        byte[] bytes;
        try {
            bytes = storage.getBytes(layout.progress(name));
        } catch (NotFoundException e) {
            return null;
        }
        try {
            JsonNode doc = GzipJson.MAPPER.readTree(bytes);
            BackupInfo info = BackupDocument.toInfo(doc);
            if (!name.equals(info.name())) {
                return null;
            }
            Instant heartbeat = heartbeat(doc, info);
            if (!info.phase().isTerminal() && heartbeat != null && heartbeat.plus(RunRecords.STALE_AFTER).isBefore(now)) {
                return info.toBuilder().phase(BackupPhase.FAILED).failureReason("the process that ran this backup stopped"
                        + " without finishing it (its progress record was last written at " + heartbeat + "); delete it and back up again")
                        .build();
            }
            return info;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Skipping the progress record of backups/{}/: {}", name, e.getMessage());
            return null;
        }
    }

    /**
     * When the running backup {@code name}'s record was last written by its process, or null when
     * it has no readable record.
     */
    static Instant lastHeartbeat(StorageProvider storage, BucketLayout layout, String name) {
        try {
            JsonNode doc = GzipJson.MAPPER.readTree(storage.getBytes(layout.progress(name)));
            return heartbeat(doc, BackupDocument.toInfo(doc));
        } catch (NotFoundException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.debug("Unreadable progress record of backups/{}/: {}", name, e.toString());
            return null;
        }
    }

    private static Instant heartbeat(JsonNode doc, BackupInfo info) {
        String beat = doc.path("metadata").path("annotations").path(HEARTBEAT).asText("");
        return beat.isEmpty() ? info.started() : BackupDocument.parseTime(beat);
    }
}
