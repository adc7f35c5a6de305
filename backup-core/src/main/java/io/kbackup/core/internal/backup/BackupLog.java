package io.kbackup.core.internal.backup;

import io.kbackup.core.internal.layout.BackupDocument;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The text of {@code <name>-logs.gz}, in logrus' text format as Velero writes it
 * ({@code time="..." level=info msg="..." backup=velero/<name>}), also passed to slf4j. Keeps at
 * most {@value #MAX_CHARS} characters (then notes the truncation). Thread-safe.
 */
final class BackupLog {
    static final int MAX_CHARS = 4 << 20;
    private static final Logger LOG = LoggerFactory.getLogger("io.kbackup.core.backup");

    private final String backup;
    private final Clock clock;
    private final StringBuilder text = new StringBuilder();
    private boolean truncated;

    BackupLog(String backup, Clock clock) {
        this.backup = backup;
        this.clock = clock;
    }

    void info(String msg) {
        LOG.info("[{}] {}", backup, msg);
        append("info", msg);
    }

    void warn(String msg) {
        LOG.warn("[{}] {}", backup, msg);
        append("warning", msg);
    }

    void error(String msg) {
        LOG.error("[{}] {}", backup, msg);
        append("error", msg);
    }

    private synchronized void append(String level, String msg) {
        if (truncated) {
            return;
        }
        if (text.length() > MAX_CHARS) {
            truncated = true;
            msg = "log truncated: further lines are only in the host's log";
        }
        text.append("time=\"").append(BackupDocument.timestamp(clock.instant())).append("\" level=").append(level)
                .append(" msg=\"").append(msg.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " "))
                .append("\" backup=").append(BackupDocument.DEFAULT_NAMESPACE).append('/').append(backup).append('\n');
    }

    synchronized byte[] bytes() {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
