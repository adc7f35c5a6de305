package io.kbackup;

/**
 * Progress of a running backup or restore.
 *
 * @param itemsTotal items known so far (for a backup: listed, and one for each list that failed, so that a
 *                   backup missing a list never reads complete; for a restore: in the archive after filters)
 * @param itemsDone  items finished (written to the archive / restored)
 * @param bytes      bytes written to storage (backup) or read from it (restore)
 */
public record Progress(long itemsTotal, long itemsDone, long bytes) {
    /** Nothing done yet. */
    public static final Progress NONE = new Progress(0, 0, 0);
}
