package io.understudy.sidecar.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Config enums are written as their lower-case constant names; this is the one place that maps them. */
final class EnumNames {
    private EnumNames() {}

    static <E extends Enum<E>> E parse(Class<E> type, String text) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text.strip())) {
                return constant;
            }
        }
        throw new IllegalArgumentException("expected one of " + choices(type) + ", found '" + text + "'");
    }

    static String configName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** {@code "sync, async"}. */
    static String choices(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(EnumNames::configName).collect(Collectors.joining(", "));
    }
}
