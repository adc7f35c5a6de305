package io.kbackup.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the field ({@code KubernetesClient} or {@code TestCluster}) whose cluster
 * {@link ClusterSnapshot} and {@link RestoreBackup} use, when a test class has more than one. A
 * class-level snapshot reads a static field before all tests: initialise it where it is declared.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface SnapshotClient {}
