package io.kbackup.storage.azure.internal;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
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
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/** Maps Azure SDK failures to kbackup's typed exceptions, with secrets scrubbed from every message. */
final class AzureErrors {

    private static final Pattern SIG = Pattern.compile("(?i)(sig=)[^&\\s\"']+");

    private final List<String> secrets;
    private final String where;

    /**
     * @param secrets strings never to print
     * @param where   the account and container, for messages
     */
    AzureErrors(List<String> secrets, String where) {
        this.secrets = List.copyOf(secrets);
        this.where = where;
    }

    /** Removes secrets and SAS signatures. */
    String scrub(String text) {
        String out = SecretMask.mask(text, secrets);
        return SIG.matcher(out).replaceAll("$1****");
    }

    /**
     * The typed exception for a failure of {@code action} (e.g. {@code "reading blob 'k'"}).
     *
     * @param key the blob key, for {@link NotFoundException#name()}; may be {@code null}
     */
    KBackupException map(Throwable e, String action, String key) {
        if (e instanceof KBackupException k) {
            return k;
        }
        BlobStorageException bse = CauseChain.find(e, BlobStorageException.class);
        if (bse != null) {
            int status = bse.getStatusCode();
            BlobErrorCode code = bse.getErrorCode();
            String detail = describe(bse);
            String msg = "Azure Blob " + where + ": " + action + " failed: " + detail;
            if (status == 404) {
                if (code == BlobErrorCode.CONTAINER_NOT_FOUND) {
                    return new NotFoundException(key, msg + ". The container does not exist: create it or correct the"
                            + " location's bucket.");
                }
                return new NotFoundException(key, msg);
            }
            if (status == 401 || status == 403) {
                return new StorageDeniedException(msg + ". " + (isBadCredentials(bse)
                        ? "Check the credentials: account key, SAS token (expiry, signature), or the identity's secret."
                        : "Grant the identity a data role such as 'Storage Blob Data Contributor' on the container,"
                                + " give the SAS token the missing permission, or allow this network in the account's firewall."),
                        null);
            }
            boolean retryable = status == 408 || status == 429 || status >= 500
                    || code == BlobErrorCode.SERVER_BUSY || code == BlobErrorCode.OPERATION_TIMED_OUT;
            return new StorageException(msg + (retryable ? ". The service is busy or failing; try again later." : "."),
                    null, retryable);
        }
        ClientAuthenticationException auth = CauseChain.find(e, ClientAuthenticationException.class);
        if (auth != null) {
            return new StorageDeniedException("Azure Blob " + where + ": " + action + " failed: could not obtain a token: "
                    + CauseChain.firstLine(scrub(auth.getMessage()))
                    + ". Check the tenant, client id and secret, or that the managed/workload identity is set up.", null);
        }
        Throwable unreachable = unreachableCause(e);
        if (unreachable != null) {
            return new StorageUnreachableException("Azure Blob " + where + ": " + action + " failed: cannot reach the"
                    + " service: " + unreachable.getClass().getSimpleName() + ": " + CauseChain.firstLine(scrub(unreachable.getMessage()))
                    + ". Check the endpoint / storage account name, DNS, proxy and firewall.", null);
        }
        IOException io = CauseChain.find(e, IOException.class);
        if (io != null) {
            return new StorageException("Azure Blob " + where + ": " + action + " failed: I/O error: "
                    + CauseChain.firstLine(scrub(io.getMessage())) + ". Try again.", null, true);
        }
        return new StorageException("Azure Blob " + where + ": " + action + " failed: " + e.getClass().getSimpleName()
                + ": " + CauseChain.firstLine(scrub(e.getMessage())), null, false);
    }

    /** Status, error code and the service's own message, scrubbed. */
    String describe(BlobStorageException e) {
        return e.getStatusCode() + " " + (e.getErrorCode() != null ? e.getErrorCode() : "") + ": "
                + scrub(serviceMessage(e));
    }

    private static final Pattern XML_MESSAGE = Pattern.compile("<Message>(.*?)</Message>", Pattern.DOTALL);
    private static final Pattern STATUS_LINE = Pattern.compile("Status code \\d+.*");

    /**
     * What the service said, without the SDK's generic "Signature did not match" hint that it puts
     * in front of every 403: the first line of the error's Message.
     */
    static String serviceMessage(BlobStorageException e) {
        String text = e.getServiceMessage() != null && !e.getServiceMessage().isBlank()
                ? e.getServiceMessage() : e.getMessage() == null ? "" : e.getMessage();
        java.util.regex.Matcher m = XML_MESSAGE.matcher(text);
        if (m.find()) {
            return CauseChain.firstLine(m.group(1)).strip();
        }
        java.util.regex.Matcher status = STATUS_LINE.matcher(text);
        return CauseChain.firstLine(status.find() ? status.group() : text).strip();
    }

    /** A 401/403 that refuses the credentials themselves, rather than a permission. */
    static boolean isBadCredentials(BlobStorageException e) {
        if (e.getStatusCode() == 401) {
            return true;
        }
        String code = e.getErrorCode() != null ? e.getErrorCode().toString() : "";
        if (code.equals("AuthenticationFailed") || code.equals("InvalidAuthenticationInfo")
                || code.equals("NoAuthenticationInformation")) {
            return true;
        }
        if (code.startsWith("Authorization") && !code.equals("AuthorizationFailure")) {
            return false;   // PermissionMismatch, ResourceTypeMismatch, SourceIPMismatch, ...: a permission
        }
        // Azure and Azurite say "Server failed to authenticate the request" for a bad signature or expired SAS.
        String lower = serviceMessage(e).toLowerCase(Locale.ROOT);
        return lower.contains("failed to authenticate") || lower.contains("signature") || lower.contains("expired");
    }

    /** The first cause that means "the service could not be reached", or {@code null}. */
    static Throwable unreachableCause(Throwable e) {
        return CauseChain.first(e, ConnectException.class, UnknownHostException.class, NoRouteToHostException.class,
                HttpConnectTimeoutException.class, HttpTimeoutException.class, SocketTimeoutException.class,
                TimeoutException.class, UnresolvedAddressException.class, SSLException.class,
                InterruptedIOException.class);
    }
}
