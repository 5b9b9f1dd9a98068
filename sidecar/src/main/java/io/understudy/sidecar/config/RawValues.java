package io.understudy.sidecar.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config as text, before any type is checked: the YAML file flattened to dotted keys, with environment
 * variables laid over it. Unknown keys stop here, so a typo cannot be silently ignored.
 */
final class RawValues {
    private static final Logger log = LoggerFactory.getLogger(RawValues.class);

    /** Immutable; a key written twice is an error rather than "last one wins". */
    private static final ObjectReader YAML =
            new ObjectMapper(new YAMLFactory()).reader().with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    /**
     * One key's text and where it came from.
     *
     * @param envName the environment variable it came from, or {@code null} when it came from the file
     */
    record RawValue(String text, String envName) {
        /** {@code " (from UNDERSTUDY_X)"} or nothing, to follow the key's name in a message. */
        String origin() {
            return envName == null ? "" : " (from " + envName + ")";
        }
    }

    private final Map<ConfigKey, RawValue> values;

    private RawValues(Map<ConfigKey, RawValue> values) {
        this.values = values;
    }

    /**
     * Reads {@code yaml} and lays {@code env} over it.
     *
     * @param source names the YAML in messages: {@code config file /etc/sidecar.yaml}
     * @throws ConfigException for YAML that does not parse, unknown keys, a key written twice, or a map or list
     *     where a value belongs
     */
    static RawValues read(String yaml, String source, Map<String, String> env) throws ConfigException {
        Map<ConfigKey, RawValue> values = new EnumMap<>(ConfigKey.class);
        JsonNode root = parseYaml(yaml, source);
        if (root != null && !root.isMissingNode() && !root.isNull()) {
            if (!root.isObject()) {
                throw new ConfigException(
                        null, source + ": expected a map of config keys at the top level, found " + describe(root));
            }
            flatten(root, "", values);
        }
        for (ConfigKey key : ConfigKey.values()) {
            String text = env.get(key.envName());
            if (text != null) {
                values.put(key, new RawValue(text, key.envName()));
            }
        }
        warnAboutUnknownVariables(env);
        return new RawValues(values);
    }

    Optional<RawValue> get(ConfigKey key) {
        return Optional.ofNullable(values.get(key));
    }

    private static JsonNode parseYaml(String yaml, String source) throws ConfigException {
        try {
            return YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException(
                    null,
                    source + " is not valid YAML" + where + ": "
                            + e.getOriginalMessage().lines().findFirst().orElse(""),
                    e);
        }
    }

    private static void flatten(JsonNode map, String prefix, Map<ConfigKey, RawValue> into) throws ConfigException {
        for (Map.Entry<String, JsonNode> field : map.properties()) {
            String path = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (ConfigKey.isSection(path)) {
                if (value.isObject()) {
                    flatten(value, path + ".", into);
                } else if (!value.isNull()) {
                    throw new ConfigException(
                            path,
                            "config key '" + path + "': expected a map of keys such as '" + path
                                    + ".<key>: value', found " + describe(value));
                }
                continue;
            }
            ConfigKey key = ConfigKey.byPath(path).orElseThrow(() -> unknownKey(path));
            if (value.isNull()) {
                continue; // "key:" with nothing after it reads as not set
            }
            if (value.isArray() && key.kind() == ConfigKey.Kind.PARTITION_LIST) {
                List<String> items = new ArrayList<>();
                for (JsonNode item : value) items.add(item.asText());
                value = new TextNode(String.join(",", items));
            }
            if (value.isContainerNode()) {
                throw new ConfigException(
                        path,
                        "config key '" + path + "': expected " + key.expectation() + ", found " + describe(value));
            }
            if (value.isBoolean() && key.kind() != ConfigKey.Kind.BOOLEAN) {
                // YAML 1.1 reads yes/no/on/off/y/n as booleans: "member: no" would otherwise become "false".
                throw new ConfigException(
                        path,
                        "config key '" + path + "': expected " + key.expectation() + ", found a YAML boolean ("
                                + value.asText() + "); quote the value if it is meant as text");
            }
            if (into.putIfAbsent(key, new RawValue(value.asText(), null)) != null) {
                throw new ConfigException(path, "config key '" + path + "' is set twice in the file");
            }
        }
    }

    private static ConfigException unknownKey(String path) {
        String hint = KeySpelling.closest(path)
                .map(known -> " (did you mean '" + known + "'?)")
                .orElse("");
        return new ConfigException(path, "unknown config key '" + path + "'" + hint);
    }

    /** Not an error: launch scripts may keep their own UNDERSTUDY_ variables; but a likely typo is worth a line. */
    private static void warnAboutUnknownVariables(Map<String, String> env) {
        for (String name : env.keySet()) {
            if (name.startsWith(ConfigKey.ENV_PREFIX)
                    && Arrays.stream(ConfigKey.values())
                            .noneMatch(k -> k.envName().equals(name))) {
                log.warn(
                        "environment variable {} is not a config key and is ignored{}",
                        name,
                        KeySpelling.closestEnvName(name)
                                .map(known -> " (did you mean " + known + "?)")
                                .orElse(""));
            }
        }
    }

    private static String describe(JsonNode node) {
        if (node.isObject()) {
            return "a map";
        }
        if (node.isArray()) {
            return "a list";
        }
        return "'" + node.asText() + "'";
    }
}
