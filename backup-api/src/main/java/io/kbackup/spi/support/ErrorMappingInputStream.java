package io.kbackup.spi.support;

import io.kbackup.KBackupException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Function;

/**
 * Wraps a service client's download stream so that a failure while reading surfaces as an
 * {@link IOException} whose cause is the SDK's typed exception (as {@code mapper} makes it):
 * callers reading a blob see one kind of error, whatever the service.
 */
public final class ErrorMappingInputStream extends InputStream {
    private final InputStream in;
    private final Function<Exception, KBackupException> mapper;

    /**
     * @param in     the client's stream
     * @param mapper turns a client failure into the SDK's typed exception
     */
    public ErrorMappingInputStream(InputStream in, Function<Exception, KBackupException> mapper) {
        this.in = Objects.requireNonNull(in, "in");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    @Override
    public int read() throws IOException {
        try {
            return in.read();
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return in.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return in.skip(n);
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private IOException failure(Exception e) {
        KBackupException k = mapper.apply(e);
        return new IOException(k.getMessage(), k);
    }
}
