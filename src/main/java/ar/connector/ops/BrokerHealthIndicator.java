package ar.connector.ops;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;

/**
 * Health component {@code jms} (in place of Spring Boot's): whether a connection to the broker can be
 * opened and started, answered within {@link #ANSWER_WITHIN_SECONDS} whatever the broker does. With
 * the broker gone, opening a connection through the shared (caching) connection factory can wait
 * behind the listener containers' reconnection attempts for the client's call timeout (30 s, more
 * than once); Spring Boot's indicator then held the health endpoint for a minute, so an operator or
 * a probe saw no answer instead of DOWN. The check runs on a thread of its own and at most one runs
 * at a time: a health call that finds it still waiting answers DOWN at once.
 */
@Component("jmsHealthContributor")
public class BrokerHealthIndicator implements HealthIndicator {

    static final int ANSWER_WITHIN_SECONDS = 3;

    private final ConnectionFactory connectionFactory;
    private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "broker-health");
        t.setDaemon(true);
        return t;
    });
    private Future<Health> pending;

    public BrokerHealthIndicator(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    @Override
    public Health health() {
        Future<Health> check;
        synchronized (this) {
            if (pending == null || pending.isDone()) {
                pending = checker.submit(this::check);
            }
            check = pending;
        }
        try {
            return check.get(ANSWER_WITHIN_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return Health.down().withDetail("error", "the broker did not answer within " + ANSWER_WITHIN_SECONDS
                    + " s").build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().build();
        } catch (ExecutionException e) {
            return Health.down(e.getCause()).build();
        }
    }

    private Health check() {
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            return Health.up().withDetail("provider", connection.getMetaData().getJMSProviderName()).build();
        } catch (Exception e) {
            return Health.down(e).build();
        }
    }

    @PreDestroy
    void stop() {
        checker.shutdownNow();
    }
}
