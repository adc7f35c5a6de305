package io.kbackup.storage.s3;

import io.kbackup.testkit.servers.MotoServer;

/**
 * The IAM set-up the STS tests share on a moto server: a bucket, a source user that may only assume
 * roles, a role that trusts that user when the external id is given and may use the bucket, and a
 * role for web identity; both roles may use the buckets named {@code kbackup-*}. Made while IAM checks are off; the tests switch them on.
 */
final class MotoIam {

    static final String EXTERNAL_ID = "kbackup-external-id-42";

    /** The buckets the roles may use; any other bucket is denied. */
    static final String BUCKETS = "kbackup-*";

    final String bucket;
    final MotoServer.IamUser source;
    final String roleArn;
    final String webRoleArn;

    private MotoIam(String bucket, MotoServer.IamUser source, String roleArn, String webRoleArn) {
        this.bucket = bucket;
        this.source = source;
        this.roleArn = roleArn;
        this.webRoleArn = webRoleArn;
    }

    static MotoIam setUp(MotoServer moto, String bucket) {
        moto.createBucket(bucket);
        MotoServer.IamUser source = moto.createUser("kbackup-source", policy("sts:AssumeRole", "*"));
        String bucketAccess = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":[\"arn:aws:s3:::" + BUCKETS + "\",\"arn:aws:s3:::" + BUCKETS + "/*\"]}]}";
        String role = moto.createRole("kbackup", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"" + source.arn() + "\"},\"Action\":\"sts:AssumeRole\","
                + "\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"" + EXTERNAL_ID + "\"}}}]}", bucketAccess);
        String webRole = moto.createRole("kbackup-web", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"Federated\":\"arn:aws:iam::" + MotoServer.ACCOUNT_ID
                + ":oidc-provider/oidc.example.com\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\"}]}", bucketAccess);
        return new MotoIam(bucket, source, role, webRole);
    }

    private static String policy(String action, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" + action
                + "\",\"Resource\":\"" + resource + "\"}]}";
    }
}
