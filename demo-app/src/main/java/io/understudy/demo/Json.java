package io.understudy.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The app's one JSON codec: owned by {@link DemoApp} and handed to whoever needs it (no static
 * mapper). Parsing is strict: a body must be exactly one JSON value, trailing garbage is an error.
 */
public final class Json {
    private final ObjectMapper mapper;

    public Json() {
        this(new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
    }

    public Json(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectNode object() {
        return mapper.createObjectNode();
    }

    /** Parses exactly one JSON value; empty input and trailing tokens are errors. */
    public Optional<JsonNode> parse(byte[] bytes) {
        try {
            JsonNode node = mapper.readTree(bytes);
            return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Reads one JSON value; the exception says why not (see {@link #reason(IOException)}). */
    public JsonNode read(byte[] bytes) throws IOException {
        JsonNode node = mapper.readTree(bytes);
        if (node == null || node.isMissingNode()) {
            throw new IOException("the body is empty");
        }
        return node;
    }

    /** A payload as the catalog stores it: its JSON value, or its UTF-8 text as a JSON string. */
    public JsonNode valueOfPayload(byte[] payload) {
        return parse(payload).orElseGet(() -> TextNode.valueOf(new String(payload, StandardCharsets.UTF_8)));
    }

    /** A parse failure in one line: the parser's reason and where, without Jackson's source dump. */
    public static String reason(IOException e) {
        if (e instanceof JsonProcessingException parse && parse.getLocation() != null) {
            String message = parse.getOriginalMessage();
            int detail = message.indexOf(" (");
            return (detail > 0 ? message.substring(0, detail) : message) + " at line "
                    + parse.getLocation().getLineNr() + ", column "
                    + parse.getLocation().getColumnNr();
        }
        return String.valueOf(e.getMessage());
    }

    public byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Reply reply(int status, JsonNode body) {
        return new Reply(status, "application/json", bytes(body));
    }

    public Reply error(int status, String message) {
        return reply(status, object().put("error", message));
    }
}
