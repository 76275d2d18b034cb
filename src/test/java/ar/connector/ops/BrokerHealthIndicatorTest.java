package ar.connector.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.JMSException;

/** The broker's health answers within seconds even while opening a connection hangs. */
class BrokerHealthIndicatorTest {

    @Test
    void aHangingBrokerIsReportedDownWithinTheBoundAndASecondCallDoesNotQueueAnotherCheck() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ConnectionFactory hanging = mock(ConnectionFactory.class);
        when(hanging.createConnection()).thenAnswer(invocation -> {
            release.await();
            throw new JMSException("gone");
        });
        BrokerHealthIndicator indicator = new BrokerHealthIndicator(hanging);
        try {
            long started = System.nanoTime();
            Health first = indicator.health();
            long firstMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(first.getStatus()).isEqualTo(Status.DOWN);
            assertThat(first.getDetails().get("error").toString()).contains("did not answer");
            assertThat(firstMillis).isLessThan(BrokerHealthIndicator.ANSWER_WITHIN_SECONDS * 1000L + 2000);

            Health second = indicator.health();
            assertThat(second.getStatus()).isEqualTo(Status.DOWN);
            org.mockito.Mockito.verify(hanging, org.mockito.Mockito.times(1)).createConnection();
        } finally {
            release.countDown();
            indicator.stop();
        }
    }

    @Test
    void aReachableBrokerIsUpAndARefusedOneDown() throws Exception {
        Connection connection = mock(Connection.class);
        ConnectionMetaData metaData = mock(ConnectionMetaData.class);
        when(metaData.getJMSProviderName()).thenReturn("ActiveMQ");
        when(connection.getMetaData()).thenReturn(metaData);
        ConnectionFactory up = mock(ConnectionFactory.class);
        when(up.createConnection()).thenReturn(connection);
        BrokerHealthIndicator upIndicator = new BrokerHealthIndicator(up);
        assertThat(upIndicator.health().getStatus()).isEqualTo(Status.UP);
        org.mockito.Mockito.verify(connection).close();
        upIndicator.stop();

        ConnectionFactory refused = mock(ConnectionFactory.class);
        when(refused.createConnection()).thenThrow(new JMSException("Connection refused"));
        BrokerHealthIndicator downIndicator = new BrokerHealthIndicator(refused);
        assertThat(downIndicator.health().getStatus()).isEqualTo(Status.DOWN);
        downIndicator.stop();
    }
}
