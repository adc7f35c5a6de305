package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The JSON conventions of Velero's side files: compact JSON followed by {@code \n}, gzipped for
 * the {@code *.json.gz} / {@code -results.gz} files; plain for {@code velero-backup.json}.
 */
public final class GzipJson {
    /** The shared mapper: compact output, no pretty printing, ISO timestamps are written by hand. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private GzipJson() {}

    /** Compact JSON of {@code node} plus {@code \n}. */
    public static byte[] json(JsonNode node) {
        try {
            byte[] b = MAPPER.writeValueAsBytes(node);
            byte[] out = new byte[b.length + 1];
            System.arraycopy(b, 0, out, 0, b.length);
            out[b.length] = '\n';
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** gzip of {@link #json(JsonNode)}. */
    public static byte[] gzipJson(JsonNode node) {
        return gzip(json(node));
    }

    /** gzip of raw bytes (for the log file). */
    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(Math.max(64, data.length / 3));
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /**
     * Parses a stored JSON document; when it is not JSON, throws what {@code notJson} makes of the
     * parse error (a {@code CorruptBackupException} that names the file and what it belongs to).
     */
    public static JsonNode tree(byte[] bytes, Function<IOException, ? extends RuntimeException> notJson) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw notJson.apply(e);
        }
    }

    /** Reads a gzipped JSON side file. */
    public static JsonNode readGzipJson(InputStream in) throws IOException {
        try (GZIPInputStream gz = new GZIPInputStream(in)) {
            return MAPPER.readTree(gz);
        }
    }
}
