/**
 * The durable side of a member: the segmented, CRC-checked log of each partition with its recovery, and the
 * data directory (lock, data dir id, clean-shutdown marker, small durable values). Depends on nothing else.
 */
package io.understudy.sidecar.log;
