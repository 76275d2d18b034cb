package ar.connector.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The README's configuration table names every {@code connector.*} property the application knows:
 * those of {@link ConnectorProperties} and those set in any application*.yaml. A property added
 * without its row fails here, so the table stays complete while several people add properties.
 */
class ReadmePropertiesTest {

    private static final Pattern ROW_KEY = Pattern.compile("`(connector\\.[a-z0-9.-]+)`");

    @Test
    void everyConnectorPropertyHasARowInTheReadmeTable() throws IOException {
        Set<String> known = new TreeSet<>();
        collect("connector", ConnectorProperties.class, known);
        known.addAll(yamlKeys());
        assertThat(known).as("properties found").contains("connector.data-dir", "connector.contabilium.rate-limit.block");

        Set<String> documented = readmeTableKeys();
        assertThat(documented).as("README configuration table").containsAll(known);
    }

    /** Keys of the README's table rows (lines starting with '|' whose first cell is a property). */
    private static Set<String> readmeTableKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (!line.startsWith("| `connector.")) {
                continue;
            }
            String firstCell = line.substring(1, line.indexOf('|', 1));
            Matcher m = ROW_KEY.matcher(firstCell);
            while (m.find()) {
                keys.add(m.group(1));
            }
        }
        return keys;
    }

    /** The record tree of ConnectorProperties, as the kebab-case keys Spring binds. */
    private static void collect(String prefix, Class<?> type, Set<String> out) {
        for (RecordComponent component : type.getRecordComponents()) {
            String key = prefix + "." + kebab(component.getName());
            Class<?> child = component.getType();
            if (child.isRecord() && child.getName().startsWith(ConnectorProperties.class.getName())) {
                collect(key, child, out);
            } else {
                out.add(key);
            }
        }
    }

    private static Set<String> yamlKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src", "main", "resources"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("application.*\\.ya?ml")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (Object document : new Yaml().loadAll(in)) {
                        if (document instanceof Map<?, ?> root && root.get("connector") instanceof Map<?, ?> connector) {
                            flatten("connector", connector, keys);
                        }
                    }
                }
            }
        }
        return keys;
    }

    private static void flatten(String prefix, Map<?, ?> map, Set<String> out) {
        map.forEach((key, value) -> {
            String path = prefix + "." + key;
            if (value instanceof Map<?, ?> nested) {
                flatten(path, nested, out);
            } else {
                out.add(path);
            }
        });
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
