package io.understudy.sidecar.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds the known key an unknown one was probably meant to be, for "did you mean" hints. */
final class KeySpelling {
    private KeySpelling() {}

    /** The known key or section closest to {@code path}, when it is close enough to be a typo. */
    static Optional<String> closest(String path) {
        List<String> known = Stream.concat(
                        Arrays.stream(ConfigKey.values()).map(ConfigKey::path), ConfigKey.sections().stream())
                .toList();
        Optional<String> typo = closestOf(path, known);
        if (typo.isPresent()) {
            return typo;
        }
        // The right word in the wrong section ("app.token"): suggest it when only one key has that name.
        String leaf = path.substring(path.lastIndexOf('.') + 1);
        List<String> sameLeaf = known.stream()
                .filter(candidate ->
                        candidate.substring(candidate.lastIndexOf('.') + 1).equalsIgnoreCase(leaf))
                .toList();
        return sameLeaf.size() == 1 ? Optional.of(sameLeaf.get(0)) : Optional.empty();
    }

    /** The key's environment variable closest to {@code name}, when it is close enough to be a typo. */
    static Optional<String> closestEnvName(String name) {
        return closestOf(
                name, Arrays.stream(ConfigKey.values()).map(ConfigKey::envName).toList());
    }

    private static Optional<String> closestOf(String word, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(word.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int allowed = Math.max(1, Math.min(3, word.length() / 4));
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein edit distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
