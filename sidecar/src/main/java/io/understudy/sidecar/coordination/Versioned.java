package io.understudy.sidecar.coordination;

/** A value read from a znode together with the znode version it was read at (for conditional writes). */
public record Versioned<T>(T value, int version) {}
