package io.kbackup.junit5;

import io.kbackup.BackupLocation;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Loads a golden backup into the cluster before all tests of a class: a Velero-format folder (a
 * bucket's root, holding {@code backups/<name>/...}) on the test class path, e.g. under
 * {@code src/test/resources}, or a backup in a {@link BackupLocation}. With {@link #namespaces()}
 * the load is a reset ({@link io.kbackup.RestorePlan.Builder#reset()}): those namespaces become
 * exactly the backup's; without, every namespace of the backup is restored, existing objects
 * updated. With {@link ClusterSnapshot} on the same class, the class snapshot is taken first, so the
 * golden data goes again after all tests; each test starts from the golden state.
 *
 * <pre>{@code
 * @ClusterSnapshot(namespaces = "shop", cluster = SnapshotCluster.EMBEDDED)
 * @RestoreBackup(folder = "golden", backup = "shop-golden", namespaces = "shop")
 * class CatalogIT { ... }
 * }</pre>
 *
 * The cluster is the one of {@link ClusterSnapshot} on the class, or else found as
 * {@link SnapshotCluster#AUTO} says. When the load does not complete, the class fails with the
 * restore's errors.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(ClusterSnapshotExtension.class)
public @interface RestoreBackup {

    /** The backup's name. */
    String backup();

    /** A class-path folder holding the bucket layout ({@code backups/<backup>/...}). Give this or {@link #location()}. */
    String folder() default "";

    /** Makes the location that holds the backup (a public no-argument constructor). Give this or {@link #folder()}. */
    Class<? extends Supplier<BackupLocation>> location() default NoLocation.class;

    /** The backup's namespaces to load (a reset of each); empty: all of the backup (restored, existing objects updated). */
    String[] namespaces() default {};

    /** Backup namespace to target namespace, each {@code from=to}. */
    String[] namespaceMapping() default {};

    /** How long the load may take, in seconds. */
    int timeoutSeconds() default 300;

    /** The default of {@link #location()}: none. */
    final class NoLocation implements Supplier<BackupLocation> {
        private NoLocation() {}

        @Override
        public BackupLocation get() {
            throw new UnsupportedOperationException();
        }
    }
}
