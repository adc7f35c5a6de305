package io.kbackup.storage.azure.internal;

import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.kbackup.StorageException;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Streams to a block blob holding at most one block in memory. A blob that fits in one block is
 * sent with a single Put Blob on {@link #commit()}; a larger one stages a block each time the buffer
 * fills and commits the block list on {@link #commit()}. Nothing is visible before that: staged
 * blocks stay uncommitted (the service discards them within a week, or when another commit of the
 * key happens), and a blob already under the key is left as it was by an abort. Each block carries
 * its MD5, which the service checks.
 */
final class AzureBlobWriter extends BlobWriter {

    /** Most blocks a block blob can have. */
    static final int MAX_BLOCKS = 50_000;

    private final BlockBlobClient blob;
    private final String key;
    private final AzureErrors errors;
    private final int blockSize;
    private final String writerId = UUID.randomUUID().toString().replace("-", "");
    private final List<String> blockIds = new ArrayList<>();
    private byte[] buffer;
    private int filled;
    private long total;
    private boolean committed;
    private boolean aborted;

    AzureBlobWriter(BlockBlobClient blob, String key, int blockSize, AzureErrors errors) {
        this.blob = blob;
        this.key = key;
        this.errors = errors;
        // grows up to blockSize, so that many small blobs do not each hold a whole block
        this.buffer = new byte[Math.min(blockSize, 64 * 1024)];
        this.blockSize = blockSize;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (filled == buffer.length) {
            makeRoom();
        }
        buffer[filled++] = (byte) b;
        total++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (filled == buffer.length) {
                makeRoom();
            }
            int n = Math.min(len, buffer.length - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
            total += n;
        }
    }

    /** Grows the buffer up to one block, or stages the full block. */
    private void makeRoom() {
        if (buffer.length < blockSize) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(blockSize, (long) buffer.length * 4));
        } else {
            stage();
        }
    }

    private void stage() {
        if (blockIds.size() >= MAX_BLOCKS) {
            throw new StorageException("Azure Blob: blob '" + key + "' would need more than " + MAX_BLOCKS
                    + " blocks of " + blockSize + " bytes; raise the location's blockSizeInBytes.", null, false);
        }
        String id = Base64.getEncoder().encodeToString(
                String.format("%s-%06d", writerId, blockIds.size()).getBytes(StandardCharsets.US_ASCII));
        try {
            blob.stageBlockWithResponse(new BlockBlobStageBlockOptions(id, content())
                    .setContentMd5(md5(buffer, filled)), null, Context.NONE);
        } catch (RuntimeException e) {
            throw errors.map(e, "staging block " + blockIds.size() + " of blob '" + key + "'", key);
        }
        blockIds.add(id);
        filled = 0;
    }

    @Override
    public BlobInfo commit() throws IOException {
        ensureOpen();
        try {
            Response<BlockBlobItem> r;
            if (blockIds.isEmpty()) {
                r = blob.uploadWithResponse(new BlockBlobSimpleUploadOptions(content())
                        .setContentMd5(md5(buffer, filled)), null, Context.NONE);
            } else {
                if (filled > 0) {
                    stage();
                }
                r = blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(blockIds), null, Context.NONE);
            }
            committed = true;
            buffer = null;
            BlockBlobItem item = r.getValue();
            return new BlobInfo(key, total, item.getLastModified() == null ? null : item.getLastModified().toInstant(),
                    item.getETag());
        } catch (BlobStorageException e) {
            if (e.getErrorCode() != null && e.getErrorCode().toString().equals("InvalidBlockList")) {
                throw new StorageException("Azure Blob: committing blob '" + key + "' failed: " + errors.describe(e)
                        + ". Its staged blocks were discarded, most likely because another writer committed the same"
                        + " key meanwhile; write the blob again.", null, false);
            }
            throw errors.map(e, "committing blob '" + key + "'", key);
        } catch (RuntimeException e) {
            throw errors.map(e, "committing blob '" + key + "'", key);
        }
    }

    @Override
    public void abort() {
        // Staged blocks are never committed; deleting the blob would destroy an existing one.
        aborted = true;
        buffer = null;
    }

    @Override
    public boolean committed() {
        return committed;
    }

    private void ensureOpen() throws IOException {
        if (committed) {
            throw new IOException("writer for blob '" + key + "' is already committed");
        }
        if (aborted) {
            throw new IOException("writer for blob '" + key + "' was aborted");
        }
    }

    /** The buffered bytes; a full buffer is passed as it is (the call is synchronous), a partial one copied. */
    private BinaryData content() {
        return BinaryData.fromBytes(filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled));
    }

    private static byte[] md5(byte[] data, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(data, 0, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "AzureBlobWriter[key=" + key + ", blocks=" + blockIds.size() + ", bytes=" + total + "]";
    }
}
