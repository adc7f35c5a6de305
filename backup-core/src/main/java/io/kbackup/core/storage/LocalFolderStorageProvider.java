package io.kbackup.core.storage;

import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.StorageException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.ListPage;
import io.kbackup.spi.StorageProvider;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A {@link StorageProvider} on a folder of the local file system (provider id {@code local}): the
 * embedded default. Thread-safe.
 *
 * <p>The bucket is an absolute folder path, created when first written to (or validated). A key
 * {@code a/b/c.json} is the file {@code <folder>/a/b/c.json}. Keys are refused (with
 * {@link InvalidPlanException}) when they are empty, absolute, contain a backslash, an empty,
 * {@code .} or {@code ..} segment, or a name starting with {@value #TMP_DIR} (reserved for
 * uploads in progress).
 *
 * <p>A {@link BlobWriter} writes to a temporary file {@code .kbackup-tmp-<uuid>.part} next to its
 * target (listings never show it, and no folder of its own appears at the top of the location,
 * where Velero would take it for a foreign folder) and, on commit, forces it to disk and renames it
 * into place with an atomic move: a reader sees the old blob or the whole new one, and a crash never
 * leaves a half blob under its final name (at worst an orphan temporary file, which
 * {@link #sweepIncompleteUploads} removes). Concurrent commits to one key: the last rename wins.
 * {@link #createIfAbsent} links the finished temporary file to the key, which fails when the key
 * exists: exclusive across processes on one file system (also NFS), and never a half file.
 *
 * <p>Listings walk the folder tree in key (string) order; the continuation token is the last key
 * or common prefix returned. Folders left empty by {@link #delete} are removed.
 *
 * <p>A file system cannot hold a file and a folder under one name, so unlike an object store this
 * provider cannot store both {@code a} and {@code a/b}; the second write fails with a
 * {@link StorageException}. The Velero layout never does that.
 */
public final class LocalFolderStorageProvider implements StorageProvider {

    /** The provider id. */
    public static final String ID = "local";

    /**
     * Start of the names of uncommitted uploads' temporary files (and the folder at the root that
     * versions before 0.1 kept them in); hidden from listings, refused in keys.
     */
    public static final String TMP_DIR = ".kbackup-tmp";

    private final Path root;

    /**
     * A provider on {@code folder}.
     *
     * @throws InvalidPlanException when {@code folder} is not absolute
     */
    public LocalFolderStorageProvider(Path folder) {
        Objects.requireNonNull(folder, "folder");
        if (!folder.isAbsolute()) {
            throw new InvalidPlanException("Local folder '" + folder + "' is not an absolute path; give the full"
                    + " path, e.g. /var/backups/k8s.");
        }
        this.root = folder.normalize();
    }

    /** The folder this provider stores into. */
    public Path folder() {
        return root;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public BlobWriter openWriter(String key) {
        return LocalFolderWriter.open(root, key, path(key));
    }

    @Override
    public InputStream get(String key) {
        Path file = path(key);
        try {
            if (Files.isDirectory(file)) {
                throw notFound(key);
            }
            return Files.newInputStream(file);
        } catch (NoSuchFileException | FileNotFoundException | NotDirectoryException e) {
            throw notFound(key);
        } catch (IOException e) {
            throw LocalFiles.failure(root, "read", key, e);
        }
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0, were " + offset + " and " + length);
        }
        Path file = path(key);
        try {
            if (Files.isDirectory(file)) {
                throw notFound(key);
            }
            SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ);
            try {
                channel.position(Math.min(offset, channel.size()));
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return new LocalBoundedInputStream(Channels.newInputStream(channel), length);
        } catch (NoSuchFileException | FileNotFoundException | NotDirectoryException e) {
            throw notFound(key);
        } catch (IOException e) {
            throw LocalFiles.failure(root, "read", key, e);
        }
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        Path file = path(key);
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            return attrs.isRegularFile() ? Optional.of(LocalFiles.info(key, attrs)) : Optional.empty();
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw LocalFiles.failure(root, "read the size of", key, e);
        }
    }

    @Override
    public ListPage list(String prefix, String delimiter, String continuationToken, int pageSize) {
        Objects.requireNonNull(prefix, "prefix");
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be >= 1, was " + pageSize);
        }
        if (delimiter != null && delimiter.isEmpty()) {
            throw new IllegalArgumentException("delimiter must be null or non-empty");
        }
        LocalKeys.checkPrefix(prefix);
        LocalFolderLister lister = new LocalFolderLister(prefix, delimiter, continuationToken, pageSize);
        try {
            lister.walk(root, "");
        } catch (IOException e) {
            throw LocalFiles.failure(root, "list", prefix.isEmpty() ? "(all)" : prefix, e);
        }
        return new ListPage(lister.blobs, lister.prefixes, lister.more ? lister.last : null);
    }

    @Override
    public void delete(String key) {
        Path file = path(key);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(file)) {
                return;
            }
            Files.deleteIfExists(file);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return;
        } catch (IOException e) {
            throw LocalFiles.failure(root, "delete", key, e);
        }
        LocalFiles.removeEmptyParents(root, file.getParent());
    }

    @Override
    public ValidationResult validate() {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            return ValidationResult.failed(ValidationResult.Kind.INVALID_CONFIGURATION,
                    "Backup folder " + root + " exists but is a file, not a folder.",
                    "Point the location at a folder, or move the file away.");
        }
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            return ValidationResult.failed(ValidationResult.Kind.BUCKET_MISSING,
                    "Backup folder " + root + " does not exist and could not be created: " + LocalFiles.describe(e),
                    "Create the folder, or choose a path whose parent exists and is writable by user '"
                            + System.getProperty("user.name") + "'.");
        }
        try {
            Files.delete(LocalFolderWriter.createTemp(root, root));
        } catch (IOException e) {
            return ValidationResult.failed(ValidationResult.Kind.ACCESS_DENIED,
                    "Backup folder " + root + " is not writable: " + LocalFiles.describe(e),
                    "Give user '" + System.getProperty("user.name") + "' write permission on the folder"
                            + " (and free disk space), or choose another folder.");
        }
        return ValidationResult.ok();
    }

    /**
     * Writes {@code data} to a temporary file beside the key's file, then makes it the key's file
     * with a hard link, which the file system refuses when the name exists. Where hard links are
     * not supported, the file is created with {@code CREATE_NEW} and written in place (exclusive
     * too, but a reader may see it while it is being written).
     */
    @Override
    public boolean createIfAbsent(String key, byte[] data) {
        Path target = path(key);
        Path tmp = null;
        try {
            tmp = LocalFolderWriter.createTemp(root, target.getParent());
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(data));
                channel.force(true);
            }
            try {
                Files.createLink(target, tmp);
                return true;
            } catch (UnsupportedOperationException e) {
                return createInPlace(target, data);
            }
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(target)) {
                throw LocalFiles.failure(root, "create", key, e);
            }
            return false;
        } catch (IOException e) {
            throw LocalFiles.failure(root, "create", key, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // the sweep removes it
                }
                LocalFiles.removeEmptyParents(root, tmp.getParent());
            }
        }
    }

    private static boolean createInPlace(Path target, byte[] data) throws IOException {
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(data));
            channel.force(true);
            return true;
        }
    }

    /**
     * Deletes the temporary files under {@code prefix} last written before {@code startedBefore},
     * with what older versions left in the folder {@value #TMP_DIR} at the root when the prefix
     * covers it; removes that folder when it is empty, and the folders the deletes leave empty.
     */
    @Override
    public int sweepIncompleteUploads(String prefix, Instant startedBefore) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(startedBefore, "startedBefore");
        LocalKeys.checkPrefix(prefix);
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        Path legacy = root.resolve(TMP_DIR);
        List<Path> old = new ArrayList<>();
        try (Stream<Path> s = Files.walk(start)) {
            s.filter(p -> LocalKeys.isTemp(p.getFileName().toString()) || p.startsWith(legacy))
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> root.relativize(p).toString().replace(File.separatorChar, '/').startsWith(prefix))
                    .filter(p -> modifiedBefore(p, startedBefore))
                    .forEach(old::add);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw LocalFiles.failure(root, "sweep", prefix.isEmpty() ? "(all)" : prefix, e);
        } catch (UncheckedIOException e) {
            throw LocalFiles.failure(root, "sweep", prefix.isEmpty() ? "(all)" : prefix, e.getCause());
        }
        int removed = 0;
        for (Path p : old) {
            try {
                if (Files.deleteIfExists(p)) {
                    removed++;
                }
            } catch (IOException e) {
                throw LocalFiles.failure(root, "sweep", root.relativize(p).toString(), e);
            }
            LocalFiles.removeEmptyParents(root, p.getParent());
        }
        LocalFiles.removeEmptyParents(root, legacy);
        return removed;
    }

    private static boolean modifiedBefore(Path p, Instant t) {
        try {
            return Files.getLastModifiedTime(p).toInstant().isBefore(t);
        } catch (IOException e) {
            return false; // gone meanwhile
        }
    }

    @Override
    public String toString() {
        return "LocalFolderStorageProvider[" + root + "]";
    }

    /** The file of {@code key}, after checking the key cannot escape the folder. */
    private Path path(String key) {
        LocalKeys.checkKey(key);
        return root.resolve(key);
    }

    private static NotFoundException notFound(String key) {
        return new NotFoundException(key, "No blob '" + key + "' in the backup folder. Check the key, or list"
                + " the folder to see what is there.");
    }
}
