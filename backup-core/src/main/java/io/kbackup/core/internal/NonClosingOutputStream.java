package io.kbackup.core.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes writes through to a stream that its caller closes itself: {@link #close()} only flushes.
 * For wrappers (gzip, encryption) whose own close must finish their format without closing the
 * sink under them. Writes go through in whole arrays, not byte by byte as in
 * {@link FilterOutputStream}.
 */
public final class NonClosingOutputStream extends FilterOutputStream {
    public NonClosingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
