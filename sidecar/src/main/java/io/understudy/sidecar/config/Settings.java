package io.understudy.sidecar.config;

import io.understudy.sidecar.config.ConfigKey.Default.Presence;
import io.understudy.sidecar.config.RawValues.RawValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Typed reads of the raw values, with the defaults of {@link ConfigKey} applied. Every failure is a
 * {@link ConfigException} naming the key, where the value came from, what was expected and what was found.
 */
final class Settings {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final RawValues raw;

    Settings(RawValues raw) {
        this.raw = raw;
    }

    /** Turns a key's text into a value; throws {@link IllegalArgumentException} when the text is not one. */
    @FunctionalInterface
    private interface Reader<T> {
        T read(String text, ConfigKey key);
    }

    String id(ConfigKey key) throws ConfigException {
        return required(key, (text, k) -> {
            check(ID.matcher(text).matches());
            return text;
        });
    }

    String text(ConfigKey key) throws ConfigException {
        return required(key, (text, k) -> {
            check(!text.isBlank());
            return text;
        });
    }

    int integer(ConfigKey key) throws ConfigException {
        return Math.toIntExact(required(key, Settings::number));
    }

    long number(ConfigKey key) throws ConfigException {
        return required(key, Settings::number);
    }

    Duration millis(ConfigKey key) throws ConfigException {
        return Duration.ofMillis(required(key, Settings::number));
    }

    boolean bool(ConfigKey key) throws ConfigException {
        return required(key, (text, k) -> {
            check(text.strip().equalsIgnoreCase("true") || text.strip().equalsIgnoreCase("false"));
            return Boolean.parseBoolean(text.strip());
        });
    }

    ListenAddress listen(ConfigKey key) throws ConfigException {
        return required(key, (text, k) -> ListenAddress.parse(text));
    }

    Path path(ConfigKey key) throws ConfigException {
        return required(key, (text, k) -> {
            check(!text.isBlank());
            try {
                return Path.of(text.strip());
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(e);
            }
        });
    }

    Durability durability(ConfigKey key) throws ConfigException {
        return required(key, (text, k) -> Durability.parse(text));
    }

    Fsync fsync(ConfigKey key) throws ConfigException {
        return required(key, (text, k) -> Fsync.parse(text));
    }

    Compression compression(ConfigKey key) throws ConfigException {
        return required(key, (text, k) -> Compression.parse(text));
    }

    /** A set of partition numbers, from "0, 2" (a YAML list arrives joined by commas); empty when not set. */
    Set<Integer> partitions(ConfigKey key) throws ConfigException {
        Optional<RawValue> value = valueOrDefault(key);
        if (value.isEmpty() || value.get().text().isBlank()) return Set.of();
        return parse(key, value.get(), (text, k) -> {
            Set<Integer> partitions = new TreeSet<>();
            for (String part : text.replace("[", "").replace("]", "").split(",")) {
                int partition = Integer.parseInt(part.strip());
                check(partition >= 0);
                partitions.add(partition);
            }
            return Collections.unmodifiableSet(partitions);
        });
    }

    /** An optional URL: empty when not set, or set to an empty string (which turns it off from the environment). */
    Optional<URI> optionalUrl(ConfigKey key) throws ConfigException {
        Optional<RawValue> value = valueOrDefault(key);
        if (value.isEmpty() || value.get().text().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(parse(key, value.get(), Settings::httpUrl));
    }

    /** A URL that falls back to {@code derived} when not set. */
    URI url(ConfigKey key, String derived) throws ConfigException {
        RawValue value = valueOrDefault(key).orElse(new RawValue(derived, null));
        return parse(key, value, Settings::httpUrl);
    }

    /** Reads {@code key} as its kind says, for nothing but the {@link ConfigException} a bad value raises. */
    void check(ConfigKey key) throws ConfigException {
        switch (key.kind()) {
            case ID -> id(key);
            case TEXT -> text(key);
            case LISTEN -> listen(key);
            case HTTP_URL -> optionalUrl(key);
            case PATH -> path(key);
            case NUMBER -> number(key);
            case MILLIS -> millis(key);
            case BOOLEAN -> bool(key);
            case DURABILITY -> durability(key);
            case FSYNC -> fsync(key);
        }
    }

    private <T> T required(ConfigKey key, Reader<T> reader) throws ConfigException {
        Optional<RawValue> value = valueOrDefault(key);
        if (value.isEmpty()) {
            throw new ConfigException(
                    key.path(),
                    "config key '" + key.path() + "' is required (set it in the file or " + key.envName() + ")");
        }
        return parse(key, value.get(), reader);
    }

    private Optional<RawValue> valueOrDefault(ConfigKey key) {
        Optional<RawValue> value = raw.get(key);
        if (value.isEmpty() && key.fallback().presence() == Presence.VALUE) {
            return Optional.of(new RawValue(key.fallback().text(), null));
        }
        return value;
    }

    private static <T> T parse(ConfigKey key, RawValue value, Reader<T> reader) throws ConfigException {
        try {
            return reader.read(value.text(), key);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ConfigException(
                    key.path(),
                    "config key '" + key.path() + "'" + value.origin() + ": expected " + key.expectation() + ", found '"
                            + value.text() + "'",
                    e);
        }
    }

    private static long number(String text, ConfigKey key) {
        long value = Long.parseLong(text.strip()); // NumberFormatException is an IllegalArgumentException
        check(value >= key.min() && value <= key.max());
        return value;
    }

    private static URI httpUrl(String text, ConfigKey key) {
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme();
            check(uri.isAbsolute()
                    && uri.getHost() != null
                    && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")));
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void check(boolean valid) {
        if (!valid) {
            throw new IllegalArgumentException();
        }
    }
}
