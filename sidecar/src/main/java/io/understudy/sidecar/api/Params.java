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

    /** An int parameter: a value that does not fit an int is a 400, never silently truncated. */
    public static int requiredInt(HttpServerExchange exchange, String name, int min) {
        String value = string(exchange, name, null);
        if (value == null) throw new BadRequestException("query parameter '" + name + "' is required");
        return (int) parse(name, value, min, Integer.MAX_VALUE);
    }

    public static int optionalInt(HttpServerExchange exchange, String name, int fallback, int min) {
        String value = string(exchange, name, null);
        return value == null ? fallback : (int) parse(name, value, min, Integer.MAX_VALUE);
    }

    private static long parse(String name, String value, long min) {
        return parse(name, value, min, Long.MAX_VALUE);
    }

    private static long parse(String name, String value, long min, long max) {
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < min || parsed > max) throw new NumberFormatException();
            return parsed;
        } catch (NumberFormatException e) {
            String range = max == Long.MAX_VALUE ? " >= " + min : " from " + min + " to " + max;
            throw new BadRequestException(
                    "query parameter '" + name + "' must be a whole number" + range + ", was '" + value + "'");
        }
    }
}
