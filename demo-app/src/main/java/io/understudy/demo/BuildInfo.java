package io.understudy.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The demo app's version and git commit, from {@code build-info.properties} filtered by the build; {@code unknown}
 * for what the build did not fill in (a build outside git has no commit). The sidecar has the same record: the demo
 * app stands alone as any host app would, so it does not depend on the sidecar's jar.
 */
record BuildInfo(String version, String commit) {
    static final String UNKNOWN = "unknown";

    static BuildInfo current() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("build-info.properties")) {
            Properties properties = new Properties();
            if (in != null) properties.load(in);
            return new BuildInfo(known(properties.getProperty("version")), known(properties.getProperty("commit")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read build-info.properties from the jar", e);
        }
    }

    private static String known(String value) {
        return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value.trim();
    }

    String describe(String program) {
        return program + " " + version + " (commit " + commit + ")";
    }
}
