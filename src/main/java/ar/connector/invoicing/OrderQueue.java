package ar.connector.invoicing;

import org.springframework.stereotype.Component;

import ar.connector.config.Hops;

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

    private final Hops hops;

    public OrderQueue(Hops hops) {
        this.hops = hops;
    }

    public void send(OrderMessage message) {
        hops.send(ENQUEUE, message);
    }

    public void sendRunPage(RunPage page) {
        hops.send(RUN_ENQUEUE, page);
    }
}
