package ar.connector.api;

import java.time.Duration;
import java.util.List;

/**
 * Where the clients' rate-limit budgets live: in this process ({@link #inMemory()}, one instance on
 * H2) or in the shared database ({@link SharedBudgets}, every replica on the same PostgreSQL).
 */
public interface ApiBudgets {

    /** At most {@code permits} calls in any window of {@code period}, as the API states its limit. */
    record Limit(int permits, Duration period) {
        public Limit {
            if (permits <= 0) {
                throw new IllegalArgumentException("permits must be positive");
            }
        }
    }

    /**
     * The budget named {@code key}, drawn on by every call that must respect all of {@code limits}
     * at once (no limits: unlimited). Asking twice for one key and the same limits names one budget
     * (across replicas, when shared); callers keep the answer rather than asking per call.
     */
    RateLimiter budget(String key, List<Limit> limits);

    /** Budgets of this process alone: strict sliding windows (see {@link SlidingWindowLimiter}). */
    static ApiBudgets inMemory() {
        return (key, limits) -> limits.isEmpty() ? RateLimiter.UNLIMITED
                : RateLimiter.all(limits.stream()
                        .sorted((a, b) -> b.period().compareTo(a.period()))
                        .map(limit -> (RateLimiter) new SlidingWindowLimiter(limit.permits(), limit.period()))
                        .toList());
    }
}
