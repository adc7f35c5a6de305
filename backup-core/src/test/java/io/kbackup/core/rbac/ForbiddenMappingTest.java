package io.kbackup.core.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.ClusterForbiddenException;
import io.kbackup.ClusterRefusedException;
import io.kbackup.core.internal.kube.KubeRetry;
import org.junit.jupiter.api.Test;

/** Which 403s are missing permissions: the authorizer's, not an admission plugin's. */
class ForbiddenMappingTest {

    private static KubernetesClientException http403(String message) {
        return new KubernetesClientException(new StatusBuilder().withCode(403).withReason("Forbidden").withMessage(message).build());
    }

    @Test
    void anAdmissionRefusalIsNotAPermissionProblem() {
        KubernetesClientException e = http403("pods \"web-1\" is forbidden: no PriorityClass with name high was found");
        ClusterRefusedException refused = KubeRetry.refused("Could not restore pods shop/web-1", e);
        assertThat(refused).isNotInstanceOf(ClusterForbiddenException.class);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(KubeRetry.describe(e)).isEqualTo("HTTP 403: pods \"web-1\" is forbidden: no PriorityClass with name high was found");
    }

    @Test
    void theAuthorizersDenialNamesVerbResourceAndNamespace() {
        KubernetesClientException e = http403("volumesnapshots.snapshot.storage.k8s.io is forbidden: User \"system:serviceaccount:a:b\""
                + " cannot deletecollection resource \"volumesnapshots\" in API group \"snapshot.storage.k8s.io\" in the namespace \"shop\"");
        ClusterForbiddenException f = (ClusterForbiddenException) KubeRetry.refused("Could not delete", e);
        assertThat(f.verb()).isEqualTo("deletecollection");
        assertThat(f.resource()).isEqualTo("volumesnapshots.snapshot.storage.k8s.io");
        assertThat(f.namespace()).isEqualTo("shop");
        assertThat(f.getMessage()).startsWith("Could not delete: HTTP 403: forbidden to deletecollection "
                + "volumesnapshots.snapshot.storage.k8s.io in namespace shop. Grant");
    }
}
