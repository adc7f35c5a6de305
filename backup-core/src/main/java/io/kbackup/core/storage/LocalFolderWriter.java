package io.kbackup.core.storage;

import io.kbackup.StorageException;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * An upload to the local folder: bytes go to a temporary file next to the target (hidden from
 * listings), which commit forces to disk and renames into place with an atomic move. A crash
 * leaves at worst that temporary file, which {@link LocalFolderStorageProvider#sweepIncompleteUploads}
 * removes. Not thread-safe.
 */
final class LocalFolderWriter extends BlobWriter {
    private static final int BUFFER = 64 * 1024;
    private static final int MOVE_ATTEMPTS = 5;

    private final Path root;
    private final String key;
    private final Path target;
    private final Path tmp;
    private final FileChannel channel;
    private final OutputStream out;
    private boolean committed;
    private boolean aborted;

    private LocalFolderWriter(Path root, String key, Path target, Path tmp, FileChannel channel) {
        this.root = root;
        this.key = key;
        this.target = target;
        this.tmp = tmp;
        this.channel = channel;
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
    }

    /** Opens a writer of {@code key} (already checked) whose file is {@code target}, under {@code root}. */
    static LocalFolderWriter open(Path root, String key, Path target) {
        try {
            Path tmp = createTemp(root, target.getParent());
            return new LocalFolderWriter(root, key, target, tmp, FileChannel.open(tmp, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw LocalFiles.failure(root, "open a writer for", key, e);
        }
    }

    /** A new empty temporary file in {@code dir}, created with the folders above it. */
    static Path createTemp(Path root, Path dir) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                Files.createDirectories(dir);
                return Files.createFile(LocalKeys.tempFile(dir));
            } catch (NoSuchFileException e) {
                // a concurrent delete removed the (then empty) folder between the two calls
                if (attempt >= MOVE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        out.flush();
    }

    /** Throws a {@link StorageException} (not an {@link IOException}) when the file cannot be put in place. */
    @Override
    public BlobInfo commit() throws IOException {
        ensureOpen();
        BlobInfo stored;
        try {
            out.flush();
            channel.force(true);
            channel.close();
            stored = LocalFiles.info(key, Files.readAttributes(tmp, BasicFileAttributes.class));
            moveIntoPlace();
        } catch (IOException e) {
            abort();
            throw LocalFiles.failure(root, "commit", key, e);
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
        committed = true;
        return stored;
    }

    private void moveIntoPlace() throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "a folder or file is in the way of key '" + key + "'");
        }
    }

    @Override
    public void abort() throws IOException {
        if (committed || aborted) {
            return;
        }
        aborted = true;
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(tmp);
            LocalFiles.removeEmptyParents(root, tmp.getParent());
        }
    }

    @Override
    public boolean committed() {
        return committed;
    }

    private void ensureOpen() throws IOException {
        if (committed || aborted) {
            throw new IOException("Writer for '" + key + "' is already " + (committed ? "committed" : "aborted") + ".");
        }
    }
}
