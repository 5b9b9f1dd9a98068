package io.understudy.sidecar.api;

import io.undertow.server.HttpServerExchange;
import java.util.Deque;

/** Query parameters, with 400s that name the parameter. */
public final class Params {
    private Params() {}

    public static String string(HttpServerExchange exchange, String name, String fallback) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? fallback : values.getFirst();
    }

    public static long requiredLong(HttpServerExchange exchange, String name, long min) {
        String value = string(exchange, name, null);
        if (value == null) throw new BadRequestException("query parameter '" + name + "' is required");
        return parse(name, value, min);
    }

    public static long optionalLong(HttpServerExchange exchange, String name, long fallback, long min) {
        String value = string(exchange, name, null);
        return value == null ? fallback : parse(name, value, min);
    }

    private static long parse(String name, String value, long min) {
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < min) throw new NumberFormatException();
            return parsed;
        } catch (NumberFormatException e) {
            throw new BadRequestException(
                    "query parameter '" + name + "' must be a whole number >= " + min + ", was '" + value + "'");
        }
    }
}
