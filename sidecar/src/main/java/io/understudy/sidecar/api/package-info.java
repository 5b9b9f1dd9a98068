/**
 * The HTTP surfaces: the local API for the host app and the peer API between members. One route table, one
 * error mapper; handlers only translate HTTP to calls on the replication and delivery parts.
 */
package io.understudy.sidecar.api;
