package ar.connector.config;

import java.time.Duration;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Redelivery of the embedded broker's connector queues: a message whose processing failed comes
 * back after a growing delay. The flows themselves mark an order (or a receipt) FAILED on their last
 * attempt; the broker allows a few more deliveries so that this happens before anything reaches the
 * dead-letter address, which therefore only catches what could not be processed at all. Receipts
 * back off longer (an SMTP outage may last hours); the exact address wins over {@code connector.#}.
 * An external broker needs the same address settings (see README).
 */
@Configuration
public class BrokerConfig {

    public static final String RECEIPTS_QUEUE = "connector.receipts";

    @Bean
    ArtemisConfigurationCustomizer connectorAddressSettings(ConnectorProperties properties) {
        ConnectorProperties.Invoicing invoicing = properties.invoicing();
        ConnectorProperties.Receipts receipts = properties.receipts();
        return configuration -> configuration
                .addAddressSetting("connector.#", redelivery(invoicing.redeliveryDelay(),
                        invoicing.maxRedeliveryDelay(), invoicing.maxAttempts()))
                .addAddressSetting(RECEIPTS_QUEUE, redelivery(receipts.redeliveryDelay(),
                        receipts.maxRedeliveryDelay(), receipts.maxAttempts()));
    }

    private static AddressSettings redelivery(Duration delay, Duration maxDelay, int flowAttempts) {
        return new AddressSettings()
                .setRedeliveryDelay(delay.toMillis())
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(maxDelay.toMillis())
                .setMaxDeliveryAttempts(flowAttempts + 5)
                .setDeadLetterAddress(SimpleString.of("DLQ"))
                .setAutoCreateDeadLetterResources(true);
    }
}
