package io.kbackup.core.storage;

import io.kbackup.spi.BlobInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One page of a local folder listing: walks the tree depth-first in key (string) order, skipping
 * temporary files; the continuation token is the last key or common prefix returned.
 */
final class LocalFolderLister {
    final String prefix;
    final String delimiter;
    final String token;
    final int pageSize;
    final List<BlobInfo> blobs = new ArrayList<>();
    final List<String> prefixes = new ArrayList<>();
    String last;
    boolean more;

    LocalFolderLister(String prefix, String delimiter, String token, int pageSize) {
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
                if (LocalKeys.isTemp(name)) {
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
                    if (LocalFiles.hasFile(c.path) && !offer(k, null)) {
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
            blobs.add(LocalFiles.info(key, attrs));
        } else {
            prefixes.add(entry);
        }
        last = entry;
        return true;
    }

    private record Child(Path path, String key, boolean dir) {}
}
