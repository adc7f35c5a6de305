package io.kbackup.storage.azure.internal;

import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobImmutabilityPolicy;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.kbackup.StorageException;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.support.PartBufferedBlobWriter;
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
final class AzureBlobWriter extends PartBufferedBlobWriter {

    /** Most blocks a block blob can have. */
    static final int MAX_BLOCKS = 50_000;

    private final BlockBlobClient blob;
    private final String key;
    private final AzureErrors errors;
    private final int blockSize;
    private final String writerId = UUID.randomUUID().toString().replace("-", "");
    private final List<String> blockIds = new ArrayList<>();
    /** The version-level immutability policy to store the blob under, or null. */
    private final BlobImmutabilityPolicy policy;

    AzureBlobWriter(BlockBlobClient blob, String key, int blockSize, AzureErrors errors, BlobImmutabilityPolicy policy) {
        super("blob '" + key + "'", blockSize);
        this.blob = blob;
        this.key = key;
        this.errors = errors;
        this.blockSize = blockSize;
        this.policy = policy;
    }

    @Override
    protected void sendPart(int partNumber, byte[] data, int length) {
        if (partNumber > MAX_BLOCKS) {
            throw new StorageException("Azure Blob: blob '" + key + "' would need more than " + MAX_BLOCKS
                    + " blocks of " + blockSize + " bytes; raise the location's blockSizeInBytes.", null, false);
        }
        String id = Base64.getEncoder().encodeToString(
                String.format("%s-%06d", writerId, blockIds.size()).getBytes(StandardCharsets.US_ASCII));
        try {
            blob.stageBlockWithResponse(new BlockBlobStageBlockOptions(id, content(data, length))
                    .setContentMd5(md5(data, length)), null, Context.NONE);
        } catch (RuntimeException e) {
            throw errors.map(e, "staging block " + blockIds.size() + " of blob '" + key + "'", key);
        }
        blockIds.add(id);
    }

    @Override
    protected BlobInfo putWhole(byte[] data, int length) {
        try {
            Response<BlockBlobItem> r = blob.uploadWithResponse(new BlockBlobSimpleUploadOptions(content(data, length))
                    .setContentMd5(md5(data, length)).setImmutabilityPolicy(policy), null, Context.NONE);
            return info(r, length);
        } catch (RuntimeException e) {
            throw errors.map(e, "committing blob '" + key + "'", key);
        }
    }

    @Override
    protected BlobInfo completeParts(long totalBytes, int parts) {
        try {
            return info(blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(blockIds)
                    .setImmutabilityPolicy(policy), null, Context.NONE),
                    totalBytes);
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
    protected void abortParts() {
        // Staged blocks are never committed; deleting the blob would destroy an existing one.
    }

    private BlobInfo info(Response<BlockBlobItem> r, long size) {
        BlockBlobItem item = r.getValue();
        return new BlobInfo(key, size, item.getLastModified() == null ? null : item.getLastModified().toInstant(), item.getETag());
    }

    /** The bytes; a full buffer is passed as it is (the call is synchronous), a partial one copied. */
    private static BinaryData content(byte[] data, int length) {
        return BinaryData.fromBytes(length == data.length ? data : Arrays.copyOf(data, length));
    }

    static byte[] md5(byte[] data, int length) {
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
        return "AzureBlobWriter[key=" + key + ", blocks=" + blockIds.size() + "]";
    }
}
