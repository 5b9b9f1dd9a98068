/**
 * Snapshots of a partition's applied state, taken from the host app through the delivery protocol and kept in the
 * data directory, so that a log can be trimmed below them and a member far behind (or new, or restored from a
 * backup) can start from one. See docs/design.md, "Snapshots and a bounded log".
 */
package io.understudy.sidecar.snapshot;
