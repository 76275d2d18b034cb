package ar.connector.scheduling;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesFunction;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The placeholder function {@code {{millis:connector.polling.interval}}}: a duration property as
 * Spring Boot reads it ({@code 5m}, {@code 10s}, {@code 500ms}, ISO-8601) in milliseconds. Quartz's
 * trigger interval ({@code trigger.repeatInterval}) takes a plain number of milliseconds, while the
 * connector's intervals are written as durations.
 */
@Component
public class DurationMillis implements PropertiesFunction, CamelContextConfiguration {

    private final Environment environment;

    public DurationMillis(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        camelContext.getPropertiesComponent().addPropertiesFunction(this);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing to do once started
    }

    @Override
    public String getName() {
        return "millis";
    }

    @Override
    public String apply(String property) {
        String value = environment.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Property " + property + " is not set");
        }
        return String.valueOf(DurationStyle.detectAndParse(value.trim()).toMillis());
    }
}
