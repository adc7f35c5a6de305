package io.kbackup.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.servers.MotoServer;
import io.kbackup.testkit.servers.TestServers;
import io.kbackup.testkit.storage.TestBytes;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Server-side encryption requested by the s3 provider ({@link S3Config#SERVER_SIDE_ENCRYPTION},
 * {@link S3Config#KMS_KEY_ID}), against a real moto server with a key made in its KMS: single
 * PutObjects and multipart uploads alike must come out encrypted with the key asked for.
 */
class S3EncryptionRealIT {

    static final String BUCKET = "kbackup-encrypted";

    private static MotoServer moto;
    private static String keyArn;
    private static S3Client raw;

    @BeforeAll
    static void startServer() {
        moto = MotoServer.start();
        moto.createBucket(BUCKET);
        keyArn = moto.createKmsKey("kbackup backups");
        raw = S3Client.builder().endpointOverride(URI.create(moto.endpoint())).region(Region.of(moto.region()))
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                .build();
    }

    @AfterAll
    static void stopServer() {
        TestServers.closeAll(raw, moto);
    }

    private static StorageProvider open(String configKey, String value) {
        return new S3StorageProviderFactory().create(BackupLocation.s3(BUCKET)
                .region(moto.region())
                .endpoint(moto.endpoint())
                .config(S3Config.S3_FORCE_PATH_STYLE, "true")
                .config(S3Config.PART_SIZE_BYTES, String.valueOf(S3Config.MIN_PART_SIZE_BYTES))
                .config(configKey, value)
                .credentials(Credentials.awsStatic(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY))
                .build());
    }

    private static void write(StorageProvider s3, String key, int size) throws Exception {
        byte[] data = TestBytes.random(size);
        try (BlobWriter w = s3.openWriter(key)) {
            w.write(data);
            w.commit();
        }
        assertThat(s3.getBytes(key)).isEqualTo(data);
    }

    private static HeadObjectResponse head(String key) {
        return raw.headObject(b -> b.bucket(BUCKET).key(key));
    }

    @Test
    void kmsKeyEncryptsSinglePutsAndMultipartUploads() throws Exception {
        try (StorageProvider s3 = open(S3Config.KMS_KEY_ID, keyArn)) {
            write(s3, "kms/small.json", 1000);
            write(s3, "kms/large.tar.gz", 11 * 1024 * 1024);
        }
        for (String key : new String[] {"kms/small.json", "kms/large.tar.gz"}) {
            HeadObjectResponse head = head(key);
            assertThat(head.serverSideEncryption()).as(key).isEqualTo(ServerSideEncryption.AWS_KMS);
            assertThat(head.ssekmsKeyId()).as(key).isEqualTo(keyArn);
        }
    }

    @Test
    void aes256EncryptsSinglePutsAndMultipartUploads() throws Exception {
        try (StorageProvider s3 = open(S3Config.SERVER_SIDE_ENCRYPTION, "AES256")) {
            write(s3, "aes/small.json", 1000);
            write(s3, "aes/large.tar.gz", 11 * 1024 * 1024);
        }
        assertThat(head("aes/small.json").serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(head("aes/large.tar.gz").serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    }
}
