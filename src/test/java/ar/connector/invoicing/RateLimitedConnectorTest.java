package ar.connector.invoicing;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.TestPropertySource;

/**
 * The connector against a Contabilium sandbox that enforces the limits the connector paces at, low
 * enough to bind during a test (15 calls per second), so any 429 would be the connector's fault.
 * Scaled limits need a context of their own (the shared one paces at 1000/s, which no sandbox limit
 * could bind); every subclass shares this one.
 */
@TestPropertySource(properties = {
        "connector.contabilium.rate-limit.requests=" + RateLimitedConnectorTest.REQUESTS,
        "connector.contabilium.rate-limit.inventory-requests=" + RateLimitedConnectorTest.INVENTORY_REQUESTS,
        "connector.contabilium.rate-limit.period=1s",
        "connector.contabilium.rate-limit.block=2s" })
abstract class RateLimitedConnectorTest extends SandboxedConnectorTest {

    static final int REQUESTS = 15;
    static final int INVENTORY_REQUESTS = 30;

    @BeforeEach
    void scaledLimits() {
        CONTABILIUM.setLimits(REQUESTS, Duration.ofSeconds(1), INVENTORY_REQUESTS, Duration.ofSeconds(2));
    }

    @AfterEach
    void unlimited() {
        CONTABILIUM.unlimited();
    }
}
