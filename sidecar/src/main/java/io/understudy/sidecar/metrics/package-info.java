/** Prometheus metrics: gauges over the partitions, counters and latency histograms, elections and ISR changes. */
package io.understudy.sidecar.metrics;
