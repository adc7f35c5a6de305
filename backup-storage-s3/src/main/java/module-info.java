/**
 * The AWS S3 storage provider (provider id {@code s3}), registered for {@link java.util.ServiceLoader}.
 * Also the AWS KMS key provider (id {@code aws-kms}) for encrypted backups. Only
 * {@code io.kbackup.storage.s3} (the factory, the configuration keys, the key provider) is exported.
 */
module io.kbackup.storage.s3 {
    requires transitive io.kbackup.api;
    requires io.kbackup.storage.s3protocol;
    requires software.amazon.awssdk.auth;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.apache5;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.services.s3;
    requires software.amazon.awssdk.services.sts;
    requires software.amazon.awssdk.services.kms;
    requires software.amazon.awssdk.utils;
    requires org.apache.httpcomponents.client5.httpclient5;
    requires org.apache.httpcomponents.core5.httpcore5;
    requires org.slf4j;

    exports io.kbackup.storage.s3;

    provides io.kbackup.spi.StorageProviderFactory with io.kbackup.storage.s3.S3StorageProviderFactory;
    provides io.kbackup.spi.KeyProvider with io.kbackup.storage.s3.AwsKmsKeyProvider;
}
