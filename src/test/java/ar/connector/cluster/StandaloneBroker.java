package ar.connector.cluster;

import java.io.IOException;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * An ActiveMQ Artemis broker in a JVM of its own, standing in for the external broker of the
 * cluster profile: a TCP acceptor, a persistent journal, and the address settings the connector's
 * queues need on any external broker (redelivery with back-off, a dead-letter address; see
 * BrokerConfig). Prints {@code BROKER READY} once it accepts connections and stops when its
 * standard input closes, so it never outlives the test that started it.
 *
 * <p>Arguments: port, data directory.
 */
public final class StandaloneBroker {

    private StandaloneBroker() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String dataDir = args[1];
        Configuration config = new ConfigurationImpl()
                .setName("standalone-broker")
                .setPersistenceEnabled(true)
                .setJournalDirectory(dataDir + "/journal")
                .setBindingsDirectory(dataDir + "/bindings")
                .setLargeMessagesDirectory(dataDir + "/large")
                .setPagingDirectory(dataDir + "/paging")
                .setSecurityEnabled(false)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        config.addAddressSetting("connector.#", new AddressSettings()
                .setRedeliveryDelay(100)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(400)
                .setMaxDeliveryAttempts(11)
                .setDeadLetterAddress(SimpleString.of("DLQ"))
                .setAutoCreateDeadLetterResources(true));
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        System.out.println("BROKER READY");
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // runs until the parent closes our standard input (or dies)
            }
        } catch (IOException closed) {
            // the parent is gone
        }
        broker.stop();
    }
}
