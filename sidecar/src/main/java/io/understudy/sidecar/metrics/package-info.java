/** Prometheus metrics: gauges over the replicas and delivery loops, counters and timers for writes. */
package io.understudy.sidecar.metrics;
