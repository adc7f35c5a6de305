package io.kbackup.core.internal;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.ClientListener;
import io.kbackup.KBackupException;
import io.kbackup.OperationListener;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.core.internal.layout.BackupDocument;
import io.kbackup.core.internal.layout.VeleroKeys;
import io.kbackup.core.internal.layout.VeleroPhases;
import java.time.Clock;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates one Kubernetes Event per ended backup or restore, in one namespace: involvedObject a
 * {@code velero.io/v1} Backup or Restore of the operation's name (there need not be one), reason
 * {@code Backup<Phase>} / {@code Restore<Phase>} with Velero's phase name, type {@code Normal} when
 * completed and {@code Warning} otherwise, source component {@code kbackup}. A refused Event is
 * logged (WARN) and never changes the operation. Turned on by {@code DirectOptions.eventsNamespace}.
 */
public final class OutcomeEvents implements ClientListener {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeEvents.class);
    /** The Event's {@code source.component} and {@code reportingComponent}. */
    public static final String COMPONENT = "kbackup";

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;

    public OutcomeEvents(KubernetesClient client, String namespace, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
    }

    @Override
    public void backupStarted(BackupHandle handle, BackupPlan plan) {
        handle.addListener(new OperationListener<BackupPhase, BackupInfo>() {
            @Override
            public void onEnd(String operation, BackupInfo info, KBackupException error) {
                BackupPhase phase = info != null ? info.phase() : BackupPhase.FAILED;
                String detail = info != null ? info.itemsBackedUp() + " items, " + info.errors() + " errors, " + info.warnings()
                        + " warnings" + (info.failureReason() != null ? "; " + info.failureReason() : "") : error.getMessage();
                emit("Backup", operation, VeleroPhases.name(phase), phase == BackupPhase.COMPLETED,
                        "Backup " + operation + " ended " + VeleroPhases.name(phase) + ": " + detail);
            }
        });
    }

    @Override
    public void restoreStarted(RestoreHandle handle, RestorePlan plan) {
        handle.addListener(new OperationListener<RestorePhase, RestoreInfo>() {
            @Override
            public void onEnd(String operation, RestoreInfo info, KBackupException error) {
                RestorePhase phase = info != null ? info.phase() : error instanceof io.kbackup.CorruptBackupException
                        ? RestorePhase.FAILED_VALIDATION : RestorePhase.FAILED;
                String detail = info != null ? info.itemsRestored() + " of " + info.itemsTotal() + " items restored, "
                        + info.failed() + " failed" + (info.failureReason() != null ? "; " + info.failureReason() : "")
                        : error.getMessage();
                emit("Restore", operation, VeleroPhases.name(phase), phase == RestorePhase.COMPLETED,
                        "Restore " + operation + " of backup " + plan.backupName() + " ended " + VeleroPhases.name(phase) + ": " + detail);
            }
        });
    }

    private void emit(String kind, String name, String phase, boolean normal, String message) {
        String now = BackupDocument.timestamp(clock.instant());
        Event event = new EventBuilder()
                .withNewMetadata().withGenerateName(name + ".").withNamespace(namespace).endMetadata()
                .withNewInvolvedObject().withApiVersion(VeleroKeys.API_VERSION).withKind(kind).withName(name)
                .withNamespace(namespace).endInvolvedObject()
                .withReason(kind + phase.substring(0, 1).toUpperCase(Locale.ROOT) + phase.substring(1))
                .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                .withType(normal ? "Normal" : "Warning").withCount(1).withFirstTimestamp(now).withLastTimestamp(now)
                .withNewSource().withComponent(COMPONENT).endSource().withReportingComponent(COMPONENT)
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
        } catch (RuntimeException e) {
            LOG.warn("Could not create the Event for {} {} in namespace {}: {}", kind.toLowerCase(Locale.ROOT), name, namespace,
                    e.getMessage());
        }
    }
}
