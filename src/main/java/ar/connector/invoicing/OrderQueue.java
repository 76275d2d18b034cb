package ar.connector.invoicing;

import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Puts order messages on the durable orders queue that the {@code order-invoicing} route consumes.
 * A send returns once the broker has the message persisted.
 */
@Component
public class OrderQueue {

    public static final String ORDERS = "connector.orders";
    public static final String INVOICE_RUNS = "connector.invoice-runs";

    private final JmsTemplate jms;
    private final ObjectMapper mapper;

    public OrderQueue(JmsTemplate jms, ObjectMapper mapper) {
        this.jms = jms;
        this.mapper = mapper;
    }

    public void send(OrderMessage message) {
        jms.convertAndSend(ORDERS, toJson(message));
    }

    public String toJson(OrderMessage message) {
        try {
            return mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public OrderMessage fromJson(String json) {
        try {
            return mapper.readValue(json, OrderMessage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not an order message", e);
        }
    }

    public void sendRunPage(String runId, int page) {
        jms.convertAndSend(INVOICE_RUNS, runId + ":" + page);
    }
}
