package io.kbackup.storage.s3.internal;

import io.kbackup.KBackupException;
import io.kbackup.StorageException;
import io.kbackup.ValidationResult;
import io.kbackup.ValidationResult.Kind;
import io.kbackup.storage.s3protocol.S3ErrorTable;
import io.kbackup.storage.s3protocol.S3ServiceAnswer;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps AWS SDK exceptions to kbackup's typed exceptions and to validation problems, through the
 * S3 error table every S3 provider shares ({@link S3ErrorTable}); what is the AWS SDK's own is here.
 */
public final class S3Errors {

    /** The advice of the s3 provider's messages: IAM and bucket policies. */
    static final S3ErrorTable.Flavour FLAVOUR = new S3ErrorTable.Flavour(
            "Grant the credentials' role or user the permission for this operation (see the s3 provider's IAM"
                    + " permission list) and check the bucket policy.",
            "Allow s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject, s3:AbortMultipartUpload and"
                    + " s3:ListMultipartUploadParts on the bucket (plus kms:GenerateDataKey and kms:Decrypt with a KMS"
                    + " key, sts:AssumeRole for a role) in the IAM and bucket policies.",
            "bucket name and region of the backup location",
            "Set the bucket's real region (the message names it), or for an S3-compatible service the endpoint URL"
                    + " and s3ForcePathStyle=true.");

    private static final Pattern RAW_CODE = Pattern.compile("<Code>([A-Za-z0-9.]{1,100})</Code>");
    private static final Pattern RAW_MESSAGE = Pattern.compile("<Message>([^<]{1,500})</Message>");

    private S3Errors() {}

    /**
     * The kbackup exception for a failed operation.
     *
     * @param operation what was being done, e.g. {@code "read"}
     * @param where     {@code s3://bucket/key}
     * @param key       the key, for {@link io.kbackup.NotFoundException#name()}; may be {@code null}
     */
    public static KBackupException map(SdkException e, String operation, String where, String key) {
        if (e instanceof AwsServiceException se) {
            return S3ErrorTable.map(answer(se), se, operation, where, key, FLAVOUR);
        }
        if (unreachable(e)) {
            return S3ErrorTable.unreachable(operation, where, e);
        }
        boolean retry = e.retryable() || S3ErrorTable.causedBy(e, IOException.class);
        return new StorageException("Could not " + operation + " " + where + ": " + rootMessage(e), e, retry);
    }

    /**
     * The exception to throw for a failed call: an SDK failure {@link #map mapped}, any other
     * unchecked one as it is (the SDK calls throw no checked ones).
     */
    static RuntimeException failure(Exception e, String operation, String where, String key) {
        if (e instanceof SdkException s) {
            return map(s, operation, where, key);
        }
        return e instanceof RuntimeException r ? r : new StorageException("Could not " + operation + " " + where + ": " + e, e, false);
    }

    /** The validation problem for an exception raised while checking a location. */
    public static ValidationResult.Problem problem(SdkException e, S3Settings s) {
        if (e instanceof AwsServiceException se) {
            S3ErrorTable.Flavour f = new S3ErrorTable.Flavour(FLAVOUR.deniedFix(), FLAVOUR.permissionsFix(),
                    s.endpoint() == null ? "bucket name and region (" + s.region() + ") of the backup location"
                            : "bucket name of the backup location", FLAVOUR.configurationFix());
            return S3ErrorTable.problem(answer(se), s.where(), s.bucket(), f);
        }
        if (unreachable(e)) {
            return S3ErrorTable.unreachableProblem(s.where(), e, s.endpoint() != null && !s.pathStyle()
                    ? " For an S3-compatible service, set s3ForcePathStyle=true." : "");
        }
        if (e instanceof SdkClientException && rootMessage(e).contains("credentials")) {
            return new ValidationResult.Problem(Kind.BAD_CREDENTIALS, "No usable credentials: " + credentialsMessage(rootMessage(e)) + ".",
                    "Give the location static keys, a role to assume, a web identity token, or configure the default"
                            + " chain (environment, profile, instance or pod role).");
        }
        return new ValidationResult.Problem(Kind.OTHER, "Checking " + s.where() + " failed: " + rootMessage(e) + ".",
                "Check the backup location's settings against the message.");
    }

    /** Sources of AWS's default credentials chain, in its order, as a user sets them up. */
    static final String DEFAULT_CHAIN = "system properties aws.accessKeyId/aws.secretAccessKey, environment variables"
            + " AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE), the profile files"
            + " (~/.aws/credentials), a container or an instance role";

    /**
     * The SDK's message, short: when no source of the default chain had credentials, the SDK names
     * every provider with its own reason (about 1.6 KB); one line says the same.
     */
    static String credentialsMessage(String message) {
        if (message.contains("from any of the providers in the chain")) {
            return "none of the default chain's sources had any (" + DEFAULT_CHAIN + ")";
        }
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }

    /** The protocol-level facts of the SDK's exception. */
    static S3ServiceAnswer answer(AwsServiceException e) {
        String service = e.awsErrorDetails() != null && e.awsErrorDetails().serviceName() != null
                ? e.awsErrorDetails().serviceName() : "the service";
        String message = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : rawElement(e, RAW_MESSAGE);
        return new S3ServiceAnswer(service, e.statusCode(), code(e), message, e.requestId(), e.isThrottlingException());
    }

    static boolean unreachable(Throwable e) {
        return e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
                || S3ErrorTable.unreachableCause(e)
                || S3ErrorTable.causedBy(e, org.apache.hc.client5.http.ConnectTimeoutException.class)
                || S3ErrorTable.causedBy(e, org.apache.hc.core5.http.NoHttpResponseException.class);
    }

    static String code(AwsServiceException e) {
        if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null) {
            return e.awsErrorDetails().errorCode();
        }
        String raw = rawElement(e, RAW_CODE);
        return raw != null ? raw : "";
    }

    /**
     * An element of the error body when the SDK could not read it: some services (moto's IAM checks,
     * S3-compatible stores) nest their {@code <Error>} in {@code <Errors>}, a shape the SDK's query
     * and XML protocols do not parse, which would leave the code out of every message.
     */
    private static String rawElement(AwsServiceException e, Pattern element) {
        if (e.awsErrorDetails() == null || e.awsErrorDetails().rawResponse() == null) {
            return null;
        }
        String body = e.awsErrorDetails().rawResponse().asUtf8String();
        if (body.length() > 64 * 1024) {
            return null;
        }
        Matcher m = element.matcher(body);
        return m.find() ? m.group(1).strip() : null;
    }

    static String rootMessage(Throwable e) {
        return S3ErrorTable.rootMessage(e);
    }
}
