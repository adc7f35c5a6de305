package io.kbackup.core.internal.snapshot;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kbackup.core.internal.layout.VeleroKeys;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Velero's choice of a VolumeSnapshotClass for a claim: (1) the class named by the claim's
 * annotation {@code velero.io/csi-volumesnapshot-class}; (2) the class for the driver labelled
 * {@code velero.io/csi-volumesnapshot-class}; (3) the driver's default class (annotation
 * {@code snapshot.storage.kubernetes.io/is-default-class: "true"}); (4) the only class for the
 * driver. Where several classes qualify at one step, the first by name wins (deterministic).
 * Immutable, thread-safe.
 */
public final class SnapshotClassSelector {

    /** A chosen class and the rule that chose it. */
    public record Choice(GenericKubernetesResource snapshotClass, String rule) {
        public String name() {
            return snapshotClass.getMetadata().getName();
        }

        /** The class's {@code deletionPolicy} ({@code Retain} or {@code Delete}). */
        public String deletionPolicy() {
            Object p = snapshotClass.get("deletionPolicy");
            return p == null ? "" : p.toString();
        }
    }

    /** Why no class could be chosen. */
    public static final class NoClass extends Exception {
        private static final long serialVersionUID = 1L;

        NoClass(String message) {
            super(message, null, false, false);
        }
    }

    private final List<GenericKubernetesResource> classes;

    public SnapshotClassSelector(List<GenericKubernetesResource> classes) {
        this.classes = classes.stream().sorted(Comparator.comparing(c -> c.getMetadata().getName())).toList();
    }

    /**
     * The class for a claim of {@code driver}.
     *
     * @param claimAnnotations the claim's annotations, may be null
     * @throws NoClass when no rule finds one (the message says what to add)
     */
    public Choice choose(Map<String, String> claimAnnotations, String driver) throws NoClass {
        String named = claimAnnotations == null ? null : SnapshotApi.text(claimAnnotations.get(VeleroKeys.CSI_SNAPSHOT_CLASS));
        if (named != null) {
            for (GenericKubernetesResource c : classes) {
                if (c.getMetadata().getName().equals(named)) {
                    if (!driver.equals(c.get("driver"))) {
                        throw new NoClass("the claim's annotation " + VeleroKeys.CSI_SNAPSHOT_CLASS + " names VolumeSnapshotClass '"
                                + named + "', which is for driver '" + c.get("driver") + "', not '" + driver + "'");
                    }
                    return new Choice(c, "annotation " + VeleroKeys.CSI_SNAPSHOT_CLASS + " on the claim");
                }
            }
            throw new NoClass("the claim's annotation " + VeleroKeys.CSI_SNAPSHOT_CLASS + " names VolumeSnapshotClass '" + named
                    + "', which does not exist");
        }
        List<GenericKubernetesResource> forDriver = classes.stream().filter(c -> driver.equals(c.get("driver"))).toList();
        for (GenericKubernetesResource c : forDriver) {
            Map<String, String> labels = c.getMetadata().getLabels();
            if (labels != null && labels.containsKey(VeleroKeys.CSI_SNAPSHOT_CLASS)) {
                return new Choice(c, "label " + VeleroKeys.CSI_SNAPSHOT_CLASS);
            }
        }
        for (GenericKubernetesResource c : forDriver) {
            Map<String, String> annotations = c.getMetadata().getAnnotations();
            if (annotations != null && "true".equals(annotations.get(SnapshotApi.DEFAULT_CLASS_ANNOTATION))) {
                return new Choice(c, "the driver's default class");
            }
        }
        if (forDriver.size() == 1) {
            return new Choice(forDriver.get(0), "the only class for the driver");
        }
        if (forDriver.isEmpty()) {
            throw new NoClass("no VolumeSnapshotClass exists for driver '" + driver + "'; create one (deletionPolicy Retain)");
        }
        throw new NoClass(forDriver.size() + " VolumeSnapshotClasses exist for driver '" + driver + "' and none is chosen;"
                + " label one " + VeleroKeys.CSI_SNAPSHOT_CLASS + "=true or annotate it " + SnapshotApi.DEFAULT_CLASS_ANNOTATION
                + "=\"true\"");
    }
}
