package io.understudy.demo;

import io.undertow.server.HttpServerExchange;
import java.util.Deque;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads and checks query and path parameters; bad values become 400s that name the parameter. */
final class Query {
    private Query() {}

    static Optional<String> text(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    static OptionalLong number(HttpServerExchange exchange, String name, long min, long max) {
        Optional<String> raw = text(exchange, name);
        if (raw.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long value = Long.parseLong(raw.get());
            if (value >= min && value <= max) {
                return OptionalLong.of(value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("query parameter '" + name + "' must be a whole number from " + min + " to " + max
                + ", got '" + raw.get() + "'");
    }
}
