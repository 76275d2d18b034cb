package ar.connector.architecture;

import org.apache.camel.ProducerTemplate;
import org.springframework.jms.core.JmsTemplate;

/**
 * What {@link MessageArchitectureTest} must catch: the message formats of the previous version, built
 * by hand and sent past the routes. Test sources only; never loaded by the application.
 */
class HandBuiltMessages {

    private final JmsTemplate jms;
    private final ProducerTemplate producer;

    HandBuiltMessages(JmsTemplate jms, ProducerTemplate producer) {
        this.jms = jms;
        this.producer = producer;
    }

    void runPage(String runId, int page) {
        jms.convertAndSend("connector.invoice-runs", runId + ":" + page);
    }

    void syncRuns(java.util.List<String> runIds) {
        producer.sendBody("direct:stock-sync-enqueue", String.join(",", runIds));
    }
}
