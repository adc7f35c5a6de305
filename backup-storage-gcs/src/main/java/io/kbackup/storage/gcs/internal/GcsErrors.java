package io.kbackup.storage.gcs.internal;

import com.google.cloud.BaseServiceException;
import io.kbackup.KBackupException;
import io.kbackup.NotFoundException;
import io.kbackup.StorageDeniedException;
import io.kbackup.StorageException;
import io.kbackup.StorageUnreachableException;
import io.kbackup.spi.support.CauseChain;
import io.kbackup.spi.support.SecretMask;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/** Maps Google Cloud Storage client failures to kbackup's typed exceptions, secrets scrubbed. */
public final class GcsErrors {

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", Pattern.DOTALL);

    private final List<String> secrets;
    private final String where;

    /**
     * @param secrets strings never to print
     * @param where   the bucket, for messages
     */
    public GcsErrors(List<String> secrets, String where) {
        this.secrets = List.copyOf(secrets);
        this.where = where;
    }

    /** Removes secrets and private keys. */
    public String scrub(String text) {
        String out = SecretMask.mask(text, secrets);
        return PRIVATE_KEY.matcher(out).replaceAll("****");
    }

    /** The typed exception for a failure of {@code action}; {@code key} names what was not found. */
    public KBackupException map(Throwable e, String action, String key) {
        if (e instanceof KBackupException k) {
            return k;
        }
        String prefix = "Google Cloud Storage " + where + ": " + action + " failed: ";
        BaseServiceException se = CauseChain.find(e, BaseServiceException.class);
        if (se != null && se.getCode() > 0) {
            int code = se.getCode();
            String msg = prefix + describe(se);
            if (code == 404) {
                return new NotFoundException(key, msg + (msg.toLowerCase(Locale.ROOT).contains("bucket")
                        ? ". The bucket does not exist: create it or correct the location's bucket." : ""));
            }
            if (code == 401) {
                return new StorageDeniedException(msg + ". The credentials were refused: check the service-account key"
                        + " (not deleted or disabled) or the workload identity binding.", null);
            }
            if (code == 403) {
                return new StorageDeniedException(msg + ". Grant the service account a role with the storage.objects"
                        + " permissions (e.g. roles/storage.objectAdmin) on the bucket.", null);
            }
            boolean retryable = code == 408 || code == 429 || code >= 500;
            return new StorageException(msg + (retryable ? ". The service is busy or failing; try again later." : "."),
                    null, retryable);
        }
        if (isAuthFailure(e)) {
            return new StorageDeniedException(prefix + "could not obtain an access token: " + firstLine(scrub(
                    authCause(e).getMessage())) + ". Check the service-account key, or the application default"
                    + " credentials (GOOGLE_APPLICATION_CREDENTIALS, workload identity).", null);
        }
        Throwable unreachable = unreachableCause(e);
        if (unreachable != null) {
            return new StorageUnreachableException(prefix + "cannot reach the service: "
                    + unreachable.getClass().getSimpleName() + ": " + firstLine(scrub(unreachable.getMessage()))
                    + ". Check the endpoint, DNS, proxy and firewall.", null);
        }
        if (se != null) {
            return new StorageException(prefix + firstLine(scrub(se.getMessage())), null, se.isRetryable());
        }
        IOException io = CauseChain.find(e, IOException.class);
        if (io != null) {
            return new StorageException(prefix + "I/O error: " + firstLine(scrub(io.getMessage())) + ". Try again.",
                    null, true);
        }
        return new StorageException(prefix + e.getClass().getSimpleName() + ": " + firstLine(scrub(e.getMessage())),
                null, false);
    }

    /** Code, reason and the service's message, scrubbed. */
    public String describe(BaseServiceException e) {
        return e.getCode() + (e.getReason() != null ? " " + e.getReason() : "") + ": " + firstLine(scrub(e.getMessage()));
    }

    /** Whether obtaining or refreshing a token failed (bad key, revoked, no credentials found). */
    public static boolean isAuthFailure(Throwable e) {
        return authCause(e) != null;
    }

    private static Throwable authCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getName().equals("com.google.auth.oauth2.GoogleAuthException")) {
                return t;
            }
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (m.contains("invalid_grant") || m.contains("invalid_client") || m.contains("unauthorized_client")
                    || m.contains("Error getting access token") || m.contains("default credentials were not found")) {
                return t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** The first cause meaning "the service could not be reached", or {@code null}. */
    public static Throwable unreachableCause(Throwable e) {
        return CauseChain.first(e, ConnectException.class, UnknownHostException.class, NoRouteToHostException.class,
                SocketTimeoutException.class, TimeoutException.class, SSLException.class, InterruptedIOException.class);
    }

    static String firstLine(String s) {
        return CauseChain.firstLine(s).strip();
    }
}
