package ar.connector.config;

import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Java's one way into the routes: a typed message (a record) handed to a route's {@code direct:}
 * endpoint, which marshals it and sends it on (for example {@code direct:order-enqueue}). Returns once
 * that route is done with it, so for an enqueue hop once the broker has persisted the message. Only
 * records pass: message formats are Jackson-mapped types, never strings built by hand (an
 * architecture test keeps every other class away from ProducerTemplate and JmsTemplate).
 */
@Component
public class Hops {

    private final ProducerTemplate producer;

    public Hops(@Lazy ProducerTemplate producer) {
        this.producer = producer;
    }

    public void send(String endpoint, Record message) {
        producer.sendBody(endpoint, message);
    }

    public void send(String endpoint, Record message, Map<String, Object> headers) {
        producer.sendBodyAndHeaders(endpoint, message, headers);
    }
}
