package ar.connector.receipts;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import ar.connector.config.ConnectorProperties;

/**
 * Redelivery of receipt jobs on the embedded broker: an SMTP outage may last hours, so receipts back
 * off longer than orders do. The exact address wins over the {@code connector.#} default. The flow
 * marks a receipt FAILED on attempt {@code max-attempts}; the broker allows a few more deliveries so
 * that this happens before anything reaches the dead-letter address. An external broker needs the
 * same address settings (see README).
 */
@Configuration
public class ReceiptsBrokerConfig {

    @Bean
    ArtemisConfigurationCustomizer receiptAddressSettings(ConnectorProperties properties) {
        ConnectorProperties.Receipts receipts = properties.receipts();
        return configuration -> configuration.addAddressSetting(ReceiptMailing.QUEUE, new AddressSettings()
                .setRedeliveryDelay(receipts.redeliveryDelay().toMillis())
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(receipts.maxRedeliveryDelay().toMillis())
                .setMaxDeliveryAttempts(receipts.maxAttempts() + 5)
                .setDeadLetterAddress(SimpleString.of("DLQ"))
                .setAutoCreateDeadLetterResources(true));
    }
}
