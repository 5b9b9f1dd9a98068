/**
 * The Understudy sidecar: {@link io.understudy.sidecar.Sidecar} composes one agent from its configuration; the
 * sub-packages hold its parts (config, coordination, log, replication, delivery, api, metrics, cli).
 */
package io.understudy.sidecar;
