package io.kbackup.core.internal.catalog;

import io.kbackup.BackupLocation;
import io.kbackup.CorruptBackupException;
import io.kbackup.NotFoundException;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.ResultMessage;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.RestoreRecord;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists and describes the restores kept in a location ({@code restores/<name>/}), for both engines.
 * A restore this SDK ran (or runs) has our record ({@link RestoreRecord}); one Velero ran has only
 * Velero's files, from which its outcome is read: the item counts from the resource list, the
 * messages from the results (both streamed), the phase implied by them ({@code PartiallyFailed}
 * when there are errors or failed items, else {@code Completed}: Velero stores the files only when
 * a restore ends), the end time from the files' dates, the backup from the log's first lines.
 * Thread-safe.
 */
public final class RestoreCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreCatalog.class);
    /** Messages of each kind kept in a {@link RestoreInfo} read from Velero's files. */
    static final int MAX_MESSAGES = 200;
    /** The backup a restore's log names: ours ("Starting restore r of backup b"), Velero's ("... backup velero/b"). */
    private static final Pattern BACKUP_IN_LOG = Pattern.compile("of backup (?:[-a-z0-9]+/)?([a-z0-9][-a-z0-9.]*[a-z0-9])");
    /** Lines of a log looked at for the backup's name. */
    private static final int LOG_LINES_FOR_BACKUP = 20;
    private static final Comparator<RestoreInfo> NEWEST_FIRST = Comparator
            .comparing((RestoreInfo r) -> r.started() != null ? r.started() : r.completed(),
                    Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
            .thenComparing(RestoreInfo::name, Comparator.reverseOrder());

    private final StorageProviders providers;
    private final Clock clock;

    public RestoreCatalog(StorageProviders providers, Clock clock) {
        this.providers = providers;
        this.clock = clock;
    }

    /** Every restore in the location, newest first; unreadable ones are skipped (logged). */
    public List<RestoreInfo> list(BackupLocation location) {
        BucketLayout layout = new BucketLayout(location);
        List<RestoreInfo> out = new ArrayList<>();
        try (StorageProvider storage = providers.open(location)) {
            for (String prefix : storage.listPrefixes(layout.restoresPrefix(), "/")) {
                String name = layout.restoreNameOf(prefix + "x");
                if (name == null || !OperationFiles.NAME.matcher(name).matches()) {
                    continue;
                }
                try {
                    RestoreInfo info = read(storage, layout, name);
                    if (info != null) {
                        out.add(info);
                    }
                } catch (CorruptBackupException e) {
                    LOG.warn("Skipping restores/{}/: {}", name, e.getMessage());
                }
            }
        }
        out.sort(NEWEST_FIRST);
        return out;
    }

    /**
     * One restore.
     *
     * @throws NotFoundException when there is nothing under {@code restores/<name>/}
     */
    public RestoreInfo describe(BackupLocation location, String name) {
        OperationFiles.checkName(name, "restore");
        BucketLayout layout = new BucketLayout(location);
        try (StorageProvider storage = providers.open(location)) {
            RestoreInfo info = read(storage, layout, name);
            if (info == null) {
                throw new NotFoundException(name, "No restore '" + name + "' in location '" + location.name() + "' (nothing under "
                        + layout.restoreDir(name) + "); listRestores shows the restores there.");
            }
            return info;
        }
    }

    /** Our record when there is one, else what Velero's files say; null when the folder is empty. */
    private RestoreInfo read(StorageProvider storage, BucketLayout layout, String name) {
        byte[] bytes;
        try {
            bytes = storage.getBytes(layout.restoreRecord(name));
        } catch (NotFoundException e) {
            return fromVeleroFiles(storage, layout, name);
        }
        RestoreRecord record = RestoreRecord.parse(name, bytes);
        RestoreInfo info = record.info();
        Instant beat = record.heartbeat();
        if (!info.phase().isTerminal() && beat != null && beat.plus(RunRecords.STALE_AFTER).isBefore(clock.instant())) {
            return info.toBuilder().phase(RestorePhase.FAILED).failureReason("the process that ran this restore stopped without"
                    + " finishing it (its record was last written at " + beat + "); items restored before that stay in the cluster")
                    .build();
        }
        return info;
    }

    private RestoreInfo fromVeleroFiles(StorageProvider storage, BucketLayout layout, String name) {
        Instant last = null;
        boolean any = false;
        try (Stream<BlobInfo> blobs = storage.listAll(layout.restoreDir(name))) {
            for (Iterator<BlobInfo> it = blobs.iterator(); it.hasNext(); ) {
                any = true;
                Instant at = it.next().lastModified();
                if (at != null && (last == null || at.isAfter(last))) {
                    last = at;
                }
            }
        }
        if (!any) {
            return null;
        }
        long[] counts = new long[5]; // created, updated, skipped, failed, total
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        long[] errorCount = {0};
        gz(storage, layout.restoreResourceList(name), in -> OperationFiles.resources(in, true, e -> {
            counts[4]++;
            switch (e.outcome() == null ? "" : e.outcome()) {
                case "created" -> counts[0]++;
                case "updated" -> counts[1]++;
                case "skipped" -> counts[2]++;
                case "failed" -> counts[3]++;
                default -> { }
            }
        }));
        gz(storage, layout.restoreResults(name), in -> OperationFiles.results(in, m -> {
            if (m.severity() == ResultMessage.Severity.ERROR) {
                errorCount[0]++;
                keep(errors, m);
            } else {
                keep(warnings, m);
            }
        }));
        String[] backup = {null};
        gz(storage, layout.restoreLogs(name), in -> {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (int i = 0; i < LOG_LINES_FOR_BACKUP && backup[0] == null; i++) {
                String line = r.readLine();
                if (line == null) {
                    break;
                }
                Matcher m = BACKUP_IN_LOG.matcher(line);
                if (m.find()) {
                    backup[0] = m.group(1);
                }
            }
        });
        RestorePhase phase = errorCount[0] > 0 || counts[3] > 0 ? RestorePhase.PARTIALLY_FAILED : RestorePhase.COMPLETED;
        return RestoreInfo.builder().name(name).backupName(backup[0]).phase(phase).completed(last)
                .itemsTotal(counts[4]).itemsRestored(counts[0] + counts[1]).created(counts[0]).updated(counts[1]).skipped(counts[2])
                .failed(counts[3]).errors(errors).warnings(warnings).build();
    }

    private static void keep(List<String> list, ResultMessage m) {
        if (list.size() < MAX_MESSAGES) {
            list.add(m.toString());
        }
    }

    private interface Body {
        void read(InputStream in) throws IOException;
    }

    /** Reads a gzipped file when it is there; a damaged one is logged and read as far as it goes. */
    private static void gz(StorageProvider storage, String key, Body body) {
        if (!storage.exists(key)) {
            return;
        }
        try (InputStream in = new GZIPInputStream(storage.get(key), 64 * 1024)) {
            body.read(in);
        } catch (IOException e) {
            LOG.warn("Could not read {}: {}", key, e.getMessage());
        }
    }
}
