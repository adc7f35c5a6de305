package io.kbackup.cli;

import java.io.Writer;

/**
 * A writer that masks the run's secrets, line by line: text is held until a line ends (or a
 * flush) so that a secret split across two writes is still masked.
 */
final class RedactingWriter extends Writer {
    private final Writer target;
    private final Secrets secrets;
    private final StringBuilder line = new StringBuilder();

    RedactingWriter(Writer target, Secrets secrets) {
        this.target = target;
        this.secrets = secrets;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            line.append(buf[i]);
            if (buf[i] == '\n') {
                emit();
            }
        }
    }

    private void emit() {
        try {
            target.write(secrets.redact(line.toString()));
            target.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        line.setLength(0);
    }

    @Override
    public synchronized void flush() throws java.io.IOException {
        if (line.length() > 0) {
            emit();
        }
        target.flush();
    }

    @Override
    public synchronized void close() throws java.io.IOException {
        flush();
    }
}
