package ar.connector.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import ar.connector.api.ApiMetrics;
import ar.connector.config.ConnectorProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Builds the production API clients' inputs without a Spring context: {@link ConnectorProperties}
 * bound from a property map exactly as Spring Boot binds {@code connector.*} (defaults included),
 * and an {@link ApiMetrics} on a {@link SimpleMeterRegistry}.
 */
public final class TestConnector {

    private TestConnector() {
    }

    /** {@code key = value} pairs without the {@code connector.} prefix, e.g. {@code "contabilium.api-url", url}. */
    public static ConnectorProperties properties(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put("connector." + keyValues[i], String.valueOf(keyValues[i + 1]));
        }
        return new Binder(new MapConfigurationPropertySource(map)).bindOrCreate("connector", ConnectorProperties.class);
    }

    public static ApiMetrics metrics() {
        return new ApiMetrics(new SimpleMeterRegistry());
    }
}
