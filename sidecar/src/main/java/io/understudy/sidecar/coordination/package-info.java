/**
 * Coordination through ZooKeeper: the group's config znode, member heartbeats (ephemeral nodes), each
 * partition's state znode (epoch, leader, ISR) and its leader latch. ZooKeeper and Curator live here only.
 */
package io.understudy.sidecar.coordination;
