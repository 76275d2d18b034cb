package ar.connector.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

import ar.connector.ConnectorApplication;

/**
 * The whole application on a random port with the {@code test} profile. Every class using exactly
 * this annotation (and nothing else that changes the context) shares one cached Spring context.
 * Both API base URLs point at the shared {@link TestSandboxes}. Metrics export stays on (Spring Boot tests turn it off by default) so {@code /actuator/prometheus}
 * exists as in production.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@SpringBootTest(classes = ConnectorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ContextConfiguration(initializers = TestSandboxes.class)
@AutoConfigureObservability(tracing = false)
public @interface ConnectorTest {

    String ADMIN_USER = "admin";
    String ADMIN_PASSWORD = "test-admin-password";
}
