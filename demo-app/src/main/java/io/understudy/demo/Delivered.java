package io.understudy.demo;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One committed entry as the catalog applies it: the payload already decoded to the item's value.
 * A {@code null} key marks an entry that is not an item write; it still occupies its index.
 */
public record Delivered(long index, long epoch, String key, JsonNode value) {}
