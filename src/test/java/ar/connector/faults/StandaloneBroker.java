package ar.connector.faults;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * An ActiveMQ Artemis broker in a JVM of its own, so a fault test can kill and restart it under a
 * running connector ({@code spring.artemis.mode=native}). Persistent journal in the given folder, one
 * TCP acceptor on 127.0.0.1. The {@code connector.#} address settings are the ones
 * {@code ar.connector.config.BrokerConfig} gives the embedded broker: an external broker does not get
 * them from the connector, so its operator must configure the same redelivery (README).
 *
 * <p>Arguments: {@code port dataDir [redeliveryDelayMs maxRedeliveryDelayMs maxDeliveryAttempts]}.
 * Prints {@value #READY} once it accepts connections.
 */
public final class StandaloneBroker {

    public static final String READY = "STANDALONE BROKER READY";

    private StandaloneBroker() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dataDir = Path.of(args[1]).toAbsolutePath();
        // The connector's defaults (BrokerConfig) unless a test scales them.
        long redeliveryDelay = args.length > 2 ? Long.parseLong(args[2]) : 2_000;
        long maxRedeliveryDelay = args.length > 3 ? Long.parseLong(args[3]) : 300_000;
        int maxDeliveryAttempts = args.length > 4 ? Integer.parseInt(args[4]) : 15;

        Configuration configuration = new ConfigurationImpl()
                .setName("fault-suite-broker")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalDirectory(dataDir.resolve("journal").toString())
                .setBindingsDirectory(dataDir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dataDir.resolve("large-messages").toString())
                .setPagingDirectory(dataDir.resolve("paging").toString())
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        configuration.addAddressSetting("connector.#", new AddressSettings()
                .setRedeliveryDelay(redeliveryDelay)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(maxRedeliveryDelay)
                .setMaxDeliveryAttempts(maxDeliveryAttempts)
                .setDeadLetterAddress(SimpleString.of("DLQ"))
                .setAutoCreateDeadLetterResources(true));

        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(configuration);
        broker.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.stop();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "broker-shutdown"));
        System.out.println(READY + " on port " + port);
        System.out.flush();
        stopped.await();
    }
}
