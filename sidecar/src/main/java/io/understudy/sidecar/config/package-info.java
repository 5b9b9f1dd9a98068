/**
 * The sidecar's configuration: an immutable record tree ({@link io.understudy.sidecar.config.SidecarConfig}) and
 * the one loader that builds it from a YAML file and {@code UNDERSTUDY_*} environment variables, checking every key.
 */
package io.understudy.sidecar.config;
