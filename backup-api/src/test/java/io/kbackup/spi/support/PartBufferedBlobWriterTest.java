package io.kbackup.spi.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.spi.BlobInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartBufferedBlobWriterTest {

    /** Records the service calls it would make. */
    static final class Recording extends PartBufferedBlobWriter {
        final List<String> calls = new ArrayList<>();
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();

        Recording(int partSize) {
            super("mem://bucket/key", partSize);
        }

        @Override
        protected void sendPart(int partNumber, byte[] data, int length) {
            calls.add("part" + partNumber + ":" + length);
            sent.write(data, 0, length);
        }

        @Override
        protected BlobInfo putWhole(byte[] data, int length) {
            calls.add("whole:" + length);
            sent.write(data, 0, length);
            return new BlobInfo("key", length, null, null);
        }

        @Override
        protected BlobInfo completeParts(long totalBytes, int parts) {
            calls.add("complete:" + totalBytes + "/" + parts);
            return new BlobInfo("key", totalBytes, null, null);
        }

        @Override
        protected void abortParts() {
            calls.add("abort");
        }
    }

    @Test
    void aBlobThatFitsInOnePartIsStoredWhole() throws IOException {
        Recording w = new Recording(10);
        w.write(new byte[] {1, 2, 3});
        w.write(4);
        assertThat(w.commit().size()).isEqualTo(4);
        assertThat(w.calls).containsExactly("whole:4");
        assertThat(w.sent.toByteArray()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aLargerBlobIsSentPartByPartInOrderAndCompleted() throws IOException {
        Recording w = new Recording(10);
        byte[] data = new byte[25];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        w.write(data, 0, 7);
        w.write(data, 7, 18);
        BlobInfo info = w.commit();
        assertThat(w.calls).containsExactly("part1:10", "part2:10", "part3:5", "complete:25/3");
        assertThat(info.size()).isEqualTo(25);
        assertThat(w.sent.toByteArray()).isEqualTo(data);
        assertThat(w.committed()).isTrue();
    }

    @Test
    void anExactMultipleOfThePartSizeSendsNoEmptyPart() throws IOException {
        Recording w = new Recording(4);
        w.write(new byte[8]);
        w.commit();
        assertThat(w.calls).containsExactly("part1:4", "part2:4", "complete:8/2");
    }

    @Test
    void closeWithoutCommitAbortsOnlyAStartedMultipartUpload() throws IOException {
        Recording small = new Recording(10);
        small.write(new byte[3]);
        small.close();
        assertThat(small.calls).isEmpty();

        Recording large = new Recording(4);
        large.write(new byte[6]);
        large.close();
        large.close();
        assertThat(large.calls).containsExactly("part1:4", "abort");
    }

    @Test
    void writesAfterCommitOrAbortAreRefused() throws IOException {
        Recording w = new Recording(4);
        w.commit();
        assertThatThrownBy(() -> w.write(1)).isInstanceOf(IOException.class).hasMessageContaining("already committed");
        Recording a = new Recording(4);
        a.abort();
        assertThatThrownBy(() -> a.write(new byte[1])).isInstanceOf(IOException.class).hasMessageContaining("aborted");
        assertThat(w.calls).containsExactly("whole:0");
    }
}
