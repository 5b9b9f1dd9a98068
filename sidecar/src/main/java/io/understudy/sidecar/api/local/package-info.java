/** Handlers of the local API (host app to its own sidecar): entries, status, wait, health, metrics. */
package io.understudy.sidecar.api.local;
