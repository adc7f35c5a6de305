package io.kbackup.junit5;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs scenario test classes (nested in the ITs, so that Maven does not run them itself) with the JUnit launcher. */
final class Scenarios {
    private Scenarios() {}

    /**
     * What happened to one test or class.
     *
     * @param name    its display name
     * @param test    whether it is a test (not a class)
     * @param result  its outcome
     */
    record Outcome(String name, boolean test, TestExecutionResult result) {
        boolean failed() {
            return result.getStatus() != TestExecutionResult.Status.SUCCESSFUL;
        }

        String message() {
            return result.getThrowable().map(t -> t + (t.getSuppressed().length > 0 ? " + suppressed " + List.of(t.getSuppressed()) : ""))
                    .orElse("");
        }
    }

    static List<Outcome> run(Map<String, String> config, Class<?>... classes) {
        LauncherDiscoveryRequestBuilder b = LauncherDiscoveryRequestBuilder.request().configurationParameters(config);
        for (Class<?> c : classes) {
            b.selectors(selectClass(c));
        }
        LauncherDiscoveryRequest request = b.build();
        List<Outcome> out = Collections.synchronizedList(new ArrayList<>());
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.getSource().isPresent()) {
                    out.add(new Outcome(id.getDisplayName(), id.isTest(), result));
                }
            }
        });
        return List.copyOf(out);
    }
}
