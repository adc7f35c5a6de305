package io.kbackup.core.storage;

import io.kbackup.InvalidPlanException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Keys of the local folder provider: the checks that keep a key inside the folder, and the names
 * of the temporary files an upload writes next to its target before the rename that commits it.
 */
final class LocalKeys {

    /** Start of every temporary file's name, and of the reserved folder older versions used. */
    static final String TMP_PREFIX = LocalFolderStorageProvider.TMP_DIR;

    private LocalKeys() {}

    /** A fresh temporary file in {@code dir}: hidden from listings, found by the sweep. */
    static Path tempFile(Path dir) {
        return dir.resolve(TMP_PREFIX + "-" + UUID.randomUUID() + ".part");
    }

    /** Whether a file or folder of this name is a temporary file (or the old temporary folder). */
    static boolean isTemp(String fileName) {
        return fileName.startsWith(TMP_PREFIX);
    }

    static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidPlanException("Blob key is required and must not be empty.");
        }
        checkSegments(key, true);
    }

    static void checkPrefix(String prefix) {
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
            if (isKey && isTemp(s)) {
                throw new InvalidPlanException(what + " '" + key + "' has a name starting with " + TMP_PREFIX
                        + ", which is reserved for uploads in progress; choose another name.");
            }
        }
    }
}
