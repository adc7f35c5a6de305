package io.kbackup.spi.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.StorageUnreachableException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ErrorMappingInputStreamTest {

    @Test
    void passesBytesThrough() throws IOException {
        try (InputStream in = new ErrorMappingInputStream(new ByteArrayInputStream(new byte[] {1, 2, 3}),
                e -> new StorageUnreachableException("never", e))) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aClientFailureWhileReadingBecomesAnIoExceptionCarryingTheTypedOne() {
        InputStream broken = new InputStream() {
            @Override
            public int read() {
                throw new IllegalStateException("connection reset by the service");
            }
        };
        InputStream in = new ErrorMappingInputStream(broken, e -> new StorageUnreachableException("reading k: " + e.getMessage(), e));
        assertThatThrownBy(in::read).isInstanceOf(IOException.class)
                .hasMessageContaining("reading k: connection reset")
                .cause().isInstanceOf(StorageUnreachableException.class);
        assertThatThrownBy(() -> in.read(new byte[4], 0, 4)).isInstanceOf(IOException.class)
                .cause().isInstanceOf(StorageUnreachableException.class);
    }
}
