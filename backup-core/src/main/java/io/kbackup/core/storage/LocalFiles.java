package io.kbackup.core.storage;

import io.kbackup.StorageDeniedException;
import io.kbackup.StorageException;
import io.kbackup.spi.BlobInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/** File-system steps the local folder provider's parts share: blob metadata, failures, folder clean-up. */
final class LocalFiles {

    private LocalFiles() {}

    static BlobInfo info(String key, BasicFileAttributes attrs) {
        return new BlobInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant(), null);
    }

    /** The typed exception for a failed file operation on {@code key} in the folder {@code root}. */
    static StorageException failure(Path root, String action, String key, IOException e) {
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

    static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m != null ? " (" + m + ")" : "");
    }

    /** Removes {@code dir} and its parents up to (not including) {@code root} while they are empty. */
    static void removeEmptyParents(Path root, Path dir) {
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

    /** Whether {@code dir} holds a committed blob at any depth (temporary files do not count). */
    static boolean hasFile(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.anyMatch(p -> Files.isRegularFile(p) && !LocalKeys.isTemp(p.getFileName().toString()));
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return false;
            }
            throw e.getCause();
        } catch (NoSuchFileException e) {
            return false;
        }
    }
}
