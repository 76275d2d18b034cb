package ar.connector.api;

import java.time.Duration;
import java.util.List;

/** A budget calls draw on: acquire before sending, release once answered, block after a 429. */
public interface RateLimiter {

    /** @return nanoseconds waited */
    long acquire() throws InterruptedException;

    void release();

    void blockFor(Duration duration);

    /** No limit at all (a sandbox in a benchmark of pure overhead). */
    RateLimiter UNLIMITED = new RateLimiter() {
        @Override
        public long acquire() {
            return 0;
        }

        @Override
        public void release() {
        }

        @Override
        public void blockFor(Duration duration) {
        }
    };

    /** Several budgets at once (Jumpseller: per second and per minute), taken widest window first. */
    static RateLimiter all(List<? extends RateLimiter> limiters) {
        return new RateLimiter() {
            @Override
            public long acquire() throws InterruptedException {
                long waited = 0;
                int taken = 0;
                try {
                    for (RateLimiter limiter : limiters) {
                        waited += limiter.acquire();
                        taken++;
                    }
                } finally {
                    if (taken < limiters.size()) {
                        for (int i = 0; i < taken; i++) {
                            limiters.get(i).release();
                        }
                    }
                }
                return waited;
            }

            @Override
            public void release() {
                limiters.forEach(RateLimiter::release);
            }

            @Override
            public void blockFor(Duration duration) {
                limiters.forEach(limiter -> limiter.blockFor(duration));
            }
        };
    }
}
