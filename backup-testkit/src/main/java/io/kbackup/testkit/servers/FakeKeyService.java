package io.kbackup.testkit.servers;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The base of an in-process fake of a cloud key service (a {@link LoopbackJsonServer}): keys a test
 * can deny, which the subclass then refuses as the real service refuses a caller without the
 * permission, and a log of the key operations it served, for tests to read back.
 */
public abstract class FakeKeyService extends LoopbackJsonServer {
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    /** Starts serving the requests under {@code pathPrefix}. */
    protected FakeKeyService(String pathPrefix) throws IOException {
        super(pathPrefix);
    }

    /** From now on, every operation on {@code key} is refused for lack of permission. */
    public void deny(String key) {
        denied.add(key);
    }

    /** True when {@link #deny} was called for {@code key}. */
    protected boolean isDenied(String key) {
        return denied.contains(key);
    }

    /** Adds one served operation to {@link #calls()}. */
    protected void served(String call) {
        calls.add(call);
    }

    /** The operations served so far, oldest first, one line each as the subclass wrote it. */
    public List<String> calls() {
        return new ArrayList<>(calls);
    }
}
