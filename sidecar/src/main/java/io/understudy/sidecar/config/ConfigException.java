package io.understudy.sidecar.config;

/**
 * A configuration that cannot be used. The message is meant for the operator as it is: it names the key (or the
 * file), says what was expected and what was found, and where the value came from.
 */
public final class ConfigException extends Exception {
    private final String key;

    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    public ConfigException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /**
     * The config key at fault, as written in the file ({@code replication.minInSync}), or {@code null} when the
     * file as a whole is at fault (missing, unreadable, not YAML).
     */
    public String key() {
        return key;
    }
}
