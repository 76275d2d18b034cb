package ar.connector.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The budgets of one process (H2): strict sliding windows. What a caller is told it waited feeds
 * {@code connector_rate_limit_waits_total}, which must count only the calls that were held back.
 */
class InMemoryBudgetsTest {

    @Test
    void onlyACallHeldBackByItsBudgetReportsAWait() throws Exception {
        RateLimiter budget = ApiBudgets.inMemory().budget("test", List.of(new ApiBudgets.Limit(2, Duration.ofMillis(100))));

        assertThat(budget.acquire()).as("first call: a free slot").isZero();
        budget.release();
        assertThat(budget.acquire()).as("second call: a free slot").isZero();
        budget.release();
        assertThat(budget.acquire()).as("third call within the window: held back").isPositive();
        budget.release();
    }

    @Test
    void untilFreeTellsHowLongUntilASlotWithoutTakingOne() throws Exception {
        RateLimiter budget = ApiBudgets.inMemory().budget("test", List.of(new ApiBudgets.Limit(2, Duration.ofSeconds(5)),
                new ApiBudgets.Limit(100, Duration.ofSeconds(60))));
        assertThat(budget.untilFree()).isZero();
        assertThat(budget.untilFree()).as("asking took nothing").isZero();
        budget.acquire();
        budget.release();
        budget.acquire();
        budget.release();
        assertThat(budget.untilFree()).as("window full: until the oldest call leaves it")
                .isPositive().isLessThanOrEqualTo(Duration.ofSeconds(5));
        budget.blockFor(Duration.ofSeconds(30));
        assertThat(budget.untilFree()).as("blocked after a 429").isGreaterThan(Duration.ofSeconds(29));
    }

    @Test
    void noLimitsMeansNoBudgetToWaitFor() throws Exception {
        assertThat(ApiBudgets.inMemory().budget("test", List.of())).isSameAs(RateLimiter.UNLIMITED);
    }
}
