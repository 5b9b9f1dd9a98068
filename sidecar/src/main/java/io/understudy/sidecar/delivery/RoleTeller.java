package io.understudy.sidecar.delivery;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the app told of its member's current role in one partition ({@link RoleNotice}): sends the newest notice
 * whenever it differs from the last one the app took, and again after a backoff when the app refused it. Confined
 * to the partition's delivery thread.
 */
final class RoleTeller {
    private static final Logger log = LoggerFactory.getLogger(RoleTeller.class);

    private final String tag;
    private final int partition;
    private final HostAppClient app;
    private final Supplier<RoleNotice> current;
    private final Duration retryBackoff;
    private RoleNotice taken;
    private long nextAttempt;
    private long refusals;

    RoleTeller(String tag, int partition, HostAppClient app, Supplier<RoleNotice> current, Duration retryBackoff) {
        this.tag = tag;
        this.partition = partition;
        this.app = app;
        this.current = current;
        this.retryBackoff = retryBackoff;
    }

    /** Sends the current role unless the app already took it, or refused it less than a backoff ago. */
    void tell() throws InterruptedException {
        RoleNotice now = current.get();
        if (now.equals(taken) || System.nanoTime() - nextAttempt < 0) return;
        try {
            app.notifyRole(partition, now);
            if (taken == null || !taken.role().equals(now.role()) || taken.epoch() != now.epoch()) {
                log.info("{} told the app: {} in epoch {}, leader {}", tag, now.role(), now.epoch(), now.leader());
            }
            taken = now;
            refusals = 0;
        } catch (IOException e) {
            nextAttempt = System.nanoTime() + retryBackoff.toNanos();
            if (refusals++ == 0) {
                log.warn("{} the app did not take its role ({}), sending until it does: {}", tag, now, e.toString());
            }
        }
    }

    /** The app may have restarted and forgotten its role: tell it again. */
    void appMayHaveRestarted() {
        taken = null;
    }
}
