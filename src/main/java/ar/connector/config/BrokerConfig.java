package ar.connector.config;

import java.time.Duration;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.connection.CachingConnectionFactory;

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

    /**
     * No client-side buffering of messages (Artemis' consumer window 0): a consumer receives a message
     * only when it asks for one. With the default window, every idle-polling consumer holds a share of
     * the queue in its buffer, so an account's turn could sit behind a consumer busy with another
     * account's slow invoice while 40 others stand idle (the fairness of invoice turns rests on any free
     * consumer taking the next turn). One round trip per message is nothing at the connector's rates.
     */
    @Bean
    static BeanPostProcessor unbufferedConsumers() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                Object target = bean instanceof CachingConnectionFactory caching ? caching.getTargetConnectionFactory()
                        : bean;
                if (target instanceof ActiveMQConnectionFactory artemis) {
                    artemis.setConsumerWindowSize(0);
                }
                return bean;
            }
        };
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
