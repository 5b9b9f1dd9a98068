package io.understudy.sidecar.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.log.IdempotencyKey;
import io.understudy.sidecar.replication.WriteRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * The body of {@code POST /v1/entries/batch} and of its forwarded form {@code POST /peer/v1/forward-batch}:
 * {@code {"entries":[{"key","value"|"valueBase64","contentType","idempotencyKey","partition","durability"}]}}.
 * {@code value} is a JSON string (stored as its UTF-8 text) or any other JSON value (stored as its JSON text,
 * content type {@code application/json} unless given); {@code valueBase64} carries exact bytes (what a follower
 * forwards). Every breach is a 400 naming the item, e.g. {@code entries[3].idempotencyKey}.
 */
public final class BatchCodec {
    /** The most items one batch may hold. */
    public static final int MAX_ENTRIES = 1000;

    private static final String JSON_TYPE = "application/json";

    private final ObjectMapper json;

    public BatchCodec(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The batch's writes, in order.
     *
     * @param partitionOf the partition of an item without {@code partition}, from its key
     * @param durability the durability of an item without {@code durability}
     */
    public List<WriteRequest> decode(byte[] body, ToIntFunction<String> partitionOf, Durability durability) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequestException("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequestException("the body is not JSON: " + e.getMessage());
        }
        JsonNode entries = root == null ? null : root.get("entries");
        if (entries == null || !entries.isArray()) {
            throw new BadRequestException(
                    "the body must be {\"entries\":[...]}, an array of 1 to " + MAX_ENTRIES + " items");
        }
        if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            throw new BadRequestException("entries holds " + entries.size() + " items; expected 1 to " + MAX_ENTRIES);
        }
        List<WriteRequest> requests = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            requests.add(item("entries[" + i + "]", entries.get(i), partitionOf, durability));
        }
        return requests;
    }

    private static WriteRequest item(
            String name, JsonNode item, ToIntFunction<String> partitionOf, Durability fallback) {
        if (!item.isObject()) throw new BadRequestException(name + " must be an object");
        String key = WriteFields.key(name + ".key", text(name, item, "key", ""));
        JsonNode value = item.get("value");
        JsonNode base64 = item.get("valueBase64");
        if ((value == null) == (base64 == null)) {
            throw new BadRequestException(name + " must have exactly one of 'value' and 'valueBase64'");
        }
        byte[] payload;
        String defaultType = "";
        if (base64 != null) {
            if (!base64.isTextual()) throw new BadRequestException(name + ".valueBase64 must be a string");
            try {
                payload = Base64.getDecoder().decode(base64.asText());
            } catch (IllegalArgumentException e) {
                throw new BadRequestException(name + ".valueBase64 is not base64: " + e.getMessage());
            }
        } else if (value.isTextual()) {
            payload = value.asText().getBytes(StandardCharsets.UTF_8);
        } else {
            payload = value.toString().getBytes(StandardCharsets.UTF_8);
            defaultType = JSON_TYPE;
        }
        String contentType = text(name, item, "contentType", defaultType);
        String idempotencyKey =
                WriteFields.idempotencyKey(name + ".idempotencyKey", text(name, item, "idempotencyKey", null));
        Durability durability =
                WriteFields.durability(name + ".durability", text(name, item, "durability", null), fallback);
        int partition;
        JsonNode given = item.get("partition");
        if (given == null) partition = partitionOf.applyAsInt(key);
        else if (given.canConvertToInt() && given.isIntegralNumber() && given.asInt() >= 0) partition = given.asInt();
        else throw new BadRequestException(name + ".partition must be a whole number >= 0, was " + given);
        return new WriteRequest(
                partition,
                key,
                contentType,
                payload,
                durability,
                idempotencyKey == null ? null : IdempotencyKey.of(idempotencyKey, key, contentType, payload));
    }

    private static String text(String name, JsonNode item, String field, String fallback) {
        JsonNode node = item.get(field);
        if (node == null || node.isNull()) return fallback;
        if (!node.isTextual()) throw new BadRequestException(name + "." + field + " must be a string");
        return node.asText();
    }

    /** The forwarded form: every field explicit, the payload as exact bytes. */
    public byte[] encodeForwarded(List<WriteRequest> requests) {
        ObjectNode root = json.createObjectNode();
        ArrayNode entries = root.putArray("entries");
        for (WriteRequest r : requests) {
            ObjectNode item = entries.addObject()
                    .put("partition", r.partition())
                    .put("key", r.key())
                    .put("contentType", r.contentType())
                    .put("durability", r.durability().name().toLowerCase(Locale.ROOT))
                    .put("valueBase64", Base64.getEncoder().encodeToString(r.payload()));
            if (r.idempotency() != null)
                item.put("idempotencyKey", r.idempotency().key());
        }
        try {
            return json.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
