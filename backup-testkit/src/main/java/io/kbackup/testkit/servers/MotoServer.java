package io.kbackup.testkit.servers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real moto server ({@code moto_server}, the Python AWS emulator from PyPI) on 127.0.0.1: S3,
 * STS ({@code AssumeRole} with {@code ExternalId}, {@code AssumeRoleWithWebIdentity}), IAM, KMS and
 * CloudFormation all at one endpoint. Installed by {@code .ci/servers/build.sh moto} into a virtualenv; where it
 * is missing, {@link #start()} skips the calling test (fails it under {@code CI=true}), see
 * {@link TestServers#require(String)}.
 *
 * <pre>{@code
 * try (MotoServer moto = MotoServer.start()) {
 *     moto.createBucket("backups");
 *     BackupLocation location = BackupLocation.s3("backups").endpoint(moto.endpoint())
 *             .region(moto.region()).config(S3Config.S3_FORCE_PATH_STYLE, "true")
 *             .config(S3Config.STS_ENDPOINT, moto.endpoint())
 *             .credentials(Credentials.awsAssumeRole(role, "external-id", null,
 *                     Credentials.awsStatic(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
 *             .build();
 * }
 * }</pre>
 *
 * <p>By default moto checks no credentials and no IAM policy: STS hands out credentials for any
 * role and records each call, which {@link #assumedRoles()} reads back. Thread-safe; starts in a
 * few seconds (Python).
 */
public final class MotoServer extends LocalHttpServer {

    /** The executable's name in {@link TestServers#binDir()}. */
    public static final String BINARY = "moto_server";

    /** An access key id moto accepts (it accepts any while IAM checks are off). */
    public static final String ACCESS_KEY = "AKIAMOTOTESTKEY00001";

    /** The secret of {@link #ACCESS_KEY}. */
    public static final String SECRET_KEY = "moto/test/secret/key";

    /** The account id moto gives every resource. */
    public static final String ACCOUNT_ID = "123456789012";

    /** The region the server's clients should use. */
    public static final String REGION = "us-east-1";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private MotoServer(ServerProcess process, int port) {
        super(process, port);
    }

    /** Starts a server with empty state and waits until {@code /moto-api/data.json} answers 200. */
    public static MotoServer start() {
        return startOnFreePort("moto", BINARY, port -> List.of("-H", "127.0.0.1", "-p", String.valueOf(port)),
                "/moto-api/data.json", START_TIMEOUT, MotoServer::new);
    }

    /** The region to use, {@link #REGION}. */
    public String region() {
        return REGION;
    }

    /**
     * Creates an S3 bucket; a bucket that already exists is fine.
     *
     * @return this server
     */
    public MotoServer createBucket(String bucket) {
        S3Calls.createBucket(endpoint(), REGION, ACCESS_KEY, SECRET_KEY, bucket, false);
        return this;
    }

    /** Creates an S3 bucket with object lock enabled (and so versioning); one that already exists is fine. */
    public MotoServer createBucketWithObjectLock(String bucket) {
        S3Calls.createBucket(endpoint(), REGION, ACCESS_KEY, SECRET_KEY, bucket, true);
        return this;
    }

    /** Forgets every bucket, role session and other state ({@code POST /moto-api/reset}). */
    public void reset() {
        S3Calls.Answer a = Http.send("POST", endpoint() + "/moto-api/reset", null, null);
        if (!a.ok()) {
            throw new IllegalStateException("moto reset failed: HTTP " + a.status() + " " + a.body());
        }
    }

    /**
     * The role sessions STS handed out so far, oldest first, as moto recorded them (from
     * {@code /moto-api/data.json}).
     */
    public List<AssumedRole> assumedRoles() {
        S3Calls.Answer a = Http.send("GET", endpoint() + "/moto-api/data.json", null, null);
        try {
            List<AssumedRole> roles = new ArrayList<>();
            for (JsonNode r : JSON.readTree(a.body()).path("sts").path("AssumedRole")) {
                roles.add(new AssumedRole(r.path("role_arn").asText(null), r.path("session_name").asText(null),
                        r.path("external_id").asText(null), r.path("access_key_id").asText(null)));
            }
            return roles;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("moto's data.json is not JSON: " + a.body(), e);
        }
    }

    /**
     * Switches IAM checks on: from now on every request must be signed by a known access key (a
     * user's from {@link #createUser}, or temporary credentials from STS) whose policies allow the
     * action, and {@code AssumeRole} must also satisfy the role's trust policy ({@code Principal},
     * and {@code StringEquals} on {@code sts:ExternalId}). Moto's own checks, not AWS's: conditions
     * other than {@code StringEquals} are ignored, and a trust policy's {@code sts:ExternalId}
     * condition passes when no external id is sent at all.
     */
    public void enforceIam() {
        setNoAuthActions("0");
    }

    /**
     * Lets the next {@code requests} requests through unchecked, then switches IAM checks on as
     * {@link #enforceIam()} does: for an unsigned call (STS {@code AssumeRoleWithWebIdentity}) that
     * moto cannot check, followed by checked ones.
     */
    public void enforceIamAfter(int requests) {
        setNoAuthActions(String.valueOf(requests));
    }

    /** Switches IAM checks off again (the default): any signature, any key, any action. */
    public void relaxIam() {
        setNoAuthActions("inf");
    }

    private void setNoAuthActions(String count) {
        S3Calls.Answer a = Http.send("POST", endpoint() + "/moto-api/reset-auth", "text/plain", count);
        if (!a.ok()) {
            throw new IllegalStateException("moto reset-auth failed: HTTP " + a.status() + " " + a.body());
        }
    }

    /**
     * Creates an IAM user with one inline policy and an access key; call while IAM checks are off.
     *
     * @param policyJson an IAM policy document
     */
    public IamUser createUser(String name, String policyJson) {
        iam("CreateUser", Map.of("UserName", name));
        iam("PutUserPolicy", Map.of("UserName", name, "PolicyName", name + "-policy", "PolicyDocument", policyJson));
        String answer = iam("CreateAccessKey", Map.of("UserName", name));
        return new IamUser("arn:aws:iam::" + ACCOUNT_ID + ":user/" + name, S3Calls.element(answer, "AccessKeyId"),
                S3Calls.element(answer, "SecretAccessKey"));
    }

    /**
     * Creates an IAM role with a trust policy and one inline permission policy; call while IAM
     * checks are off.
     *
     * @return the role's ARN
     */
    public String createRole(String name, String trustPolicyJson, String permissionPolicyJson) {
        String answer = iam("CreateRole", Map.of("RoleName", name, "AssumeRolePolicyDocument", trustPolicyJson));
        iam("PutRolePolicy", Map.of("RoleName", name, "PolicyName", name + "-policy",
                "PolicyDocument", permissionPolicyJson));
        return S3Calls.element(answer, "Arn");
    }

    /**
     * Creates a symmetric KMS key (moto's KMS, JSON protocol); call while IAM checks are off.
     *
     * @return the key's ARN ({@code arn:aws:kms:<region>:<account>:key/<id>})
     */
    public String createKmsKey(String description) {
        String body = "{\"Description\":\"" + description.replace("\"", "'") + "\"}";
        S3Calls.Answer a = S3Calls.send(endpoint(), REGION, "kms", ACCESS_KEY, SECRET_KEY, "POST", "/",
                Map.of("content-type", "application/x-amz-json-1.1", "x-amz-target", "TrentService.CreateKey"),
                body.getBytes(StandardCharsets.UTF_8));
        try {
            String arn = a.ok() ? JSON.readTree(a.body()).path("KeyMetadata").path("Arn").asText(null) : null;
            if (arn == null) {
                throw new IllegalStateException("moto refused KMS CreateKey: HTTP " + a.status() + " " + a.body());
            }
            return arn;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("moto's CreateKey answer is not JSON: " + a.body(), e);
        }
    }

    /**
     * Creates a symmetric KMS key as the only resource of a new CloudFormation stack: unlike a key
     * from {@link #createKmsKey}, moto can remove it for good, with {@link #deleteStack}. Call while
     * IAM checks are off.
     *
     * @param stack the stack's name, unique on this server
     * @return the key's ARN
     */
    public String createKmsKeyStack(String stack, String description) {
        Map<String, Object> policy = Map.of("Version", "2012-10-17", "Statement", List.of(Map.of("Effect", "Allow",
                "Principal", Map.of("AWS", "arn:aws:iam::" + ACCOUNT_ID + ":root"), "Action", "kms:*", "Resource", "*")));
        Map<String, Object> key = Map.of("Type", "AWS::KMS::Key", "Properties", Map.of("Description", description, "KeyPolicy", policy));
        String template;
        try {
            template = JSON.writeValueAsString(Map.of("Resources", Map.of("Key", key),
                    "Outputs", Map.of("Arn", Map.of("Value", Map.of("Fn::GetAtt", List.of("Key", "Arn"))))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        cloudFormation("CreateStack", Map.of("StackName", stack, "TemplateBody", template));
        return S3Calls.element(cloudFormation("DescribeStacks", Map.of("StackName", stack)), "OutputValue");
    }

    /**
     * Deletes a CloudFormation stack and the resources it created. For a KMS key (from
     * {@link #createKmsKeyStack}) this is the only way moto forgets one: moto 5.2.5 keeps
     * decrypting with a key that is disabled or pending deletion, and has no call that removes a key.
     */
    public void deleteStack(String stack) {
        cloudFormation("DeleteStack", Map.of("StackName", stack));
    }

    private String iam(String action, Map<String, String> params) {
        return query("iam", "2010-05-08", action, params);
    }

    private String cloudFormation(String action, Map<String, String> params) {
        return query("cloudformation", "2010-05-15", action, params);
    }

    /** One query-protocol action (IAM, CloudFormation) signed with {@link #ACCESS_KEY}; returns the answer's XML. */
    private String query(String service, String version, String action, Map<String, String> params) {
        StringBuilder form = new StringBuilder("Action=").append(action).append("&Version=").append(version);
        params.forEach((k, v) -> form.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        S3Calls.Answer a = S3Calls.send(endpoint(), REGION, service, ACCESS_KEY, SECRET_KEY, "POST", "/",
                Map.of("content-type", "application/x-www-form-urlencoded"),
                form.toString().getBytes(StandardCharsets.UTF_8));
        if (!a.ok()) {
            throw new IllegalStateException("moto refused " + service + " " + action + ": HTTP " + a.status() + " " + a.body());
        }
        return a.body();
    }


    /**
     * One role session moto's STS handed out.
     *
     * @param roleArn the role asked for
     * @param sessionName the role session name sent
     * @param externalId the external id sent, {@code null} when none (always for web identity)
     * @param accessKeyId the temporary access key id returned
     */
    public record AssumedRole(String roleArn, String sessionName, String externalId, String accessKeyId) {}

    /**
     * An IAM user made by {@link #createUser}. {@link #toString()} prints no secret.
     *
     * @param arn the user's ARN
     * @param accessKeyId its access key id
     * @param secretAccessKey the key's secret
     */
    public record IamUser(String arn, String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "IamUser[" + arn + ", " + accessKeyId + "]";
        }
    }
}
