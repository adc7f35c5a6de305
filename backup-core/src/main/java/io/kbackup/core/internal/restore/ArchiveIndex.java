package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.CorruptBackupException;
import io.kbackup.core.internal.layout.ArchiveReader;
import io.kbackup.core.internal.layout.EntryPath;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The first pass of a restore: the archive is read and checked once by {@link ArchiveReader}
 * (checksum, gzip and tar, entry names, limits, strict JSON, format version) before anything is
 * applied. The verified JSON of each classic-path item (the copy the restore applies), compact, is appended
 * to a spool file on local disk and only a compact {@link IndexedItem} (names, offset, length)
 * stays in memory: applying re-reads the exact bytes that were checked, never the bucket again, so
 * the archive cannot change between the check and the apply, and memory stays bounded (roughly 150
 * bytes per item, 15 MB for 100k items, plus one entry at a time). The spool is deleted by
 * {@link #close()}.
 */
final class ArchiveIndex implements AutoCloseable {

    /** Sees each classic-path item once, in archive order, with its parsed JSON (not to be kept). */
    interface Observer {
        void observe(IndexedItem item, ObjectNode object);
    }

    private final List<IndexedItem> items;
    private final Path spool;
    private final FileChannel channel;
    private final ArchiveReader.Summary summary;
    private final boolean manifestChecked;

    private ArchiveIndex(List<IndexedItem> items, Path spool, FileChannel channel, ArchiveReader.Summary summary, boolean manifestChecked) {
        this.items = items;
        this.spool = spool;
        this.channel = channel;
        this.summary = summary;
        this.manifestChecked = manifestChecked;
    }

    /** As the full {@code build}, for a plain (not encrypted) archive. */
    static ArchiveIndex build(InputStream raw, String backupName, ArchiveReader.Limits limits, ArchiveReader.Expected expected,
            Path spoolDir, Observer observer, LongConsumer bytesRead) {
        return build(raw, backupName, limits, expected, null, spoolDir, observer, bytesRead);
    }

    /**
     * Reads and checks the whole archive.
     *
     * @param raw        the compressed tarball as stored (closed by the caller)
     * @param backupName for messages and the exception
     * @param expected   the manifest's checksum and size, or null when the backup has no manifest
     * @param decryption decrypts an encrypted backup's stored bytes, or null
     * @param spoolDir   where the spool file goes
     * @param observer   called for every classic-path item
     * @param bytesRead  told of every compressed byte read (progress)
     * @throws CorruptBackupException when any check fails (the spool is then deleted)
     * @throws StorageException       when reading the archive from storage fails (retryable)
     * @throws UncheckedIOException   when the local disk fails (not the archive's fault)
     */
    static ArchiveIndex build(InputStream raw, String backupName, ArchiveReader.Limits limits, ArchiveReader.Expected expected,
            ArchiveReader.Decryption decryption, Path spoolDir, Observer observer, LongConsumer bytesRead) {
        Path spool;
        FileChannel channel;
        try {
            spool = Files.createTempFile(spoolDir, "kbackup-restore-", ".spool");
            channel = FileChannel.open(spool, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the restore spool file in " + spoolDir + ": " + e.getMessage(), e);
        }
        Spooler spooler = new Spooler(channel, observer);
        try {
            ArchiveReader.Summary summary = ArchiveReader.read(raw, backupName, limits, expected, decryption, spooler, bytesRead);
            return new ArchiveIndex(Collections.unmodifiableList(spooler.items), spool, channel, summary, expected != null);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("could not write the restore spool file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The classic-path items, in archive order. */
    List<IndexedItem> items() {
        return items;
    }

    /** Content of {@code metadata/version} (trimmed), or null when the archive has none. */
    String formatVersion() {
        return summary.formatVersion();
    }

    /** Whether the archive was checked against an integrity manifest (false: the backup has none). */
    boolean manifestChecked() {
        return manifestChecked;
    }

    /** Bytes written to the spool file (the items' compact JSON). */
    long spoolBytes() {
        return items.isEmpty() ? 0 : items.get(items.size() - 1).offset + items.get(items.size() - 1).length;
    }

    /** SHA-256 of the compressed archive, lower-case hex. */
    String sha256() {
        return summary.sha256();
    }

    /** Size of the compressed archive. */
    long compressedBytes() {
        return summary.compressedBytes();
    }

    /** The verified JSON of an item, from the spool. Safe to call from several threads at once. */
    ObjectNode read(IndexedItem item) {
        ByteBuffer buf = ByteBuffer.allocate(item.length);
        try {
            long pos = item.offset;
            while (buf.hasRemaining()) {
                int n = channel.read(buf, pos + buf.position());
                if (n < 0) {
                    throw new EOFException("restore spool file is truncated");
                }
            }
            return (ObjectNode) RestoreJson.MAPPER.readTree(buf.array());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + item.describe() + " from the restore spool " + spool + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
        try {
            Files.deleteIfExists(spool);
        } catch (IOException ignored) {
            // DELETE_ON_CLOSE already removed it on most systems
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** Appends each checked item to the spool and keeps its compact index entry. */
    private static final class Spooler implements ArchiveReader.ItemSink {
        private final FileChannel channel;
        private final Observer observer;
        private final List<IndexedItem> items = new ArrayList<>();
        private final Map<String, String> interned = new HashMap<>();
        private long spoolOffset;

        Spooler(FileChannel channel, Observer observer) {
            this.channel = channel;
            this.observer = observer;
        }

        @Override
        public void item(EntryPath path, byte[] json, ObjectNode object) throws IOException {
            String ns = path.namespace() == null ? null : intern(path.namespace());
            IndexedItem item = new IndexedItem(intern(path.groupResource()), ns, path.name(), intern(object.path("apiVersion").asText()),
                    intern(object.path("kind").asText()), spoolOffset, json.length);
            ByteBuffer buf = ByteBuffer.wrap(json);
            while (buf.hasRemaining()) {
                channel.write(buf, spoolOffset + buf.position());
            }
            spoolOffset += json.length;
            items.add(item);
            observer.observe(item, object);
        }

        private String intern(String s) {
            return interned.computeIfAbsent(s, k -> k);
        }
    }
}
