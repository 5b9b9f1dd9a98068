package io.understudy.sidecar.replication;

/** A completed switchover: {@code to} leads {@code partition} in {@code epoch}, which {@code from} led before. */
public record SwitchoverResult(int partition, String from, String to, long epoch) {}
