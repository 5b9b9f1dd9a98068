package io.understudy.sidecar.config;

import java.util.Objects;

/**
 * A host and port to bind a server socket to. Written {@code host:port}; an IPv6 host is bracketed
 * ({@code [::1]:7001}). Port 0 asks the operating system for a free port.
 */
public record ListenAddress(String host, int port) {

    public ListenAddress {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("listen host is empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen port " + port + " is not in 0..65535");
        }
    }

    /**
     * Reads {@code host:port} or {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException when the text is not of that form
     */
    public static ListenAddress parse(String text) {
        String trimmed = text.strip();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            throw new IllegalArgumentException("expected host:port, found '" + text + "'");
        }
        String host = trimmed.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("an IPv6 host must be bracketed ([::1]:7001), found '" + text + "'");
        }
        String portText = trimmed.substring(colon + 1);
        if (!portText.chars().allMatch(c -> c >= '0' && c <= '9') || portText.length() > 5) {
            throw new IllegalArgumentException("port is not a number in 0..65535, found '" + text + "'");
        }
        return new ListenAddress(host, Integer.parseInt(portText));
    }

    /** True when the host is a wildcard that binds every interface ({@code 0.0.0.0} or {@code ::}). */
    public boolean isWildcard() {
        return isWildcardHost(host);
    }

    /** True for {@code 0.0.0.0}, {@code ::} and {@code [::]} (as {@link java.net.URI#getHost()} gives it). */
    static boolean isWildcardHost(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return bare.equals("0.0.0.0") || bare.equals("::") || bare.equals("0:0:0:0:0:0:0:0");
    }

    /**
     * True when both cannot be bound at once: same port (other than 0) on the same host, or on any host when
     * either is a wildcard.
     */
    public boolean clashesWith(ListenAddress other) {
        return port != 0
                && port == other.port
                && (host.equalsIgnoreCase(other.host) || isWildcard() || other.isWildcard());
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
