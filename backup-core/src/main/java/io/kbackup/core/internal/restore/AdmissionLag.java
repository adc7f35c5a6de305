package io.kbackup.core.internal.restore;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's admission plugins read some objects from an informer cache, not from etcd:
 * Priority admission refuses a pod whose PriorityClass was created a few milliseconds earlier
 * ({@code no PriorityClass with name high was found}, HTTP 403) until its cache has caught up. A
 * restore creates the PriorityClasses one tier before the pods, so a fast restore meets that gap.
 * This class remembers the PriorityClasses the restore created and tells such a refusal, which a
 * short wait mends, from a PriorityClass that is really missing (which stays an error at once).
 * Thread-safe.
 */
final class AdmissionLag {
    /** Waits between attempts, in milliseconds: about 3 s in all, far more than an informer's lag. */
    private static final long[] WAITS_MS = {25, 50, 100, 200, 400, 800, 1600};
    private static final Pattern MISSING_PRIORITY_CLASS = Pattern.compile("no PriorityClass with name (\\S+) was found");

    private final Set<String> createdPriorityClasses = ConcurrentHashMap.newKeySet();

    /** Notes an item the restore created; only PriorityClasses matter. */
    void created(IndexedItem item, String targetName) {
        if (item.groupResource.equals(RestoreSelection.PRIORITY_CLASSES)) {
            createdPriorityClasses.add(targetName);
        }
    }

    /**
     * How long to wait before trying {@code failure}'s request again, or -1 when it is not a lag
     * (another refusal, a PriorityClass this restore did not create, or the waits are used up).
     *
     * @param attempt how many times the request was tried again so far
     */
    long waitBeforeRetry(KubernetesClientException failure, int attempt) {
        if (failure.getCode() != 403 || attempt >= WAITS_MS.length || failure.getMessage() == null) {
            return -1;
        }
        Matcher m = MISSING_PRIORITY_CLASS.matcher(failure.getMessage());
        return m.find() && createdPriorityClasses.contains(m.group(1)) ? WAITS_MS[attempt] : -1;
    }
}
