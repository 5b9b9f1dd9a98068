package io.understudy.sidecar.replication;

/**
 * The acknowledgement of a write: the version a client can wait for. The write is the entry at
 * {@code (partition, index)} only while that index holds an entry of {@code epoch}.
 */
public record Ack(int partition, long epoch, long index, String leader) {}
