package io.kbackup.storage.s3protocol;

import io.kbackup.KBackupException;
import io.kbackup.NotFoundException;
import io.kbackup.StorageDeniedException;
import io.kbackup.StorageException;
import io.kbackup.StorageUnreachableException;
import io.kbackup.ValidationResult;
import io.kbackup.ValidationResult.Kind;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * S3's error codes (and STS's, and MinIO's additions) and the typed exceptions and validation
 * problems they map to, with one wording for every S3 provider. A provider turns its client's
 * exception into an {@link S3ServiceAnswer} and passes its {@link Flavour}: the advice that names
 * its own permission system.
 */
public final class S3ErrorTable {

    /** The credentials themselves were refused. */
    public static final Set<String> BAD_CREDENTIAL_CODES = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
            "ExpiredToken", "ExpiredTokenException", "InvalidToken", "TokenRefreshRequired", "InvalidClientTokenId",
            "UnrecognizedClientException", "AuthFailure", "InvalidIdentityToken", "IDPRejectedClaim",
            "InvalidSecurity", "MissingSecurityHeader");

    /** The credentials are known but lack a permission. */
    public static final Set<String> DENIED_CODES = Set.of("AccessDenied", "AccessDeniedException", "AllAccessDisabled",
            "AccountProblem", "InvalidObjectState", "InvalidPayer", "RequestTimeTooSkewed");

    /** The service asks to slow down or failed on its side: retry later. */
    public static final Set<String> RETRYABLE_CODES = Set.of("SlowDown", "SlowDownRead", "SlowDownWrite", "Throttling",
            "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException",
            "TooManyRequestsException", "RequestLimitExceeded", "ProvisionedThroughputExceededException",
            "BandwidthLimitExceeded", "RequestTimeout", "RequestTimeoutException", "InternalError",
            "ServiceUnavailable", "PriorRequestNotComplete", "OperationAborted", "XMinioServerNotInitialized",
            "XMinioStorageFull");

    /** The location's settings point at the wrong place. */
    public static final Set<String> CONFIGURATION_CODES = Set.of("PermanentRedirect", "AuthorizationHeaderMalformed",
            "IllegalLocationConstraintException", "InvalidBucketName", "InvalidRegion", "InvalidArgument",
            "AuthorizationQueryParametersError");

    /**
     * A provider's own advice in messages.
     *
     * @param deniedFix        what to grant when an operation was denied
     * @param permissionsFix   the permissions a location needs, for a denied validation
     * @param bucketFix        what to correct when the bucket does not exist
     * @param configurationFix what to check when the request does not match the bucket or server
     */
    public record Flavour(String deniedFix, String permissionsFix, String bucketFix, String configurationFix) {}

    private S3ErrorTable() {}

    /**
     * The kbackup exception for an error answer to an operation.
     *
     * @param cause     what to chain: never a client exception that prints request headers
     * @param operation what was being done, e.g. {@code "read"}
     * @param where     {@code s3://bucket/key}
     * @param key       the key, for {@link NotFoundException#name()}; {@code null} when not about a key
     */
    public static KBackupException map(S3ServiceAnswer a, Throwable cause, String operation, String where, String key,
            Flavour flavour) {
        String code = a.code();
        int status = a.status();
        String said = a.said();
        if ("NoSuchKey".equals(code) || "NoSuchObject".equals(code)
                || (status == 404 && key != null && !"NoSuchBucket".equals(code))) {
            return new NotFoundException(key, "No blob " + where + " (" + said + ").");
        }
        if ("NoSuchBucket".equals(code)) {
            return new NotFoundException(S3Keys.bucketOf(where), "Could not " + operation + " " + where + ": the bucket"
                    + " does not exist (" + said + "). Create it, or correct the " + flavour.bucketFix() + ".");
        }
        if (BAD_CREDENTIAL_CODES.contains(code)) {
            return new StorageDeniedException("Could not " + operation + " " + where + ": the credentials were refused ("
                    + said + "). " + badCredentialsFix(code), cause);
        }
        if (DENIED_CODES.contains(code) || status == 401 || status == 403) {
            return new StorageDeniedException("Could not " + operation + " " + where + ": access denied (" + said
                    + "). " + flavour.deniedFix(), cause);
        }
        boolean retry = a.retryable();
        return new StorageException("Could not " + operation + " " + where + " (" + said + ")."
                + (retry ? " The service is busy or failing; retry later." : ""), cause, retry);
    }

    /** The validation problem for an error answer while checking a location. */
    public static ValidationResult.Problem problem(S3ServiceAnswer a, String where, String bucket, Flavour flavour) {
        String code = a.code();
        int status = a.status();
        String said = a.said();
        if ("NoSuchBucket".equals(code) || (status == 404 && code.isEmpty())) {
            return new ValidationResult.Problem(Kind.BUCKET_MISSING, "Bucket '" + bucket + "' does not exist (" + said
                    + ").", "Create the bucket, or correct the " + flavour.bucketFix() + ".");
        }
        if (BAD_CREDENTIAL_CODES.contains(code)) {
            return new ValidationResult.Problem(Kind.BAD_CREDENTIALS, "The credentials were refused by " + where + " ("
                    + said + ").", badCredentialsFix(code));
        }
        if (DENIED_CODES.contains(code) || status == 401 || status == 403) {
            return new ValidationResult.Problem(Kind.ACCESS_DENIED, "Access to " + where + " was denied (" + said + ").",
                    flavour.permissionsFix());
        }
        if (CONFIGURATION_CODES.contains(code) || status == 301 || status == 307) {
            return new ValidationResult.Problem(Kind.INVALID_CONFIGURATION, "The request to " + where
                    + " does not match the bucket (" + said + ").", flavour.configurationFix());
        }
        return new ValidationResult.Problem(Kind.OTHER, "The service at " + where + " failed the check (" + said + ").",
                a.retryable() ? "The service is busy or failing; try again later."
                        : "Check the backup location's settings against the message.");
    }

    /** The exception for an endpoint that could not be reached. */
    public static StorageUnreachableException unreachable(String operation, String where, Throwable cause) {
        return new StorageUnreachableException("Could not " + operation + " " + where + ": the endpoint could not be"
                + " reached (" + rootMessage(cause) + "). Check the endpoint URL, DNS, network, proxy and TLS settings"
                + " (caCert) of the backup location.", cause);
    }

    /** The validation problem for an endpoint that could not be reached; {@code more} is added to the fix. */
    public static ValidationResult.Problem unreachableProblem(String where, Throwable e, String more) {
        return new ValidationResult.Problem(Kind.UNREACHABLE, "Could not reach " + where + ": " + rootMessage(e) + ".",
                (causedBy(e, SSLException.class)
                        ? "The TLS handshake failed: give the endpoint's CA in caCert, or fix the certificate."
                        : "Check the endpoint URL (scheme, host, port), DNS, firewall and proxy, and that the service is"
                                + " running.") + more);
    }

    /** What to do about refused credentials, by error code. */
    public static String badCredentialsFix(String code) {
        return switch (code) {
            case "InvalidAccessKeyId", "InvalidClientTokenId", "UnrecognizedClientException" ->
                    "The access key id is not known to the service: check it, and that it belongs to this account or"
                            + " endpoint and its user is enabled.";
            case "SignatureDoesNotMatch" ->
                    "The secret key does not match the access key id: check the secret access key.";
            case "ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired" ->
                    "The session token has expired: use fresh temporary credentials, or a role/web identity that the"
                            + " SDK refreshes.";
            case "InvalidIdentityToken", "IDPRejectedClaim" ->
                    "The web identity token was refused: check the token file and the role's trust policy (OIDC"
                            + " provider, audience, service account).";
            default -> "Check the credentials of the backup location.";
        };
    }

    /** Whether the JDK exceptions in the chain say the endpoint could not be reached. */
    public static boolean unreachableCause(Throwable e) {
        return causedBy(e, ConnectException.class) || causedBy(e, UnknownHostException.class)
                || causedBy(e, NoRouteToHostException.class) || causedBy(e, SocketTimeoutException.class)
                || causedBy(e, SSLException.class)
                || (causedBy(e, InterruptedIOException.class) && !Thread.currentThread().isInterrupted());
    }

    /** Whether {@code type} is in the cause chain of {@code e}. */
    public static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The deepest message of the chain, with the deepest exception's simple name. */
    public static String rootMessage(Throwable e) {
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
}
