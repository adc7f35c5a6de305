package io.kbackup.junit5;

import java.util.List;

/**
 * The cluster could not be put back to its snapshot: the test (or the class) fails with this, its
 * message listing each object that differs from the snapshot and why ({@link #leftovers()}).
 */
public final class ClusterNotResetException extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final transient List<String> leftovers;

    ClusterNotResetException(String what, List<String> leftovers) {
        super("@ClusterSnapshot could not put the cluster back after " + what + "; " + leftovers.size()
                + (leftovers.size() == 1 ? " difference remains" : " differences remain") + ":\n  - " + String.join("\n  - ", leftovers));
        this.leftovers = List.copyOf(leftovers);
    }

    /** Each object not put back, as {@code <what would still be done> <group-resource> <ns>/<name>: <why>}. */
    public List<String> leftovers() {
        return leftovers;
    }
}
