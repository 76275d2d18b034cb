package ar.connector.config;

import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Redelivery of the embedded broker's connector queues: a message whose processing failed comes
 * back after a growing delay. The flow itself marks an order FAILED on its last attempt, so the
 * dead-letter address only ever catches what could not be processed at all. An external broker
 * needs the same address settings (see README).
 */
@Configuration
public class BrokerConfig {

    @Bean
    ArtemisConfigurationCustomizer connectorAddressSettings(ConnectorProperties properties) {
        ConnectorProperties.Invoicing invoicing = properties.invoicing();
        return configuration -> configuration.addAddressSetting("connector.#", new AddressSettings()
                .setRedeliveryDelay(invoicing.redeliveryDelay().toMillis())
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(invoicing.maxRedeliveryDelay().toMillis())
                .setMaxDeliveryAttempts(invoicing.maxAttempts() + 5)
                .setDeadLetterAddress(org.apache.activemq.artemis.api.core.SimpleString.of("DLQ"))
                .setAutoCreateDeadLetterResources(true));
    }
}
