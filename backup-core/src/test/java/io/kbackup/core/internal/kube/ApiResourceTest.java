package io.kbackup.core.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiResourceTest {
    private static final Set<String> ALL = Set.of("list", "get", "create", "delete", "watch", "update", "patch");
    private final ApiResource deployments = new ApiResource("apps", "v1", "deployments", "Deployment", "deployment", true, ALL, List.of("deploy"));
    private final ApiResource pods = new ApiResource("", "v1", "pods", "Pod", "pod", true, ALL, List.of("po"));

    @Test
    void groupResourceIsVelerosFolderName() {
        assertThat(pods.groupResource()).isEqualTo("pods");
        assertThat(pods.groupVersion()).isEqualTo("v1");
        assertThat(deployments.groupResource()).isEqualTo("deployments.apps");
        assertThat(deployments.groupVersion()).isEqualTo("apps/v1");
    }

    @Test
    void matchesUserNamesByPluralGroupKindOrShortName() {
        assertThat(deployments.matches("deployments")).isTrue();
        assertThat(deployments.matches("deployments.apps")).isTrue();
        assertThat(deployments.matches("Deployment")).isTrue();
        assertThat(deployments.matches("deploy")).isTrue();
        assertThat(deployments.matches("*")).isTrue();
        assertThat(deployments.matches("deployments.extensions")).isFalse();
        assertThat(deployments.matches("pods")).isFalse();
        assertThat(pods.matches("po")).isTrue();
        assertThat(pods.matches("pods.apps")).isFalse();
    }

    @Test
    void backupableNeedsListGetCreateAndDelete() {
        assertThat(pods.backupable()).isTrue();
        assertThat(new ApiResource("", "v1", "bindings", "Binding", "", true, Set.of("create"), List.of()).backupable()).isFalse();
        assertThat(new ApiResource("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", "", false,
                Set.of("create"), List.of()).backupable()).isFalse();
    }
}
