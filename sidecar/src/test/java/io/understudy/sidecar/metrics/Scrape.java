package io.understudy.sidecar.metrics;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;

/** Reads samples out of a Prometheus text-format scrape, for assertions. */
final class Scrape {
    private final String text;

    Scrape(String text) {
        this.text = text;
    }

    /** The lines of samples of {@code name} (exactly that name) whose labels contain every one of {@code labels}. */
    List<String> samples(String name, String... labels) {
        return text.lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> Arrays.stream(labels).allMatch(l::contains))
                .toList();
    }

    /** The value of the one sample of {@code name} with {@code labels} (e.g. {@code partition="0"}). */
    double value(String name, String... labels) {
        List<String> found = samples(name, labels);
        if (found.size() != 1) {
            fail("expected one sample of " + name + " with " + Arrays.toString(labels) + ", found " + found + " in\n"
                    + text);
        }
        String line = found.get(0);
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    boolean has(String line) {
        return text.lines().anyMatch(l -> l.equals(line));
    }

    @Override
    public String toString() {
        return text;
    }
}
