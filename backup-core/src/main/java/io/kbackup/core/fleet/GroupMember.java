package io.kbackup.core.fleet;

import io.kbackup.BackupClient;
import io.kbackup.InvalidPlanException;
import io.kbackup.core.direct.DirectEngine;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** A member of a {@link ClusterGroup}: its engine and its health check. */
record GroupMember(BackupClient client, MemberHealth health) {
    /** What group and member names must be. */
    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /**
     * Checks a member about to join {@code members} under {@code name}.
     *
     * @throws InvalidPlanException when the name is not a DNS label or already a member
     */
    static GroupMember joining(Map<String, ?> members, String name, BackupClient client, MemberHealth health) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(health, "health");
        if (name == null || !DNS_LABEL.matcher(name).matches()) {
            throw new InvalidPlanException("Cluster group member name '" + name
                    + "' is not a DNS label (lower-case letters, digits and '-', at most 63 characters).");
        }
        if (members.containsKey(name)) {
            throw new InvalidPlanException("Cluster group member '" + name + "' was added twice.");
        }
        return new GroupMember(client, health);
    }

    /** {@code /readyz} of the engine's cluster for a DirectEngine; no check for other clients. */
    static MemberHealth defaultHealth(BackupClient client) {
        if (client instanceof DirectEngine d) {
            return MemberHealth.readyz(d.client());
        }
        return MemberHealth.ALWAYS;
    }

    /** Runs the health check, at most {@code timeout}; a member that is not ready is skipped. */
    void requireReady(String member, Duration timeout) {
        MemberHealth.Status status;
        try {
            status = health.check(timeout);
        } catch (RuntimeException e) {
            status = MemberHealth.Status.unreachable("the health check failed: " + e);
        }
        if (status == null || !status.ready()) {
            SkipReason reason = status == null ? SkipReason.UNREACHABLE : status.reason();
            throw new GroupRun.Skip(reason, "member '" + member + "' skipped: " + (status == null ? "no health status" : status.message()));
        }
    }
}
