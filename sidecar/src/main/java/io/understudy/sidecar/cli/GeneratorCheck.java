package io.understudy.sidecar.cli;

/**
 * Whether a write figure measures the sidecar or the client that drove it (issue 7's generator standard): the
 * {@code bench} command drives the same number of requests in flight at a no-op endpoint ({@code GET /v1/health})
 * with the same HTTP client; when the writes reach a quarter of that no-op rate or more, the client's own cost is a
 * large part of each write's time and the figure is a lower bound of what the sidecar takes, not a measurement of
 * it. ({@code scripts/bench-compare.sh} measures with {@code wrk}, whose no-op rate is many times any write rate.)
 */
final class GeneratorCheck {
    /** Writes at or above this fraction of the client's no-op rate are the client's figure. */
    static final double CLIENT_BOUND_FRACTION = 0.25;

    /** What a write figure measures. */
    enum Verdict {
        /** Far below the client's own ceiling: the figure is the sidecar's. */
        SIDECAR_BOUND,
        /** Close to the client's own ceiling: a lower bound, the client may be the bottleneck. */
        CLIENT_BOUND,
        /** The client's no-op rate is unknown (no successful no-op request). */
        UNCHECKED
    }

    private GeneratorCheck() {}

    static Verdict verdict(double writesPerSecond, double clientNoOpPerSecond) {
        if (!(clientNoOpPerSecond > 0)) return Verdict.UNCHECKED;
        return writesPerSecond >= CLIENT_BOUND_FRACTION * clientNoOpPerSecond
                ? Verdict.CLIENT_BOUND
                : Verdict.SIDECAR_BOUND;
    }
}
