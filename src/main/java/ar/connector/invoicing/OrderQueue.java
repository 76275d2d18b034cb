package ar.connector.invoicing;

import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * The Java callers' way onto the invoicing queues: typed messages handed to the routes that marshal
 * and send them ({@code direct:order-enqueue}, {@code direct:invoice-run-enqueue}). A send returns
 * once the broker has the message persisted.
 */
@Component
public class OrderQueue {

    public static final String ORDERS = "connector.orders";
    public static final String INVOICE_RUNS = "connector.invoice-runs";
    public static final String ENQUEUE = "direct:order-enqueue";
    public static final String RUN_ENQUEUE = "direct:invoice-run-enqueue";

    private final ProducerTemplate producer;

    public OrderQueue(@Lazy ProducerTemplate producer) {
        this.producer = producer;
    }

    public void send(OrderMessage message) {
        producer.sendBody(ENQUEUE, message);
    }

    public void sendRunPage(RunPage page) {
        producer.sendBody(RUN_ENQUEUE, page);
    }
}
