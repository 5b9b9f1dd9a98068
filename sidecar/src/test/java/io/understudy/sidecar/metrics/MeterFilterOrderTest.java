package io.understudy.sidecar.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** Micrometer warns at every start when a meter filter is configured after the first meter: operators read it. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MeterFilterOrderTest {

    @Test
    void buildingTheMetricsLogsNoWarning() {
        Logger registryLog = (Logger) LoggerFactory.getLogger(PrometheusMeterRegistry.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        registryLog.addAppender(seen);
        try (SidecarMetrics metrics = new SidecarMetrics("g", "node-1", 1, Clock.systemUTC())) {
            List<String> warnings = seen.list.stream()
                    .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
            assertEquals(List.of(), warnings);
        } finally {
            registryLog.detachAppender(seen);
        }
    }
}
