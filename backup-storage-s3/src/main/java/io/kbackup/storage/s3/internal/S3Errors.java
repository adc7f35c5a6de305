package io.kbackup.storage.s3.internal;

import io.kbackup.KBackupException;
import io.kbackup.NotFoundException;
import io.kbackup.StorageDeniedException;
import io.kbackup.StorageException;
import io.kbackup.StorageUnreachableException;
import io.kbackup.ValidationResult;
import io.kbackup.ValidationResult.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps AWS SDK exceptions to kbackup's typed exceptions and to validation problems. The error
 * codes are S3's and STS's (the MinIO provider uses the same codes and wording).
 */
public final class S3Errors {

    /** The credentials themselves were refused. */
    static final Set<String> BAD_CREDENTIAL_CODES = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
            "ExpiredToken", "ExpiredTokenException", "InvalidToken", "TokenRefreshRequired", "InvalidClientTokenId",
            "UnrecognizedClientException", "AuthFailure", "InvalidIdentityToken", "IDPRejectedClaim",
            "InvalidSecurity", "MissingSecurityHeader");

    /** The credentials are known but lack a permission. */
    static final Set<String> DENIED_CODES = Set.of("AccessDenied", "AccessDeniedException", "AllAccessDisabled",
            "AccountProblem", "InvalidObjectState", "InvalidPayer", "RequestTimeTooSkewed");

    /** The service asks to slow down or failed on its side: retry later. */
    static final Set<String> RETRYABLE_CODES = Set.of("SlowDown", "Throttling", "ThrottlingException",
            "ThrottledException", "RequestThrottled", "RequestThrottledException", "TooManyRequestsException",
            "RequestLimitExceeded", "ProvisionedThroughputExceededException", "BandwidthLimitExceeded",
            "RequestTimeout", "RequestTimeoutException", "InternalError", "ServiceUnavailable", "PriorRequestNotComplete",
            "OperationAborted");

    /** The location's settings point at the wrong place. */
    static final Set<String> CONFIGURATION_CODES = Set.of("PermanentRedirect", "AuthorizationHeaderMalformed",
            "IllegalLocationConstraintException", "InvalidBucketName", "InvalidRegion", "InvalidArgument");

    private S3Errors() {}

    /**
     * The kbackup exception for a failed operation.
     *
     * @param operation what was being done, e.g. {@code "read"}
     * @param where     {@code s3://bucket/key}
     * @param key       the key, for {@link NotFoundException#name()}; may be {@code null}
     */
    public static KBackupException map(SdkException e, String operation, String where, String key) {
        if (e instanceof AwsServiceException se) {
            return mapService(se, operation, where, key);
        }
        if (unreachable(e)) {
            return new StorageUnreachableException("Could not " + operation + " " + where + ": the endpoint could not be"
                    + " reached (" + rootMessage(e) + "). Check the endpoint URL, DNS, network, proxy and TLS settings"
                    + " (caCert) of the backup location.", e);
        }
        boolean retry = e.retryable() || causedBy(e, IOException.class);
        return new StorageException("Could not " + operation + " " + where + ": " + rootMessage(e), e, retry);
    }

    private static KBackupException mapService(AwsServiceException e, String operation, String where, String key) {
        String code = code(e);
        int status = e.statusCode();
        String said = serviceSaid(e);
        if ("NoSuchKey".equals(code) || (status == 404 && key != null && !"NoSuchBucket".equals(code))) {
            return new NotFoundException(key, "No blob " + where + " (" + said + ").");
        }
        if ("NoSuchBucket".equals(code)) {
            return new NotFoundException(bucketOf(where), "Could not " + operation + " " + where + ": the bucket does not"
                    + " exist (" + said + "). Create it, or correct the bucket name and region of the backup location.");
        }
        if (BAD_CREDENTIAL_CODES.contains(code)) {
            return new StorageDeniedException("Could not " + operation + " " + where + ": the credentials were refused ("
                    + said + "). " + badCredentialsFix(code), e);
        }
        if (DENIED_CODES.contains(code) || status == 401 || status == 403) {
            return new StorageDeniedException("Could not " + operation + " " + where + ": access denied (" + said
                    + "). Grant the credentials' role or user the permission for this operation (see the s3 provider's"
                    + " IAM permission list) and check the bucket policy.", e);
        }
        boolean retry = status >= 500 || status == 429 || RETRYABLE_CODES.contains(code) || e.isThrottlingException();
        return new StorageException("Could not " + operation + " " + where + " (" + said + ")."
                + (retry ? " The service is busy or failing; retry later." : ""), e, retry);
    }

    /** The validation problem for an exception raised while checking a location. */
    public static ValidationResult.Problem problem(SdkException e, S3Settings s) {
        String where = s.where();
        if (e instanceof AwsServiceException se) {
            String code = code(se);
            int status = se.statusCode();
            String said = serviceSaid(se);
            if ("NoSuchBucket".equals(code) || (status == 404 && code.isEmpty())) {
                return new ValidationResult.Problem(Kind.BUCKET_MISSING, "Bucket '" + s.bucket() + "' does not exist ("
                        + said + ").", "Create the bucket, or correct the bucket name"
                        + (s.endpoint() == null ? " and region (" + s.region() + ")" : "") + " of the backup location.");
            }
            if (BAD_CREDENTIAL_CODES.contains(code)) {
                return new ValidationResult.Problem(Kind.BAD_CREDENTIALS, "The credentials were refused by " + where
                        + " (" + said + ").", badCredentialsFix(code));
            }
            if (DENIED_CODES.contains(code) || status == 401 || status == 403) {
                return new ValidationResult.Problem(Kind.ACCESS_DENIED, "Access to " + where + " was denied (" + said
                        + ").", "Allow s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject,"
                        + " s3:AbortMultipartUpload and s3:ListMultipartUploadParts on the bucket (plus kms:GenerateDataKey"
                        + " and kms:Decrypt with a KMS key, sts:AssumeRole for a role) in the IAM and bucket policies.");
            }
            if (CONFIGURATION_CODES.contains(code) || status == 301 || status == 307) {
                return new ValidationResult.Problem(Kind.INVALID_CONFIGURATION, "The request to " + where
                        + " does not match the bucket (" + said + ").", "Set the bucket's real region (the message"
                        + " names it), or for an S3-compatible service the endpoint URL and s3ForcePathStyle=true.");
            }
            return new ValidationResult.Problem(Kind.OTHER, "The service at " + where + " failed the check (" + said
                    + ").", status >= 500 || se.isThrottlingException() ? "The service is busy or failing; try again later."
                    : "Check the backup location's settings against the message.");
        }
        if (unreachable(e)) {
            return new ValidationResult.Problem(Kind.UNREACHABLE, "Could not reach " + where + ": " + rootMessage(e) + ".",
                    (causedBy(e, SSLException.class)
                            ? "The TLS handshake failed: give the endpoint's CA in caCert, or fix the certificate."
                            : "Check the endpoint URL (scheme, host, port), DNS, firewall and proxy, and that the"
                                    + " service is running.")
                            + (s.endpoint() != null && !s.pathStyle()
                                    ? " For an S3-compatible service, set s3ForcePathStyle=true." : ""));
        }
        if (e instanceof SdkClientException && rootMessage(e).contains("credentials")) {
            return new ValidationResult.Problem(Kind.BAD_CREDENTIALS, "No usable credentials: " + rootMessage(e) + ".",
                    "Give the location static keys, a role to assume, a web identity token, or configure the default"
                            + " chain (environment, profile, instance or pod role).");
        }
        return new ValidationResult.Problem(Kind.OTHER, "Checking " + where + " failed: " + rootMessage(e) + ".",
                "Check the backup location's settings against the message.");
    }

    static String badCredentialsFix(String code) {
        return switch (code) {
            case "InvalidAccessKeyId", "InvalidClientTokenId", "UnrecognizedClientException" ->
                    "The access key id is not known to the service: check it, and that it belongs to this account or"
                            + " endpoint.";
            case "SignatureDoesNotMatch" -> "The secret access key does not match the access key id: check the secret.";
            case "ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired" ->
                    "The session token has expired: use fresh temporary credentials, or a role/web identity that the"
                            + " SDK refreshes.";
            case "InvalidIdentityToken", "IDPRejectedClaim" ->
                    "The web identity token was refused: check the token file and the role's trust policy (OIDC"
                            + " provider, audience, service account).";
            default -> "Check the credentials of the backup location.";
        };
    }

    static boolean unreachable(Throwable e) {
        return e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
                || causedBy(e, ConnectException.class) || causedBy(e, UnknownHostException.class)
                || causedBy(e, NoRouteToHostException.class) || causedBy(e, SocketTimeoutException.class)
                || causedBy(e, SSLException.class)
                || causedBy(e, org.apache.hc.client5.http.ConnectTimeoutException.class)
                || causedBy(e, org.apache.hc.core5.http.NoHttpResponseException.class)
                || (causedBy(e, InterruptedIOException.class) && !Thread.currentThread().isInterrupted());
    }

    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    static String code(AwsServiceException e) {
        if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null) {
            return e.awsErrorDetails().errorCode();
        }
        String raw = rawElement(e, "Code");
        return raw != null ? raw : "";
    }

    private static final Pattern RAW_CODE = Pattern.compile("<Code>([A-Za-z0-9.]{1,100})</Code>");
    private static final Pattern RAW_MESSAGE = Pattern.compile("<Message>([^<]{1,500})</Message>");

    /**
     * An element of the error body when the SDK could not read it: some services (moto's IAM checks,
     * S3-compatible stores) nest their {@code <Error>} in {@code <Errors>}, a shape the SDK's query
     * and XML protocols do not parse, which would leave the code out of every message.
     */
    private static String rawElement(AwsServiceException e, String element) {
        if (e.awsErrorDetails() == null || e.awsErrorDetails().rawResponse() == null) {
            return null;
        }
        String body = e.awsErrorDetails().rawResponse().asUtf8String();
        if (body.length() > 64 * 1024) {
            return null;
        }
        Matcher m = (element.equals("Code") ? RAW_CODE : RAW_MESSAGE).matcher(body);
        return m.find() ? m.group(1).strip() : null;
    }

    /** {@code S3 said: 403 AccessDenied: Access Denied}, from the service's own answer. */
    static String serviceSaid(AwsServiceException e) {
        String service = e.awsErrorDetails() != null && e.awsErrorDetails().serviceName() != null
                ? e.awsErrorDetails().serviceName() : "the service";
        String message = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : rawElement(e, "Message");
        String code = code(e);
        return service + " said: " + e.statusCode() + (code.isEmpty() ? "" : " " + code)
                + (message != null && !message.isBlank() ? ": " + message : "")
                + (e.requestId() != null ? ", request id " + e.requestId() : "");
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        String kind = t.getClass().getSimpleName();
        return message == null ? kind : (t == e ? message : kind + ": " + message);
    }

    private static String bucketOf(String where) {
        String rest = where.startsWith("s3://") ? where.substring(5) : where;
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
