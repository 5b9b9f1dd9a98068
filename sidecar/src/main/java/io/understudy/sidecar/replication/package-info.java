/**
 * Replication of one partition's log: the leader side (a session per term, one sender per follower, commit
 * tracking), the follower side (epoch and log-matching checks, durable appends) and the election glue.
 */
package io.understudy.sidecar.replication;
