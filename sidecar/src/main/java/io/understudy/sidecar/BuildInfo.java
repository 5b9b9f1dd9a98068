package io.understudy.sidecar;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Which build this is: the Maven version and the git commit, from {@code build-info.properties} beside this class,
 * filtered by the build (the parent POM's git-commit-id plugin gives the commit). A build outside git, or classes
 * run without the build's resource step, say {@value #UNKNOWN} for what they do not know.
 *
 * @param version the project version, e.g. {@code 0.1.0}
 * @param commit the abbreviated git commit, e.g. {@code abc1234}
 */
public record BuildInfo(String version, String commit) {
    public static final String UNKNOWN = "unknown";
    static final String RESOURCE = "build-info.properties";

    /** This jar's build. */
    public static BuildInfo current() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            Properties properties = new Properties();
            if (in != null) properties.load(in);
            return of(properties);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the jar", e);
        }
    }

    /** From the filtered properties: a value the build did not fill in (still {@code ${...}}) is unknown. */
    static BuildInfo of(Properties properties) {
        return new BuildInfo(known(properties.getProperty("version")), known(properties.getProperty("commit")));
    }

    private static String known(String value) {
        return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value.trim();
    }

    /** What {@code --version} prints, e.g. {@code understudy-sidecar 0.1.0 (commit abc1234)}. */
    public String describe(String program) {
        return program + " " + version + " (commit " + commit + ")";
    }
}
