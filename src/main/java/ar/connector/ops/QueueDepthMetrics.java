package ar.connector.ops;

import java.util.Set;
import java.util.TreeSet;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.jms.JmsEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;

/**
 * {@code connector_queue_depth{queue}} (SPEC §3.4): the messages waiting (or being redelivered) in
 * each queue the routes read or write, found from the Camel JMS endpoints once the routes exist.
 * With the embedded broker the count comes straight from the Artemis server in this JVM. With an
 * external broker (cluster profile) it is asked over JMS from Artemis's management address
 * ({@code activemq.management}, attribute {@code messageCount}); this is best effort: the broker
 * user needs the {@code manage} permission, and when the answer does not come within a second the
 * gauge shows NaN rather than holding up the scrape.
 */
@Component
public class QueueDepthMetrics {

    private static final Logger log = LoggerFactory.getLogger(QueueDepthMetrics.class);
    private static final String MANAGEMENT_ADDRESS = "activemq.management";

    private final MeterRegistry registry;
    private final CamelContext camel;
    private final ObjectProvider<EmbeddedActiveMQ> embedded;
    private final ObjectProvider<ConnectionFactory> connectionFactory;

    public QueueDepthMetrics(MeterRegistry registry, CamelContext camel, ObjectProvider<EmbeddedActiveMQ> embedded,
            ObjectProvider<ConnectionFactory> connectionFactory) {
        this.registry = registry;
        this.camel = camel;
        this.embedded = embedded;
        this.connectionFactory = connectionFactory;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void register() {
        for (String queue : queues()) {
            Gauge.builder("connector.queue.depth", () -> depth(queue))
                    .description("Messages in the queue, including those waiting for redelivery")
                    .tag("queue", queue)
                    .register(registry);
        }
    }

    /** The point-to-point destinations of the routes' JMS endpoints. */
    Set<String> queues() {
        Set<String> names = new TreeSet<>();
        for (Endpoint endpoint : camel.getEndpoints()) {
            if (endpoint instanceof JmsEndpoint jms && !jms.isPubSubDomain() && !jms.getDestinationName().isBlank()) {
                names.add(jms.getDestinationName());
            }
        }
        return names;
    }

    public double depth(String queue) {
        EmbeddedActiveMQ server = embedded.getIfAvailable();
        if (server != null && server.getActiveMQServer() != null) {
            Queue found = server.getActiveMQServer().locateQueue(SimpleString.of(queue));
            return found == null ? 0 : found.getMessageCount();
        }
        return remoteDepth(queue);
    }

    private double remoteDepth(String queue) {
        ConnectionFactory factory = connectionFactory.getIfAvailable();
        if (factory == null) {
            return Double.NaN;
        }
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue reply = session.createTemporaryQueue();
            Message request = session.createMessage();
            JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, "messageCount");
            request.setJMSReplyTo(reply);
            session.createProducer(session.createQueue(MANAGEMENT_ADDRESS)).send(request);
            try (MessageConsumer consumer = session.createConsumer(reply)) {
                Message answer = consumer.receive(1000);
                if (answer != null && JMSManagementHelper.hasOperationSucceeded(answer)
                        && JMSManagementHelper.getResult(answer) instanceof Number count) {
                    return count.doubleValue();
                }
            }
        } catch (Exception e) {
            log.debug("Could not read the depth of queue {} from the broker: {}", queue, e.toString());
        }
        return Double.NaN;
    }
}
