package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.CorruptBackupException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one mapping between our types and Velero's {@code velero.io/v1 Backup} document, used by both
 * engines:
 *
 * <ul>
 *   <li>{@link #spec(BackupPlan)}: a plan as a Backup {@code spec} (the VeleroEngine creates Backup
 *       CRs from it; the DirectEngine writes it into {@code velero-backup.json});</li>
 *   <li>{@link #backup(String, String, BackupPlan, Instant)}: a whole Backup CR without status;</li>
 *   <li>{@link #document(String, BackupPlan, Instant, Status)}: the {@code velero-backup.json} the
 *       DirectEngine stores (metadata, spec, status);</li>
 *   <li>{@link #toInfo(JsonNode)} / {@link #parse(String, byte[])}: any Backup document, ours or
 *       Velero's (unknown fields ignored), as a {@link BackupInfo}.</li>
 * </ul>
 *
 * <p>Field names and encodings are Velero's: {@code ttl} as a Go duration ({@code 720h0m0s}),
 * timestamps as RFC 3339 UTC seconds ({@code 2026-11-21T02:00:00Z}), {@code includeClusterResources}
 * {@code true}/absent/{@code false} for ALWAYS/AUTO/NEVER, labels
 * {@code velero.io/storage-location} and {@code velero.io/schedule-name}. Stateless, thread-safe.
 */
public final class BackupDocument {
    public static final String KIND = "Backup";
    /** Velero's install namespace, used as {@code metadata.namespace} of documents we write. */
    public static final String DEFAULT_NAMESPACE = "velero";
    /** {@code status.version} Velero writes. */
    public static final int STATUS_VERSION = 1;
    /**
     * kbackup's annotation holding the expiry of a backup whose {@code status.expiration} is kept
     * from Velero ({@link #hideExpirationFromVelero}); read when {@code status.expiration} is absent.
     */
    public static final String EXPIRATION_ANNOTATION = "kbackup.io/expiration";

    private BackupDocument() {}

    /**
     * What {@code status} says of a backup. Counts of zero and null times are left out of the JSON.
     *
     * @param phase                    the phase
     * @param start                    {@code status.startTimestamp}; may be null
     * @param completion               {@code status.completionTimestamp}; null while running
     * @param expiration               {@code status.expiration}; may be null
     * @param totalItems               {@code status.progress.totalItems}
     * @param itemsBackedUp            {@code status.progress.itemsBackedUp}
     * @param errors                   {@code status.errors}
     * @param warnings                 {@code status.warnings}
     * @param failureReason            {@code status.failureReason}; null when none
     * @param volumeSnapshotsAttempted {@code status.csiVolumeSnapshotsAttempted}
     * @param volumeSnapshotsCompleted {@code status.csiVolumeSnapshotsCompleted}
     */
    public record Status(
            BackupPhase phase,
            Instant start,
            Instant completion,
            Instant expiration,
            long totalItems,
            long itemsBackedUp,
            int errors,
            int warnings,
            String failureReason,
            int volumeSnapshotsAttempted,
            int volumeSnapshotsCompleted) {
        public Status {
            Objects.requireNonNull(phase, "phase");
        }
    }

    // ------------------------------------------------------------------ plan -> Velero

    /**
     * The Backup {@code spec} for a plan: includedNamespaces, excludedNamespaces, includedResources,
     * excludedResources (each left out when empty), labelSelector ({@code matchLabels}, left out
     * when empty), includeClusterResources ({@link VeleroValues#includeClusterResources}, left out for AUTO),
     * snapshotVolumes ({@link BackupPlan#includeAllDisks()}), ttl (Go duration) and storageLocation
     * (the location's name).
     */
    public static ObjectNode spec(BackupPlan plan) {
        ObjectNode spec = GzipJson.MAPPER.createObjectNode();
        putStrings(spec, "includedNamespaces", plan.includedNamespaces().stream().sorted().toList());
        putStrings(spec, "excludedNamespaces", plan.excludedNamespaces().stream().sorted().toList());
        putStrings(spec, "includedResources", plan.includedResources());
        putStrings(spec, "excludedResources", plan.excludedResources());
        if (!plan.labelSelector().isEmpty()) {
            ObjectNode match = spec.putObject("labelSelector").putObject("matchLabels");
            plan.labelSelector().forEach(match::put);
        }
        Boolean cluster = VeleroValues.includeClusterResources(plan.clusterWideMode());
        if (cluster != null) {
            spec.put("includeClusterResources", cluster);
        }
        spec.put("snapshotVolumes", plan.includeAllDisks());
        spec.put("ttl", GoDuration.format(plan.expiry()));
        spec.put("storageLocation", plan.location().name());
        return spec;
    }

    /** The Backup's labels: the plan's labels plus {@code velero.io/storage-location=<location name>}. */
    public static Map<String, String> labels(BackupPlan plan) {
        Map<String, String> labels = new LinkedHashMap<>(plan.labels());
        labels.put(VeleroKeys.STORAGE_LOCATION, plan.location().name());
        return labels;
    }

    /**
     * A Backup CR without status: {@code apiVersion}, {@code kind}, {@code metadata} (name,
     * namespace, labels from {@link #labels(BackupPlan)}, creationTimestamp when {@code created}
     * is not null) and {@link #spec(BackupPlan)}.
     */
    public static ObjectNode backup(String name, String namespace, BackupPlan plan, Instant created) {
        ObjectNode doc = GzipJson.MAPPER.createObjectNode();
        doc.put("apiVersion", VeleroKeys.API_VERSION);
        doc.put("kind", KIND);
        ObjectNode meta = doc.putObject("metadata");
        meta.put("name", name);
        meta.put("namespace", namespace);
        if (created != null) {
            meta.put("creationTimestamp", timestamp(created));
        }
        ObjectNode labels = meta.putObject("labels");
        labels(plan).forEach(labels::put);
        doc.set("spec", spec(plan));
        return doc;
    }

    /** The {@code status} object: version 1, formatVersion 1.1.0 and the given values. */
    public static ObjectNode status(Status s) {
        ObjectNode st = GzipJson.MAPPER.createObjectNode();
        st.put("version", STATUS_VERSION);
        st.put("formatVersion", ArchivePaths.FORMAT_VERSION);
        st.put("phase", VeleroPhases.name(s.phase()));
        if (s.expiration() != null) {
            st.put("expiration", timestamp(s.expiration()));
        }
        if (s.start() != null) {
            st.put("startTimestamp", timestamp(s.start()));
        }
        if (s.completion() != null) {
            st.put("completionTimestamp", timestamp(s.completion()));
        }
        ObjectNode progress = st.putObject("progress");
        progress.put("totalItems", s.totalItems());
        progress.put("itemsBackedUp", s.itemsBackedUp());
        if (s.volumeSnapshotsAttempted() > 0) {
            st.put("csiVolumeSnapshotsAttempted", s.volumeSnapshotsAttempted());
            st.put("csiVolumeSnapshotsCompleted", s.volumeSnapshotsCompleted());
        }
        if (s.errors() > 0) {
            st.put("errors", s.errors());
        }
        if (s.warnings() > 0) {
            st.put("warnings", s.warnings());
        }
        if (s.failureReason() != null && !s.failureReason().isEmpty()) {
            st.put("failureReason", s.failureReason());
        }
        return st;
    }

    /** The whole {@code velero-backup.json} of a DirectEngine backup (namespace {@value #DEFAULT_NAMESPACE}). */
    public static ObjectNode document(String name, BackupPlan plan, Instant created, Status status) {
        ObjectNode doc = backup(name, DEFAULT_NAMESPACE, plan, created);
        doc.set("status", status(status));
        return doc;
    }


    /**
     * Moves {@code status.expiration} into the {@link #EXPIRATION_ANNOTATION} annotation, for a
     * backup Velero must not expire itself: Velero's sync copies a document's status as it is, and its
     * garbage collection files a DeleteBackupRequest for every Backup whose {@code status.expiration}
     * has passed and skips one without it. {@link #toInfo} reads the annotation, so kbackup's expiry
     * and retention work as before. Does nothing when the status has no expiration.
     */
    public static ObjectNode hideExpirationFromVelero(ObjectNode doc) {
        if (doc.path("status") instanceof ObjectNode status && status.has("expiration")) {
            annotations(doc).put(EXPIRATION_ANNOTATION, status.remove("expiration").asText());
        }
        return doc;
    }

    /** The document's {@code metadata.annotations}, added when it has none. */
    public static ObjectNode annotations(ObjectNode doc) {
        ObjectNode meta = (ObjectNode) doc.path("metadata");
        return meta.path("annotations") instanceof ObjectNode a ? a : meta.putObject("annotations");
    }

    /**
     * Adds the source cluster's version annotations Velero puts on every Backup (its restore
     * reads them to choose API group versions); nothing when {@code version} is null.
     */
    public static ObjectNode annotateSourceCluster(ObjectNode doc, io.fabric8.kubernetes.client.VersionInfo version) {
        if (version == null) {
            return doc;
        }
        ObjectNode annotations = annotations(doc);
        if (version.getGitVersion() != null) {
            annotations.put(VeleroKeys.SOURCE_CLUSTER_GIT_VERSION, version.getGitVersion());
        }
        if (version.getMajor() != null) {
            annotations.put(VeleroKeys.SOURCE_CLUSTER_MAJOR, version.getMajor());
        }
        if (version.getMinor() != null) {
            annotations.put(VeleroKeys.SOURCE_CLUSTER_MINOR, version.getMinor());
        }
        if (annotations.isEmpty()) {
            ((ObjectNode) doc.path("metadata")).remove("annotations");
        }
        return doc;
    }

    /** The stored bytes of a document: compact JSON and {@code \n}. */
    public static byte[] toBytes(ObjectNode doc) {
        return GzipJson.json(doc);
    }

    // ------------------------------------------------------------------ Velero -> BackupInfo

    /**
     * Parses a stored {@code velero-backup.json}.
     *
     * @param name  the backup (folder) name, for messages
     * @throws CorruptBackupException when it is not JSON or not a Backup document
     */
    public static BackupInfo parse(String name, byte[] bytes) {
        JsonNode doc = GzipJson.tree(bytes, e -> new CorruptBackupException(name, "velero-backup.json of backup '" + name
                + "' is not valid JSON (" + e.getMessage() + "); the backup cannot be described or restored.", e));
        if (doc == null || !doc.isObject() || !KIND.equals(doc.path("kind").asText(KIND))
                || !doc.path("metadata").path("name").isTextual()) {
            throw new CorruptBackupException(name, "velero-backup.json of backup '" + name
                    + "' is not a velero.io/v1 Backup with metadata.name.");
        }
        try {
            return toInfo(doc);
        } catch (RuntimeException e) {
            throw new CorruptBackupException(name, "velero-backup.json of backup '" + name + "' has a malformed field: "
                    + e.getMessage(), e);
        }
    }

    /** A Backup document (ours or Velero's) as {@link BackupInfo}; fields we do not use are ignored. */
    public static BackupInfo toInfo(JsonNode doc) {
        JsonNode meta = doc.path("metadata");
        JsonNode spec = doc.path("spec");
        JsonNode status = doc.path("status");
        Map<String, String> labels = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = meta.path("labels").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            labels.put(e.getKey(), e.getValue().asText());
        }
        JsonNode icr = spec.get("includeClusterResources");
        Boolean includeCluster = icr == null || icr.isNull() ? null : icr.asBoolean();
        int nativeAttempted = status.path("volumeSnapshotsAttempted").asInt(0);
        int csiAttempted = status.path("csiVolumeSnapshotsAttempted").asInt(0);
        boolean disks = spec.path("snapshotVolumes").asBoolean(false)
                || spec.path("defaultVolumesToFsBackup").asBoolean(false)
                || spec.path("defaultVolumesToRestic").asBoolean(false)
                || nativeAttempted + csiAttempted > 0;
        return BackupInfo.builder()
                .name(meta.path("name").asText())
                .veleroPhase(status.path("phase").asText(null))
                .location(spec.path("storageLocation").asText(null))
                .created(time(meta.get("creationTimestamp")))
                .started(time(status.get("startTimestamp")))
                .completed(time(status.get("completionTimestamp")))
                .expires(time(status.has("expiration") ? status.get("expiration") : meta.path("annotations").get(EXPIRATION_ANNOTATION)))
                .includedNamespaces(namespaces(spec.get("includedNamespaces")))
                .excludedNamespaces(strings(spec.get("excludedNamespaces")))
                .includesDisks(disks)
                .clusterWideMode(VeleroValues.clusterWideMode(includeCluster))
                .itemsTotal(status.path("progress").path("totalItems").asLong(0))
                .itemsBackedUp(status.path("progress").path("itemsBackedUp").asLong(0))
                .volumeSnapshotsAttempted(nativeAttempted + csiAttempted)
                .volumeSnapshotsCompleted(status.path("volumeSnapshotsCompleted").asInt(0) + status.path("csiVolumeSnapshotsCompleted").asInt(0))
                .errors(status.path("errors").asInt(0))
                .warnings(status.path("warnings").asInt(0))
                .failureReason(emptyToNull(status.path("failureReason").asText(null)))
                .scheduleName(labels.get(VeleroKeys.SCHEDULE_NAME))
                .labels(labels)
                .build();
    }

    /** The TTL in a spec, or null when absent or not a Go duration. */
    public static Duration ttl(JsonNode spec) {
        String ttl = spec.path("ttl").asText("");
        if (ttl.isEmpty()) {
            return null;
        }
        try {
            return GoDuration.parse(ttl);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ encodings

    /** RFC 3339 UTC at second precision, as Kubernetes' {@code metav1.Time}. */
    public static String timestamp(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Parses an RFC 3339 timestamp (any offset, optional fraction). */
    public static Instant parseTime(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }

    private static Instant time(JsonNode n) {
        if (n == null || n.isNull() || n.asText().isEmpty()) {
            return null;
        }
        return parseTime(n.asText());
    }

    private static List<String> namespaces(JsonNode n) {
        List<String> list = strings(n);
        return list.equals(List.of("*")) ? List.of() : list;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(e -> out.add(e.asText()));
        }
        return out;
    }

    private static void putStrings(ObjectNode node, String field, Collection<String> values) {
        if (!values.isEmpty()) {
            ArrayNode a = node.putArray(field);
            values.forEach(a::add);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
