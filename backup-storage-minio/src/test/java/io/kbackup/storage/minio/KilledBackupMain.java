package io.kbackup.storage.minio;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.Credentials;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviderFactory;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.storage.WrappedStorageFactory;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Base64;
import java.util.Random;

/**
 * The child JVM of {@link MinioKilledBackupRealIT}: backs up an embedded cluster into MinIO with the
 * minio provider and, once more than one multipart part of the tarball has been handed to the
 * upload, prints {@value #UPLOADING} and stops writing, so that the parent kills it (kill -9) in
 * the middle of the backup: name claimed, tarball upload started, no {@code velero-backup.json}.
 *
 * <p>Arguments: endpoint, access key, secret key, bucket, prefix, backup name.
 */
public final class KilledBackupMain {
    /** Printed on its own line when the tarball upload is under way. */
    static final String UPLOADING = "UPLOADING";
    private static final long HANG_AFTER = MinioConfig.MIN_PART_SIZE_BYTES + (512 << 10);

    private KilledBackupMain() {}

    public static void main(String[] args) throws Exception {
        BackupLocation location = BackupLocation.minio(args[0], args[3]).prefix(args[4])
                .config(MinioConfig.PART_SIZE_BYTES, String.valueOf(MinioConfig.MIN_PART_SIZE_BYTES))
                .credentials(Credentials.awsStatic(args[1], args[2])).build();
        EmbeddedCluster cluster = EmbeddedCluster.start();
        KubernetesClient client = cluster.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("big").endMetadata().build()).create();
        Random random = new Random(20);
        for (int i = 0; i < 40; i++) {
            byte[] noise = new byte[200_000];
            random.nextBytes(noise);
            client.configMaps().inNamespace("big").resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i).endMetadata()
                    .addToData("noise", Base64.getEncoder().encodeToString(noise)).build()).create();
        }
        StorageProviderFactory hanging = WrappedStorageFactory.of(new MinioStorageProviderFactory(), KilledBackupMain::hangingTarball);
        KBackup.direct(client, DirectOptions.builder().storageProviders(StorageProviders.discover().with(hanging)).build())
                .backup(BackupPlan.builder().name(args[5]).location(location).includedNamespaces("big").build());
        Thread.sleep(Long.MAX_VALUE);
    }

    /** The provider, except that the tarball's writer stops (for good) after {@link #HANG_AFTER} bytes. */
    private static StorageProvider hangingTarball(StorageProvider delegate) {
        return (StorageProvider) Proxy.newProxyInstance(StorageProvider.class.getClassLoader(), new Class<?>[] {StorageProvider.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(delegate, args);
                        if (method.getName().equals("openWriter") && ((String) args[0]).endsWith(".tar.gz")) {
                            return new HangingWriter((BlobWriter) result);
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static final class HangingWriter extends BlobWriter {
        private final BlobWriter delegate;
        private long written;

        HangingWriter(BlobWriter delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            delegate.write(b, off, len);
            written += len;
            if (written > HANG_AFTER) {
                System.out.println(UPLOADING);
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }

        @Override
        public BlobInfo commit() throws IOException {
            return delegate.commit();
        }

        @Override
        public void abort() throws IOException {
            delegate.abort();
        }

        @Override
        public boolean committed() {
            return delegate.committed();
        }
    }
}
