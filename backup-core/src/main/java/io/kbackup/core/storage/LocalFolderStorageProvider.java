package io.kbackup.core.storage;

import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.StorageDeniedException;
import io.kbackup.StorageException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.ListPage;
import io.kbackup.spi.StorageProvider;
import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A {@link StorageProvider} on a folder of the local file system (provider id {@code local}): the
 * embedded default. Thread-safe.
 *
 * <p>The bucket is an absolute folder path, created when first written to (or validated). A key
 * {@code a/b/c.json} is the file {@code <folder>/a/b/c.json}. Keys are refused (with
 * {@link InvalidPlanException}) when they are empty, absolute, contain a backslash, an empty,
 * {@code .} or {@code ..} segment, or start with the reserved folder {@value #TMP_DIR}.
 *
 * <p>A {@link BlobWriter} writes to a temporary file under {@code <folder>/}{@value #TMP_DIR}
 * (which listings never show) and, on commit, forces it to disk and renames it into place with an
 * atomic move: a reader sees the old blob or the whole new one, and a crash never leaves a half
 * blob under its final name (at worst an orphan temporary file). Concurrent commits to one key:
 * the last rename wins.
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

    /** Folder (at the root of the bucket) that holds uncommitted writes; hidden from listings. */
    public static final String TMP_DIR = ".kbackup-tmp";

    private static final int BUFFER = 64 * 1024;
    private static final int MOVE_ATTEMPTS = 5;

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
        Path target = path(key);
        Path tmpDir = root.resolve(TMP_DIR);
        try {
            Files.createDirectories(tmpDir);
            Path tmp = tmpDir.resolve(UUID.randomUUID() + ".part");
            FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new FileWriter(key, target, tmp, channel);
        } catch (IOException e) {
            throw failure("open a writer for", key, e);
        }
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
            throw failure("read", key, e);
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
            return new BoundedInputStream(Channels.newInputStream(channel), length);
        } catch (NoSuchFileException | FileNotFoundException | NotDirectoryException e) {
            throw notFound(key);
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        Path file = path(key);
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            return attrs.isRegularFile() ? Optional.of(info(key, attrs)) : Optional.empty();
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("read the size of", key, e);
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
        checkPrefix(prefix);
        Lister lister = new Lister(prefix, delimiter, continuationToken, pageSize);
        try {
            lister.walk(root, "");
        } catch (IOException e) {
            throw failure("list", prefix.isEmpty() ? "(all)" : prefix, e);
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
            throw failure("delete", key, e);
        }
        removeEmptyParents(file.getParent());
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
                    "Backup folder " + root + " does not exist and could not be created: " + describe(e),
                    "Create the folder, or choose a path whose parent exists and is writable by user '"
                            + System.getProperty("user.name") + "'.");
        }
        try {
            Path tmpDir = Files.createDirectories(root.resolve(TMP_DIR));
            Path probe = tmpDir.resolve("validate-" + UUID.randomUUID() + ".part");
            Files.write(probe, new byte[] {1}, StandardOpenOption.CREATE_NEW);
            Files.delete(probe);
        } catch (IOException e) {
            return ValidationResult.failed(ValidationResult.Kind.ACCESS_DENIED,
                    "Backup folder " + root + " is not writable: " + describe(e),
                    "Give user '" + System.getProperty("user.name") + "' write permission on the folder"
                            + " (and free disk space), or choose another folder.");
        }
        return ValidationResult.ok();
    }

    @Override
    public String toString() {
        return "LocalFolderStorageProvider[" + root + "]";
    }

    // ---- keys and paths ----

    /** The file of {@code key}, after checking the key cannot escape the folder. */
    private Path path(String key) {
        checkKey(key);
        return root.resolve(key);
    }

    static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidPlanException("Blob key is required and must not be empty.");
        }
        checkSegments(key, true);
    }

    private static void checkPrefix(String prefix) {
        if (!prefix.isEmpty()) {
            // a prefix may end with '/' or in the middle of a name, but must not escape the folder
            checkSegments(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix, false);
        }
    }

    private static void checkSegments(String key, boolean isKey) {
        String what = isKey ? "Blob key" : "Listing prefix";
        if (key.startsWith("/")) {
            throw new InvalidPlanException(what + " '" + key + "' is absolute; keys are relative to the folder,"
                    + " e.g. backups/b1/b1.tar.gz.");
        }
        if (key.indexOf('\\') >= 0 || key.indexOf('\0') >= 0) {
            throw new InvalidPlanException(what + " '" + key + "' contains a backslash or NUL; use '/' to separate"
                    + " folders.");
        }
        String[] segments = key.split("/", -1);
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                throw new InvalidPlanException(what + " '" + key + "' has an empty, '.' or '..' segment; use a"
                        + " plain path such as backups/b1/b1.tar.gz.");
            }
        }
        if (isKey && segments[0].equals(TMP_DIR)) {
            throw new InvalidPlanException(what + " '" + key + "' starts with the reserved folder " + TMP_DIR
                    + "; choose another name.");
        }
    }

    private void removeEmptyParents(Path dir) {
        while (dir != null && dir.startsWith(root) && !dir.equals(root)) {
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            } catch (IOException e) {
                return; // an empty folder left behind is harmless
            }
            dir = dir.getParent();
        }
    }

    private static BlobInfo info(String key, BasicFileAttributes attrs) {
        return new BlobInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant(), null);
    }

    private static NotFoundException notFound(String key) {
        return new NotFoundException(key, "No blob '" + key + "' in the backup folder. Check the key, or list"
                + " the folder to see what is there.");
    }

    private StorageException failure(String action, String key, IOException e) {
        String message = "Could not " + action + " '" + key + "' in backup folder " + root + ": " + describe(e);
        if (e instanceof AccessDeniedException) {
            return new StorageDeniedException(message + ". Give this process's user read and write permission on"
                    + " the folder.", e);
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return new StorageException(message + ". A file and a folder cannot share a name: another key is a"
                    + " prefix of this one.", e, false);
        }
        return new StorageException(message + ". Check the disk (space, permissions, mount).", e, false);
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m != null ? " (" + m + ")" : "");
    }

    // ---- listing ----

    /** Walks the tree depth-first in key order, collecting one page. */
    private final class Lister {
        final String prefix;
        final String delimiter;
        final String token;
        final int pageSize;
        final List<BlobInfo> blobs = new ArrayList<>();
        final List<String> prefixes = new ArrayList<>();
        String last;
        boolean more;

        Lister(String prefix, String delimiter, String token, int pageSize) {
            this.prefix = prefix;
            this.delimiter = delimiter;
            this.token = token;
            this.pageSize = pageSize;
        }

        /** Returns false once the page is full and one more entry was seen. */
        boolean walk(Path dir, String dirKey) throws IOException {
            List<Child> children = new ArrayList<>();
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String name = p.getFileName().toString();
                    if (dirKey.isEmpty() && name.equals(TMP_DIR)) {
                        continue;
                    }
                    boolean isDir = Files.isDirectory(p);
                    children.add(new Child(p, dirKey + name + (isDir ? "/" : ""), isDir));
                }
            } catch (NoSuchFileException | NotDirectoryException e) {
                return true; // folder not created yet, or removed while walking: nothing there
            }
            children.sort(Comparator.comparing(Child::key));
            for (Child c : children) {
                String k = c.key;
                boolean inPrefix = k.startsWith(prefix);
                if (!inPrefix && !(c.dir && prefix.startsWith(k))) {
                    continue;
                }
                // everything under k sorts before the token: skip it whole
                if (token != null && k.compareTo(token) < 0 && !token.startsWith(k)) {
                    continue;
                }
                if (c.dir) {
                    if (inPrefix && "/".equals(delimiter) && k.indexOf('/', prefix.length()) == k.length() - 1) {
                        if (hasFile(c.path) && !offer(k, null)) {
                            return false;
                        }
                    } else if (!walk(c.path, k)) {
                        return false;
                    }
                } else if (!offer(k, c.path)) {
                    return false;
                }
            }
            return true;
        }

        private boolean offer(String key, Path file) throws IOException {
            String entry = key;
            if (file != null && delimiter != null) {
                int i = key.indexOf(delimiter, prefix.length());
                if (i >= 0) {
                    entry = key.substring(0, i + delimiter.length());
                }
            }
            if ((token != null && entry.compareTo(token) <= 0) || entry.equals(last)) {
                return true;
            }
            if (blobs.size() + prefixes.size() >= pageSize) {
                more = true;
                return false;
            }
            if (file != null && entry.equals(key)) {
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(file, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    return true; // deleted while listing
                }
                blobs.add(info(key, attrs));
            } else {
                prefixes.add(entry);
            }
            last = entry;
            return true;
        }
    }

    private record Child(Path path, String key, boolean dir) {}

    private static boolean hasFile(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.anyMatch(Files::isRegularFile);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return false;
            }
            throw e.getCause();
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    // ---- streams ----

    private final class FileWriter extends BlobWriter {
        private final String key;
        private final Path target;
        private final Path tmp;
        private final FileChannel channel;
        private final OutputStream out;
        private long size;
        private boolean committed;
        private boolean aborted;

        FileWriter(String key, Path target, Path tmp, FileChannel channel) {
            this.key = key;
            this.target = target;
            this.tmp = tmp;
            this.channel = channel;
            this.out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            out.write(b);
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ensureOpen();
            out.write(b, off, len);
            size += len;
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
                stored = info(key, Files.readAttributes(tmp, BasicFileAttributes.class));
                moveIntoPlace();
            } catch (IOException e) {
                abort();
                throw failure("commit", key, e);
            } catch (RuntimeException e) {
                abort();
                throw e;
            }
            committed = true;
            return stored;
        }

        private void moveIntoPlace() throws IOException {
            for (int attempt = 1; ; attempt++) {
                try {
                    Files.createDirectories(target.getParent());
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    return;
                } catch (NoSuchFileException e) {
                    // a concurrent delete removed the (then empty) parent folder between the two calls
                    if (attempt >= MOVE_ATTEMPTS) {
                        throw e;
                    }
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                    throw new FileAlreadyExistsException(target.toString(), null,
                            "a folder or file is in the way of key '" + key + "'");
                }
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

    /** Reads at most {@code remaining} bytes. */
    private static final class BoundedInputStream extends FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
