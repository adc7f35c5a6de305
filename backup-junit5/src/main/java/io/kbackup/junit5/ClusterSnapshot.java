package io.kbackup.junit5;

import io.kbackup.ClusterWideMode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Snapshots part of a cluster before tests and puts it back after them, so that every test starts
 * from the same state and leaves nothing behind.
 *
 * <p>On a <b>class</b>: the selection is captured before all tests (before {@code @BeforeAll}
 * methods) and put back after all tests; with {@link #eachTest()} (the default) it is also captured
 * before the first test (after {@code @BeforeAll} methods, so their fixtures stay) and put back after
 * every test (after {@code @AfterEach} methods). On a <b>method</b>: captured before that test, put
 * back after it.
 *
 * <p>The snapshot is a kbackup backup into an in-memory location; putting it back is a reset
 * ({@link io.kbackup.RestorePlan.Builder#reset()}): it lists the selection, acts only on what
 * differs (objects the test created are deleted, changed ones reverted, deleted ones recreated) and
 * so costs what the test changed, not the size of the namespaces. Objects a reset never touches
 * (those owned by a controller, Events, Leases, Endpoints, the default ServiceAccount, ...) are
 * left to the cluster: see {@link io.kbackup.PrunePolicy}. A selected namespace that did not exist
 * at the snapshot is deleted. A failed test gets its cluster put back too. When the cluster does not
 * match the snapshot afterwards ({@link #settleSeconds()} given for deletions to finish), the test (or
 * class) fails with a {@link ClusterNotResetException} listing each object that was not put back.
 *
 * <p>The cluster comes from {@link #cluster()}; with {@link SnapshotCluster#AUTO}: a field annotated
 * {@link SnapshotClient} (or the one field of type {@code KubernetesClient} or {@code TestCluster}),
 * else the cluster of the test kit's {@code EmbeddedClusterExtension} or {@code RealClusterExtension}
 * registered on the class (declare it before this annotation).
 *
 * <pre>{@code
 * @ExtendWith(RealClusterExtension.class)
 * @ClusterSnapshot(namespaces = "shop")
 * class ShopIT {
 *     @Test
 *     void createsAnOrder(KubernetesClient client) { ... } // whatever it does to "shop" is undone after
 * }
 * }</pre>
 *
 * Test classes on different namespaces may run in parallel (JUnit's
 * {@code junit.jupiter.execution.parallel.mode.classes.default=concurrent}); two classes must not
 * snapshot the same namespace at the same time, and the tests of one class run one at a time (the
 * harness fails a test that starts while another of its class runs).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(ClusterSnapshotExtension.class)
public @interface ClusterSnapshot {

    /** The namespaces to snapshot and put back. Give namespaces, {@link #labels()}, or both. */
    String[] namespaces() default {};

    /**
     * Only objects with all these labels, each {@code key=value}. Without {@link #namespaces()}, in
     * every namespace.
     */
    String[] labels() default {};

    /**
     * Cluster-scoped objects: {@link ClusterWideMode#AUTO} (the default) snapshots and reverts those the
     * selected objects use (their CRDs, PersistentVolumes, ClusterRoles binding their ServiceAccounts)
     * but deletes none; {@link ClusterWideMode#ALWAYS} (which needs {@link #labels()}) also deletes the
     * labelled cluster-scoped objects a test created; {@link ClusterWideMode#NEVER} leaves them all.
     */
    ClusterWideMode clusterWideMode() default ClusterWideMode.AUTO;

    /** Resource types left out of the snapshot and the reset ({@code plural} or {@code plural.group}). */
    String[] excludedResources() default {};

    /** On a class: also put the cluster back after every test (default true). Ignored on a method. */
    boolean eachTest() default true;

    /** Where the cluster comes from. Default {@link SnapshotCluster#AUTO}. */
    SnapshotCluster cluster() default SnapshotCluster.AUTO;

    /** With {@link SnapshotCluster#KUBECONFIG}: the kubeconfig context; empty for the current one. */
    String context() default "";

    /** How long the harness waits for deletions (and controllers) to settle before it says what was not put back. */
    int settleSeconds() default 30;
}
