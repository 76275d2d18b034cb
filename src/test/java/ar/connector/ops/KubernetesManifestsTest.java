package ar.connector.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ar.connector.config.ConnectorProperties;

/**
 * The manifests under camel-k/ (SPEC §6): every file parses, uses the current API version of its
 * kind (Camel K's Integration is camel.apache.org/v1; no KameletBinding), and refers only to
 * settings the connector reads and to ConfigMaps and Secrets defined beside it. A property key
 * counts as read when it is a {@code connector.*} property of {@link ConnectorProperties} or a
 * {@code spring.*} property that Spring Boot's configuration metadata declares.
 */
class KubernetesManifestsTest {

    static final Path FOLDER = Path.of(System.getProperty("basedir", "."), "camel-k");
    static final Map<String, String> API_VERSIONS = Map.of(
            "Integration", "camel.apache.org/v1",
            "ConfigMap", "v1",
            "Secret", "v1",
            "Service", "v1",
            "Deployment", "apps/v1");
    static final String CONFIG_TREE = "optional:configtree:/etc/connector/config/,optional:configtree:/etc/connector/secrets/";

    static List<Map<String, Object>> documents;
    static Set<String> knownProperties;

    @BeforeAll
    static void load() throws IOException {
        documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(FOLDER)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
                    .toList()) {
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                        if (document != null) {
                            assertThat(document).as("a Kubernetes object in %s", file).isInstanceOf(Map.class);
                            documents.add(cast(document));
                        }
                    }
                }
            }
        }
        knownProperties = new HashSet<>();
        collect("connector", ConnectorProperties.class, knownProperties);
        knownProperties.addAll(springMetadataProperties());
    }

    @Test
    void everyManifestParsesAndUsesTheCurrentApiVersionOfItsKind() {
        assertThat(documents).extracting(d -> (String) d.get("kind"))
                .contains("Integration", "ConfigMap", "Secret", "Deployment", "Service")
                .doesNotContain("KameletBinding", "Kamelet", "Pipe");
        for (Map<String, Object> document : documents) {
            String kind = (String) document.get("kind");
            assertThat(API_VERSIONS).as("a known kind").containsKey(kind);
            assertThat(document.get("apiVersion")).as(kind).isEqualTo(API_VERSIONS.get(kind));
            assertThat(map(document, "metadata").get("name")).as(kind + " name").isNotNull();
        }
    }

    @Test
    void configMapAndSecretHoldOnlyPropertiesTheConnectorReads() {
        for (Map<String, Object> document : documents) {
            String kind = (String) document.get("kind");
            if (!kind.equals("ConfigMap") && !kind.equals("Secret")) {
                continue;
            }
            Set<String> keys = new HashSet<>();
            keys.addAll(map(document, "data").keySet());
            keys.addAll(map(document, "stringData").keySet());
            assertThat(keys).as(kind + " keys").isNotEmpty();
            for (String key : keys) {
                assertThat(knownProperties.contains(key)).as("%s key %s is a property the connector reads", kind, key)
                        .isTrue();
            }
        }
        Set<String> secretKeys = map(byKind("Secret"), "stringData").keySet();
        assertThat(secretKeys).as("the secrets the cluster profile requires")
                .contains("connector.secrets.key", "connector.admin.password", "spring.datasource.password");
        assertThat(map(byKind("ConfigMap"), "data").keySet()).as("the shared database and broker")
                .contains("spring.datasource.url", "spring.artemis.broker-url");
    }

    @Test
    void integrationAndDeploymentReadTheConfigAndSecretDefinedBesideThemAndProbeTheHealthGroups() throws IOException {
        String configMap = (String) map(byKind("ConfigMap"), "metadata").get("name");
        String secret = (String) map(byKind("Secret"), "metadata").get("name");

        Map<String, Object> traits = map(map(byKind("Integration"), "spec"), "traits");
        assertThat((String) map(traits, "container").get("image")).isNotBlank();
        assertThat(list(map(traits, "mount"), "resources")).containsExactlyInAnyOrder(
                "configmap:" + configMap + "@/etc/connector/config", "secret:" + secret + "@/etc/connector/secrets");
        Map<String, String> integrationEnv = list(map(traits, "environment"), "vars").stream()
                .map(v -> ((String) v).split("=", 2))
                .collect(Collectors.toMap(v -> v[0], v -> v[1]));
        assertEnvironment(integrationEnv);
        Map<String, Object> health = map(traits, "health");
        assertThat(health.get("livenessProbe")).isEqualTo("/actuator/health/liveness");
        assertThat(health.get("readinessProbe")).isEqualTo("/actuator/health/readiness");

        Map<String, Object> pod = map(map(map(byKind("Deployment"), "spec"), "template"), "spec");
        Map<String, Object> container = cast(list(pod, "containers").get(0));
        Map<String, String> deploymentEnv = list(container, "env").stream().map(KubernetesManifestsTest::cast)
                .collect(Collectors.toMap(e -> (String) e.get("name"), e -> String.valueOf(e.get("value"))));
        assertEnvironment(deploymentEnv);
        assertThat(map(map(container, "livenessProbe"), "httpGet").get("path")).isEqualTo("/actuator/health/liveness");
        assertThat(map(map(container, "readinessProbe"), "httpGet").get("path")).isEqualTo("/actuator/health/readiness");
        List<Object> volumes = list(pod, "volumes");
        Set<String> referenced = volumes.stream().map(KubernetesManifestsTest::cast).flatMap(v -> Stream.of(
                        (String) map(v, "configMap").get("name"), (String) map(v, "secret").get("secretName")))
                .filter(n -> n != null).collect(Collectors.toSet());
        assertThat(referenced).containsExactlyInAnyOrder(configMap, secret);
        Map<String, String> mounts = list(container, "volumeMounts").stream().map(KubernetesManifestsTest::cast)
                .collect(Collectors.toMap(m -> (String) m.get("mountPath"), m -> (String) m.get("name")));
        assertThat(mounts).containsOnlyKeys("/etc/connector/config", "/etc/connector/secrets");

        Map<String, Object> service = map(byKind("Service"), "spec");
        assertThat(map(service, "selector"))
                .isEqualTo(map(map(map(map(byKind("Deployment"), "spec"), "template"), "metadata"), "labels"));
    }

    /** Each variable is a property the connector reads, and the profile exists in its resources. */
    private void assertEnvironment(Map<String, String> env) {
        for (String name : env.keySet()) {
            assertThat(knownProperties.stream().map(KubernetesManifestsTest::envName).anyMatch(name::equals))
                    .as("environment variable %s binds to a property the connector reads", name).isTrue();
        }
        assertThat(env).containsEntry("SPRING_CONFIG_IMPORT", CONFIG_TREE);
        for (String profile : env.get("SPRING_PROFILES_ACTIVE").split(",")) {
            assertThat(KubernetesManifestsTest.class.getResource("/application-" + profile.trim() + ".yaml"))
                    .as("profile %s", profile).isNotNull();
        }
    }

    /** Spring Boot's relaxed binding from a property name to its environment variable. */
    static String envName(String property) {
        return property.replace("-", "").replace(".", "_").toUpperCase(Locale.ROOT);
    }

    /** The kebab-case property names of a @ConfigurationProperties record tree. */
    static void collect(String prefix, Class<?> type, Set<String> into) {
        for (RecordComponent component : type.getRecordComponents()) {
            String name = prefix + "." + component.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            Class<?> componentType = component.getType();
            if (componentType.isRecord()) {
                collect(name, componentType, into);
            } else {
                into.add(name);
                if (Collection.class.isAssignableFrom(componentType)
                        && component.getGenericType() instanceof ParameterizedType) {
                    into.add(name + "[0]");
                }
            }
        }
    }

    static Set<String> springMetadataProperties() throws IOException {
        Set<String> names = new HashSet<>();
        ObjectMapper json = new ObjectMapper();
        Enumeration<URL> resources = KubernetesManifestsTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json");
        while (resources.hasMoreElements()) {
            try (InputStream in = resources.nextElement().openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    names.add(property.path("name").asText());
                }
            }
        }
        assertThat(names).as("Spring Boot's metadata").contains("spring.datasource.url", "spring.artemis.broker-url");
        return names;
    }

    static Map<String, Object> byKind(String kind) {
        List<Map<String, Object>> found = documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertThat(found).as("one %s", kind).hasSize(1);
        return found.get(0);
    }

    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value == null ? Map.of() : cast(value);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }
}
