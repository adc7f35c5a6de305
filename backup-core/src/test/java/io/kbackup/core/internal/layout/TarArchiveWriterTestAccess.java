package io.kbackup.core.internal.layout;

import java.nio.file.Path;
import java.util.List;

/** GNU tar, for tests in other packages. */
public final class TarArchiveWriterTestAccess {
    private TarArchiveWriterTestAccess() {}

    /** {@code tar -tzf file}: the entry names GNU tar sees. */
    public static List<String> gnuList(Path file) throws Exception {
        return TarArchiveWriterTest.run(file.getParent(), "tar", "-tzf", file.toString());
    }

    /** {@code tar -xzf file -C dir}. */
    public static void gnuExtract(Path file, Path dir) throws Exception {
        TarArchiveWriterTest.run(file.getParent(), "tar", "-xzf", file.toString(), "-C", dir.toString());
    }
}
