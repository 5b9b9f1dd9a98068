/**
 * Delivery of committed entries to the host app: one ordered loop per partition, the app's confirmed position
 * kept on disk, and the waiters of read-your-writes.
 */
package io.understudy.sidecar.delivery;
