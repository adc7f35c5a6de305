package io.kbackup.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the examples' console output readable: java.util.logging of the mock API server and Vert.x at WARNING.
 * slf4j-simple's levels come from {@code simplelogger.properties} on the classpath (warn by default).
 */
public final class Logging {

    /** Held so the levels set on them are not lost to garbage collection. */
    private static final List<Logger> QUIETED = new ArrayList<>();

    private Logging() {}

    public static synchronized void quiet() {
        if (!QUIETED.isEmpty()) {
            return;
        }
        // the last two print request headers (tokens) and bodies (Secret data) at CONFIG/FINE: never below INFO
        for (String name : List.of("io.fabric8.mockwebserver", "io.vertx", "io.netty", "okhttp3", "com.google.api.client.http",
                "jdk.httpclient")) {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(Level.WARNING);
            QUIETED.add(logger);
        }
    }
}
