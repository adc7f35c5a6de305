package io.kbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The CLI keeps the HTTP libraries' wire and header logs (tokens, Secret data) off unless the user set them. */
class WireLogsQuietTest {

    @Test
    void wireLoggersAreOffByDefaultAndAnExplicitLevelIsKept() {
        String chosen = "org.slf4j.simpleLogger.log.okhttp3";
        System.setProperty(chosen, "debug");
        try {
            KBackupCli.run(new String[] {"--help"}, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Map.of());
            for (String name : KBackupCli.WIRE_LOGGERS) {
                if (!name.equals("okhttp3")) {
                    assertThat(System.getProperty("org.slf4j.simpleLogger.log." + name)).as(name).isEqualTo("off");
                }
            }
            assertThat(KBackupCli.WIRE_LOGGERS).contains("org.apache.hc.client5.http.wire", "software.amazon.awssdk.request",
                    "io.fabric8.kubernetes.client.http.HttpLoggingInterceptor");
            assertThat(System.getProperty(chosen)).isEqualTo("debug");
            for (String jul : new String[] {"com.google.api.client.http", "jdk.httpclient"}) {
                assertThat(Logger.getLogger(jul).isLoggable(Level.CONFIG)).as(jul).isFalse();
            }
        } finally {
            System.clearProperty(chosen);
        }
    }
}
